// VNSearch
