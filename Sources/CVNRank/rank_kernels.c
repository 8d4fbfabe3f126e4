#include "CVNRank.h"
#include <endian.h>
#include <string.h>

// Swift does not contract a × b + c into one rounding; neither may this file (aarch64 would).
#pragma STDC FP_CONTRACT OFF

// The document table is little-endian (FORMAT.md).
static inline uint32_t load_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return le32toh(v); }
static inline uint16_t load_u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return le16toh(v); }

float cvnrank_bm25_list(const int32_t *docs, const int32_t *tfs, size_t n,
                        const int32_t *title_docs, const int32_t *title_tfs, size_t title_n,
                        const uint8_t *doc_table, float title_weight, float k1, float b,
                        float average, float weight, float *out) {
    const float keep = 1 - b, k1p1 = k1 + 1;
    float best = 0;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        const int32_t d = docs[i];
        const uint8_t *row = doc_table + (size_t)d * 12;
        const float length = (float)load_u32(row) + title_weight * (float)load_u16(row + 4);
        const float norm = k1 * (keep + b * length / average);
        float tf = (float)tfs[i];
        while (j < title_n && title_docs[j] < d) j++;
        if (j < title_n && title_docs[j] == d) tf += title_weight * (float)title_tfs[j];
        const float s = weight * (tf * k1p1 / (tf + norm));
        out[i] = s;
        best = s > best ? s : best;
    }
    return best;
}

float cvnrank_max(const float *scores, size_t n) {
    // Four running maxima: one would wait on the previous comparison at every step.
    float m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        m0 = scores[i] > m0 ? scores[i] : m0;
        m1 = scores[i + 1] > m1 ? scores[i + 1] : m1;
        m2 = scores[i + 2] > m2 ? scores[i + 2] : m2;
        m3 = scores[i + 3] > m3 ? scores[i + 3] : m3;
    }
    for (; i < n; i++) m0 = scores[i] > m0 ? scores[i] : m0;
    m0 = m1 > m0 ? m1 : m0;
    m2 = m3 > m2 ? m3 : m2;
    return m2 > m0 ? m2 : m0;
}

enum { buckets = 1024 };

static inline uint32_t bucket(float v) {
    // v in [0, 1023] up to rounding; NaN or below 1 falls to bucket 0.
    if (!(v >= 1)) return 0;
    return v >= buckets - 1 ? buckets - 1 : (uint32_t)v;
}

#if defined(__x86_64__)
#include <immintrin.h>

// For each 8-bit mask, the lanes set in it, in order (the rest padded with 0): a permutation that
// packs the passing lanes of eight to the front.
static uint32_t compact_lanes[256][8];

__attribute__((constructor)) static void build_compact_lanes(void) {
    for (int mask = 0; mask < 256; mask++) {
        int n = 0;
        for (int lane = 0; lane < 8; lane++) if (mask & (1 << lane)) compact_lanes[mask][n++] = (uint32_t)lane;
    }
}

// Eight scores a step: their comparison's mask picks the permutation that packs the passing
// indices to the front, all eight are stored and the count moves by the passing ones. No branch
// per score: about a tenth pass, scattered, so a branch on each (or on each sixteen) mispredicted
// often enough to cost more than scoring.
__attribute__((target("avx2,popcnt")))
static size_t at_least_avx2(const float *restrict scores, size_t n, float scale, float floor, uint32_t *restrict chosen) {
    const __m256 factor = _mm256_set1_ps(scale), bound = _mm256_set1_ps(floor);
    const __m256i eight = _mm256_set1_epi32(8);
    __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    size_t m = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_mul_ps(_mm256_loadu_ps(scores + i), factor);
        const int mask = _mm256_movemask_ps(_mm256_cmp_ps(v, bound, _CMP_GE_OQ));
        const __m256i lanes = _mm256_loadu_si256((const __m256i *)compact_lanes[mask]);
        // m ≤ i: the eight stored lie within chosen[0 ..< i + 8], inside its n.
        _mm256_storeu_si256((__m256i *)(chosen + m), _mm256_permutevar8x32_epi32(index, lanes));
        m += (size_t)__builtin_popcount((unsigned)mask);
        index = _mm256_add_epi32(index, eight);
    }
    for (; i < n; i++) { chosen[m] = (uint32_t)i; m += scores[i] * scale >= floor; }
    return m;
}

// Eight sums a step: the non-zero ones' ordinals and values packed to the front (the same
// permutation for both), all eight stored, the count moved by the non-zero ones; the eight cleared.
__attribute__((target("avx2,popcnt")))
static size_t collect_avx2(int32_t *restrict sums, size_t n, int32_t *restrict docs, int32_t *restrict freqs) {
    const __m256i eight = _mm256_set1_epi32(8), zero = _mm256_setzero_si256();
    __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    size_t m = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i v = _mm256_loadu_si256((const __m256i *)(sums + i));
        const int mask = ~_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(v, zero))) & 0xFF;
        const __m256i lanes = _mm256_loadu_si256((const __m256i *)compact_lanes[mask]);
        // m ≤ i: the eight stored lie within the outputs' first i + 8, inside their n.
        _mm256_storeu_si256((__m256i *)(docs + m), _mm256_permutevar8x32_epi32(index, lanes));
        _mm256_storeu_si256((__m256i *)(freqs + m), _mm256_permutevar8x32_epi32(v, lanes));
        _mm256_storeu_si256((__m256i *)(sums + i), zero);
        m += (size_t)__builtin_popcount((unsigned)mask);
        index = _mm256_add_epi32(index, eight);
    }
    for (; i < n; i++) { docs[m] = (int32_t)i; freqs[m] = sums[i]; m += sums[i] != 0; sums[i] = 0; }
    return m;
}
#endif

// Whether the AVX2 loops may run (AVX2 and POPCNT).
static int use_avx2(void) {
#if defined(__x86_64__)
    static int avx2 = -1;  // a benign race: every thread computes the same answer
    if (avx2 < 0) avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
    return avx2;
#else
    return 0;
#endif
}

size_t cvnrank_at_least(const float *scores, size_t n, float scale, float floor, uint32_t *chosen, int portable) {
#if defined(__x86_64__)
    if (!portable && use_avx2()) return at_least_avx2(scores, n, scale, floor, chosen);
#endif
    // Branch-free: every index is written, the count moves only for passing ones.
    size_t m = 0;
    for (size_t i = 0; i < n; i++) { chosen[m] = (uint32_t)i; m += scores[i] * scale >= floor; }
    return m;
}

size_t cvnrank_collect_nonzero(int32_t *sums, size_t n, int32_t *docs, int32_t *freqs, int portable) {
#if defined(__x86_64__)
    if (!portable && use_avx2()) return collect_avx2(sums, n, docs, freqs);
#endif
    size_t m = 0;
    for (size_t i = 0; i < n; i++) { docs[m] = (int32_t)i; freqs[m] = sums[i]; m += sums[i] != 0; sums[i] = 0; }
    return m;
}

static inline size_t at_least(const float *scores, size_t n, float scale, float floor, uint32_t *chosen) {
    return cvnrank_at_least(scores, n, scale, floor, chosen, 0);
}

// Four interleaved histograms of scores[0], scores[stride], …: scores of a common word fall in few
// buckets, and one histogram would make each count wait for the previous store to the same bucket.
// Returns the highest bucket b ≥ 1 from which up at least `want` scores were counted, or 0.
static int top_bucket(const float *scores, size_t n, size_t stride, float scale, size_t want) {
    uint32_t counts[4 * buckets];
    memset(counts, 0, sizeof counts);
    size_t i = 0;
    for (; i + 4 * stride <= n; i += 4 * stride) {
        counts[4 * bucket(scores[i] * scale)]++;
        counts[4 * bucket(scores[i + stride] * scale) + 1]++;
        counts[4 * bucket(scores[i + 2 * stride] * scale) + 2]++;
        counts[4 * bucket(scores[i + 3 * stride] * scale) + 3]++;
    }
    for (; i < n; i += stride) counts[4 * bucket(scores[i] * scale)]++;
    size_t seen = 0;
    int b = buckets - 1;
    for (; b > 0; b--) {
        seen += (size_t)counts[4 * b] + counts[4 * b + 1] + counts[4 * b + 2] + counts[4 * b + 3];
        if (seen >= want) break;
    }
    return b;
}

size_t cvnrank_select(const float *scores, size_t n, float scale, size_t k, uint32_t *chosen) {
    // For b ≥ 1, bucket(v) ≥ b exactly when v ≥ b (NaN: neither). Whatever bucket is tried, every
    // score from it up is chosen, so the choice holds the k best as soon as it holds k scores.
    enum { stride = 8 };
    if (n >= 32 * k) {
        // Many scores: a histogram of every eighth finds a bucket holding about 1.5 times the k best
        // (an eighth of the counting, then one vectorised pass); only if it holds fewer than k is the
        // full histogram taken.
        const int b = top_bucket(scores, n, stride, scale, 3 * k / (2 * stride) + 8);
        if (b > 0) {
            const size_t m = at_least(scores, n, scale, (float)b, chosen);
            if (m >= k) return m;
        }
    }
    const int b = top_bucket(scores, n, 1, scale, k);
    if (b == 0) {
        for (size_t j = 0; j < n; j++) chosen[j] = (uint32_t)j;
        return n;
    }
    return at_least(scores, n, scale, (float)b, chosen);
}

void cvnrank_norms(const uint8_t *doc_table, size_t n, float title_weight, float k1, float b,
                   float average, float *out) {
    const float keep = 1 - b;
    for (size_t d = 0; d < n; d++) {
        const uint8_t *row = doc_table + d * 12;
        const float length = (float)load_u32(row) + title_weight * (float)load_u16(row + 4);
        out[d] = k1 * (keep + b * length / average);
    }
}

// The candidates' frequencies gathered from their slots (zero: the term is not in the document,
// which adds nothing — selected, not branched on, so the loop vectorises; 0 · x / (0 + 0) would be
// NaN where a norm is 0).
__attribute__((target_clones("avx2", "default")))
void cvnrank_bm25_gather(const int32_t *restrict candidates, size_t n, const float *restrict slots,
                         const float *restrict norms, float k1, float weight, float *restrict scores) {
    const float k1p1 = k1 + 1;
#pragma clang loop vectorize(enable)
    for (size_t k = 0; k < n; k++) {
        const float tf = slots[candidates[k]];
        const float s = weight * (tf * k1p1 / (tf + norms[k]));
        scores[k] += tf != 0 ? s : 0;
    }
}

// One pass the compiler vectorises (eight documents a step with AVX2, each document's norm and
// title frequency gathered from per-document arrays). A document without a title match reads a
// zero slot, and tf + 0 is tf: the same bits as adding the title only where it is.
__attribute__((target_clones("avx2", "default")))
static void bm25_body(const int32_t *restrict docs, const int32_t *restrict tfs, size_t n,
                      const float *restrict norms, const float *restrict title, float title_weight,
                      float k1p1, float weight, float *restrict out) {
#pragma clang loop vectorize(enable)
    for (size_t i = 0; i < n; i++) {
        const float tf = (float)tfs[i] + title_weight * title[docs[i]];
        out[i] = weight * (tf * k1p1 / (tf + norms[docs[i]]));
    }
}

float cvnrank_bm25_norms(const int32_t *docs, const int32_t *tfs, size_t n,
                         const int32_t *title_docs, const int32_t *title_tfs, size_t title_n,
                         const float *norms, float *slots, float title_weight, float k1, float weight, float *out) {
    // The title frequencies scattered to their documents' slots (merging the title list into the
    // body list cost more than scoring), then cleared for the next use.
    for (size_t j = 0; j < title_n; j++) slots[title_docs[j]] = (float)title_tfs[j];
    bm25_body(docs, tfs, n, norms, slots, title_weight, k1 + 1, weight, out);
    for (size_t j = 0; j < title_n; j++) slots[title_docs[j]] = 0;
    return cvnrank_max(out, n);
}
