// VNIndex
