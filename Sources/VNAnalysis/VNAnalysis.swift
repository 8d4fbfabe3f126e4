// VNAnalysis
