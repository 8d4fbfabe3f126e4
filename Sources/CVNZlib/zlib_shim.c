// Why: Swift on Linux has no Foundation compression; zlib is on every Debian machine.
#include "CVNZlib.h"
#include <zlib.h>

size_t cvnzlib_bound(size_t len) { return (size_t)compressBound((uLong)len); }

size_t cvnzlib_compress(const uint8_t *src, size_t len, uint8_t *dst, size_t cap, int level) {
    uLongf out = (uLongf)cap;
    if (compress2(dst, &out, src, (uLong)len, level) != Z_OK) return 0;
    return (size_t)out;
}

int cvnzlib_uncompress(const uint8_t *src, size_t len, uint8_t *dst, size_t expected) {
    uLongf out = (uLongf)expected;
    if (uncompress(dst, &out, src, (uLong)len) != Z_OK) return 0;
    return out == (uLongf)expected;
}

uint32_t cvnzlib_crc32(uint32_t crc, const uint8_t *src, size_t len) {
    // zlib's crc32 takes uInt lengths: feed large buffers in chunks.
    uLong c = crc;
    while (len > 0) {
        uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;
        c = crc32(c, src, n);
        src += n; len -= n;
    }
    return (uint32_t)c;
}
