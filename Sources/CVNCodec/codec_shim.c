// Why: Swift on Linux has no Foundation compression; zlib (CRC-32) and zstd are Debian libraries.
#include "CVNCodec.h"
#include "crc32_clmul.h"
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

uint32_t cvncodec_crc32(uint32_t crc, const uint8_t *src, size_t len) {
    if (len >= 64 && cvncodec_clmul_available()) {
        // Whole 16-byte blocks by carry-less multiplication, the tail by zlib.
        const size_t blocks = len & ~(size_t)15;
        crc = ~cvncodec_crc32_clmul(~crc, src, blocks);
        src += blocks; len -= blocks;
    }
    // zlib's crc32 takes uInt lengths: feed large buffers in chunks.
    uLong c = crc;
    while (len > 0) {
        uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;
        c = crc32(c, src, n);
        src += n; len -= n;
    }
    return (uint32_t)c;
}

uint32_t cvncodec_crc32_combine(uint32_t crc_a, uint32_t crc_b, int64_t length_b) {
    return (uint32_t)crc32_combine(crc_a, crc_b, (z_off_t)length_b);
}

size_t cvncodec_bound(size_t len) { return ZSTD_compressBound(len); }

struct cvncodec_compressor { ZSTD_CCtx *ctx; int level; };

cvncodec_compressor *cvncodec_compressor_new(int level) {
    cvncodec_compressor *c = (cvncodec_compressor *)calloc(1, sizeof(cvncodec_compressor));
    if (!c) return NULL;
    c->ctx = ZSTD_createCCtx();
    c->level = level;
    if (!c->ctx) { free(c); return NULL; }
    return c;
}

void cvncodec_compressor_free(cvncodec_compressor *c) {
    if (!c) return;
    ZSTD_freeCCtx(c->ctx);
    free(c);
}

size_t cvncodec_compress(cvncodec_compressor *c, const uint8_t *src, size_t len, uint8_t *dst, size_t cap) {
    size_t n = ZSTD_compressCCtx(c->ctx, dst, cap, src, len, c->level);
    return ZSTD_isError(n) ? 0 : n;
}

int64_t cvncodec_frame_size(const uint8_t *src, size_t len) {
    unsigned long long n = ZSTD_getFrameContentSize(src, len);
    if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR || n > (unsigned long long)INT64_MAX) return -1;
    return (int64_t)n;
}

int cvncodec_decompress(const uint8_t *src, size_t len, uint8_t *dst, size_t expected) {
    size_t n = ZSTD_decompress(dst, expected, src, len);
    return !ZSTD_isError(n) && n == expected;
}

struct cvncodec_decompressor { ZSTD_DCtx *ctx; };

cvncodec_decompressor *cvncodec_decompressor_new(void) {
    cvncodec_decompressor *d = (cvncodec_decompressor *)calloc(1, sizeof(cvncodec_decompressor));
    if (!d) return NULL;
    d->ctx = ZSTD_createDCtx();
    if (!d->ctx) { free(d); return NULL; }
    return d;
}

void cvncodec_decompressor_free(cvncodec_decompressor *d) {
    if (!d) return;
    ZSTD_freeDCtx(d->ctx);
    free(d);
}

int cvncodec_decompress_with(cvncodec_decompressor *d, const uint8_t *src, size_t len, uint8_t *dst, size_t expected) {
    if (!d) return cvncodec_decompress(src, len, dst, expected);
    size_t n = ZSTD_decompressDCtx(d->ctx, dst, expected, src, len);
    return !ZSTD_isError(n) && n == expected;
}

void cvncodec_release_free_memory(void) {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

void cvncodec_map_large_allocations(size_t bytes) {
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
    (void)bytes;
#endif
}

void cvncodec_keep_freed_memory(size_t bytes) {
#ifdef __GLIBC__
    mallopt(M_TRIM_THRESHOLD, (int)bytes);
#else
    (void)bytes;
#endif
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

int64_t cvncodec_skip_varints(const uint8_t *src, size_t len, size_t n) {
    size_t o = 0;
    if (n == 0) return 0;
#if defined(__SSE2__)
    // 64 bytes a step while more than 64 varints remain (none of them can end the skip): a common
    // syllable's skip crosses a kilobyte or more of other documents' positions. Then 16.
    while (n > 64 && len - o >= 64) {
        const __m128i *q = (const __m128i *)(src + o);
        const uint64_t high = (uint64_t)(unsigned)_mm_movemask_epi8(_mm_loadu_si128(q))
            | (uint64_t)(unsigned)_mm_movemask_epi8(_mm_loadu_si128(q + 1)) << 16
            | (uint64_t)(unsigned)_mm_movemask_epi8(_mm_loadu_si128(q + 2)) << 32
            | (uint64_t)(unsigned)_mm_movemask_epi8(_mm_loadu_si128(q + 3)) << 48;
        n -= (size_t)__builtin_popcountll(~high);
        o += 64;
    }
    while (len - o >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(src + o));
        unsigned ends = ~(unsigned)_mm_movemask_epi8(v) & 0xFFFFu;  /* bytes below 0x80 */
        unsigned count = (unsigned)__builtin_popcount(ends);
        if (count >= n) {
            for (size_t i = 1; i < n; i++) ends &= ends - 1;  /* drop the first n - 1 ends */
            return (int64_t)(o + (size_t)__builtin_ctz(ends) + 1);
        }
        n -= count;
        o += 16;
    }
#endif
    for (; o < len; o++) {
        if (src[o] < 0x80 && --n == 0) return (int64_t)(o + 1);
    }
    return -1;
}
