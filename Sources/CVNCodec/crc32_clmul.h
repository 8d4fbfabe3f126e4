#ifndef CVNCODEC_CRC32_CLMUL_H
#define CVNCODEC_CRC32_CLMUL_H
#include <stddef.h>
#include <stdint.h>

/// Whether this CPU multiplies without carries (PCLMULQDQ with SSE4.1): checked once.
int cvncodec_clmul_available(void);

/// zlib's CRC-32 register after `len` bytes (len ≥ 64, a multiple of 16), starting from the
/// register `reg` (the CRC value complemented, as zlib keeps it), by carry-less multiplication.
uint32_t cvncodec_crc32_clmul(uint32_t reg, const uint8_t *buf, size_t len);

#endif
