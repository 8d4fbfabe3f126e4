#ifndef CVNZLIB_H
#define CVNZLIB_H
#include <stdint.h>
#include <stddef.h>

/// Upper bound of compressed size for `len` input bytes (zlib compressBound).
size_t cvnzlib_bound(size_t len);
/// zlib compress2 at `level`; returns compressed length, or 0 on failure.
size_t cvnzlib_compress(const uint8_t *src, size_t len, uint8_t *dst, size_t cap, int level);
/// zlib uncompress into exactly `expected` bytes; returns 1 on success, 0 on damaged input.
int cvnzlib_uncompress(const uint8_t *src, size_t len, uint8_t *dst, size_t expected);
/// CRC-32 (zlib's) of `len` bytes, continuing from `crc` (start with 0).
uint32_t cvnzlib_crc32(uint32_t crc, const uint8_t *src, size_t len);

#endif
