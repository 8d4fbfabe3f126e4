// Why: decoding full postings blocks is the largest single cost of a query over common syllables
// (every variant's whole list is read); in C the 128 values of a block are unpacked eight at a time.
#include "CVNCodec.h"
#include <string.h>

/* Value k starts at bit k × bits, so it lies in the 8 bytes from byte (k × bits) / 8 (bits ≤ 32,
   shifted by at most 7). With `bits` a constant the loop needs no branch and no variable shift. */
static inline void unpack_fast(const uint8_t *src, uint32_t *out, const int bits) {
    const uint64_t mask = bits == 32 ? 0xFFFFFFFFull : ((1ull << bits) - 1);
    for (int k = 0; k < 128; k++) {
        const size_t bit = (size_t)k * (size_t)bits;
        uint64_t w;
        memcpy(&w, src + (bit >> 3), 8);
        out[k] = (uint32_t)((w >> (bit & 7)) & mask);
    }
}

/* Reads no byte at or past `avail`: for the last block of a mapping. */
static void unpack_safe(const uint8_t *src, size_t avail, int bits, uint32_t *out) {
    const uint64_t mask = bits == 32 ? 0xFFFFFFFFull : ((1ull << bits) - 1);
    for (int k = 0; k < 128; k++) {
        const size_t bit = (size_t)k * (size_t)bits, at = bit >> 3;
        uint64_t w = 0;
        for (size_t j = 0; j < 8 && at + j < avail; j++) w |= (uint64_t)src[at + j] << (8 * j);
        out[k] = (uint32_t)((w >> (bit & 7)) & mask);
    }
}

#define UNPACK_CASE(n) case n: unpack_fast(src, out, n); return;

static void unpack128(const uint8_t *src, size_t avail, int bits, uint32_t *out) {
    if (bits <= 0) { memset(out, 0, 128 * sizeof(uint32_t)); return; }
    if (bits > 32) bits = 32;
    if (avail < (size_t)bits * 16 + 8) { unpack_safe(src, avail, bits, out); return; }
    switch (bits) {
        UNPACK_CASE(1) UNPACK_CASE(2) UNPACK_CASE(3) UNPACK_CASE(4) UNPACK_CASE(5) UNPACK_CASE(6)
        UNPACK_CASE(7) UNPACK_CASE(8) UNPACK_CASE(9) UNPACK_CASE(10) UNPACK_CASE(11) UNPACK_CASE(12)
        UNPACK_CASE(13) UNPACK_CASE(14) UNPACK_CASE(15) UNPACK_CASE(16) UNPACK_CASE(17) UNPACK_CASE(18)
        UNPACK_CASE(19) UNPACK_CASE(20) UNPACK_CASE(21) UNPACK_CASE(22) UNPACK_CASE(23) UNPACK_CASE(24)
        UNPACK_CASE(25) UNPACK_CASE(26) UNPACK_CASE(27) UNPACK_CASE(28) UNPACK_CASE(29) UNPACK_CASE(30)
        UNPACK_CASE(31) UNPACK_CASE(32)
        default: unpack_safe(src, avail, bits, out); return;
    }
}

static int64_t decode_block_scalar(const uint8_t *src, size_t avail, int doc_bits, int freq_bits, int64_t doc,
                                   int32_t *docs, int32_t *freqs) {
    const size_t doc_bytes = (size_t)doc_bits * 16;
    unpack128(src, avail, doc_bits, (uint32_t *)docs);
    for (int k = 0; k < 128; k++) {
        doc += (int64_t)(uint32_t)docs[k] + 1;  // 128 deltas below 2^32 fit: the caller checks the end
        docs[k] = (int32_t)doc;
    }
    unpack128(src + doc_bytes, avail > doc_bytes ? avail - doc_bytes : 0, freq_bits, (uint32_t *)freqs);
    for (int k = 0; k < 128; k++) freqs[k] = (int32_t)((uint32_t)freqs[k] + 1);
    return doc;
}

#if defined(__x86_64__)
#include <immintrin.h>

/* For widths 0…24, eight values (exactly `bits` bytes) at a time: the group's first 16 bytes go to
   the low lane and its 16 bytes from value 4's byte to the high lane; a byte shuffle puts under each
   32-bit slot the 4 bytes holding its value, a variable shift and a mask finish (a value and its
   offset in its first byte, at most 7, fit 32 bits up to 24 bits wide). Width 0's table is all
   zeros: the mask clears what the shuffle picked. */
#define WIDEST 24
static uint8_t shuffles[WIDEST + 1][32];
static uint32_t shifts[WIDEST + 1][8];

__attribute__((constructor)) static void build_tables(void) {
    for (int b = 1; b <= WIDEST; b++) {
        const int high = (4 * b) >> 3;
        for (int j = 0; j < 8; j++) {
            const int first = (j * b) >> 3, at = j < 4 ? first : first - high;
            for (int k = 0; k < 4; k++) shuffles[b][4 * j + k] = (uint8_t)(at + k);
            shifts[b][j] = (uint32_t)((j * b) & 7);
        }
    }
}

__attribute__((target("avx2")))
static inline __m256i unpack8(const uint8_t *p, int high, __m256i shuffle, __m256i shift, __m256i mask) {
    const __m128i lo = _mm_loadu_si128((const __m128i *)p), hi = _mm_loadu_si128((const __m128i *)(p + high));
    const __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
    return _mm256_and_si256(_mm256_srlv_epi32(_mm256_shuffle_epi8(v, shuffle), shift), mask);
}

__attribute__((target("avx2")))
static int64_t decode_block_avx2(const uint8_t *src, size_t avail, int doc_bits, int freq_bits, int64_t doc,
                                 int32_t *docs, int32_t *freqs) {
    const size_t doc_bytes = (size_t)doc_bits * 16, freq_bytes = (size_t)freq_bits * 16;
    // Each group's high load reaches at most 16 bytes past the group: 16 spare bytes cover the last.
    const int fast_docs = doc_bits >= 0 && doc_bits <= WIDEST && avail >= doc_bytes + 16;
    const int fast_freqs = freq_bits >= 0 && freq_bits <= WIDEST && avail >= doc_bytes + freq_bytes + 16;
    if (!fast_docs || !fast_freqs) return decode_block_scalar(src, avail, doc_bits, freq_bits, doc, docs, freqs);
    const __m256i one = _mm256_set1_epi32(1), zero = _mm256_setzero_si256();
    const __m256i last = _mm256_set1_epi32(7), third = _mm256_set1_epi32(3);
    {
        const int b = doc_bits, high = (4 * b) >> 3;
        const __m256i shuffle = _mm256_loadu_si256((const __m256i *)shuffles[b]);
        const __m256i shift = _mm256_loadu_si256((const __m256i *)shifts[b]);
        const __m256i mask = _mm256_set1_epi32((int)((1u << b) - 1));
        // In 32 bits: from a document below 2^31, 128 deltas of at most 2^24 end below 2^32
        // (-1 wraps to 0xFFFFFFFF and back), so the returned end is exact and the check holds.
        __m256i carry = _mm256_set1_epi32((int32_t)doc);
        for (int g = 0; g < 16; g++) {
            __m256i v = _mm256_add_epi32(unpack8(src + g * b, high, shuffle, shift, mask), one);
            v = _mm256_add_epi32(v, _mm256_slli_si256(v, 4));   // prefix sums within each lane
            v = _mm256_add_epi32(v, _mm256_slli_si256(v, 8));
            v = _mm256_add_epi32(v, _mm256_blend_epi32(zero, _mm256_permutevar8x32_epi32(v, third), 0xF0));
            v = _mm256_add_epi32(v, carry);
            _mm256_storeu_si256((__m256i *)(docs + 8 * g), v);
            carry = _mm256_permutevar8x32_epi32(v, last);
        }
    }
    {
        const int b = freq_bits, high = (4 * b) >> 3;
        const __m256i shuffle = _mm256_loadu_si256((const __m256i *)shuffles[b]);
        const __m256i shift = _mm256_loadu_si256((const __m256i *)shifts[b]);
        const __m256i mask = _mm256_set1_epi32((int)((1u << b) - 1));
        const uint8_t *f = src + doc_bytes;
        for (int g = 0; g < 16; g++)
            _mm256_storeu_si256((__m256i *)(freqs + 8 * g), _mm256_add_epi32(unpack8(f + g * b, high, shuffle, shift, mask), one));
    }
    return (int64_t)(uint32_t)docs[127];
}
#endif

int64_t cvncodec_decode_block(const uint8_t *src, size_t avail, int doc_bits, int freq_bits, int64_t doc,
                              int32_t *docs, int32_t *freqs) {
#if defined(__x86_64__)
    static int avx2 = -1;  // a benign race: every thread computes the same answer
    if (avx2 < 0) avx2 = __builtin_cpu_supports("avx2");
    if (avx2) return decode_block_avx2(src, avail, doc_bits, freq_bits, doc, docs, freqs);
#endif
    return decode_block_scalar(src, avail, doc_bits, freq_bits, doc, docs, freqs);
}
