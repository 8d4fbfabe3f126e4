#ifndef CVNRANK_H
#define CVNRANK_H
// Scoring loops that run once per matching document of a common word (tens of thousands per
// query). In Swift each float-to-integer conversion is checked and each array append tests its
// capacity; these loops do neither. The formulas are VNSearch's `RankingParameters`, in the same
// order of operations, so they give the same bits.
#include <stdint.h>
#include <stddef.h>

/// BM25F for one term over its posting list: for each document `docs[i]` with body frequency
/// `tfs[i]` (plus `title_weight × title_tfs[j]` where `title_docs[j] == docs[i]`; the title list
/// ascending and inside the body list), with lengths read from the segment's document table
/// (12-byte rows: u32 body tokens, u16 title tokens, little-endian):
///   length = tokens + title_weight × title_tokens
///   norm   = k1 × ((1 − b) + b × length / average)
///   out[i] = weight × (tf × (k1 + 1) / (tf + norm))
/// Returns the best score (0 for none).
float cvnrank_bm25_list(const int32_t *docs, const int32_t *tfs, size_t n,
                        const int32_t *title_docs, const int32_t *title_tfs, size_t title_n,
                        const uint8_t *doc_table, float title_weight, float k1, float b,
                        float average, float weight, float *out);

/// Each of the `n` documents' `norm` (as above) from the segment's document table, so that the
/// postings of common words read one float per document.
void cvnrank_norms(const uint8_t *doc_table, size_t n, float title_weight, float k1, float b,
                   float average, float *out);

/// `cvnrank_bm25_list` with each document's norm read from `norms` (`cvnrank_norms`, the same
/// parameters): the same bits. The title documents must be among `docs`. `slots`: one float per
/// document of the segment, all zero; the title frequencies are laid there for the pass and
/// cleared after it.
float cvnrank_bm25_norms(const int32_t *docs, const int32_t *tfs, size_t n,
                         const int32_t *title_docs, const int32_t *title_tfs, size_t title_n,
                         const float *norms, float *slots, float title_weight, float k1, float weight, float *out);

/// Adds one term's BM25F to each candidate's score: scores[k] += weight · tf·(k1+1) / (tf + norms[k])
/// with tf = slots[candidates[k]] (the term's body plus weighted title frequency, laid out per
/// document), nothing where tf is 0. The formula's operations in `RankingParameters.saturate`'s
/// order, so the same bits.
void cvnrank_bm25_gather(const int32_t *candidates, size_t n, const float *slots, const float *norms,
                         float k1, float weight, float *scores);

/// The largest of `n` non-negative scores (0 for none).
float cvnrank_max(const float *scores, size_t n);

/// The indices i (ascending) of every scores[i] × scale ≥ floor, into `chosen` (room for n);
/// returns how many. `portable` non-zero: the plain loop even where AVX2 is available (tests).
size_t cvnrank_at_least(const float *scores, size_t n, float scale, float floor, uint32_t *chosen, int portable);

/// Every ordinal i < n with sums[i] ≠ 0, ascending, into `docs` and its sum into `freqs` (room for
/// n each), every sum cleared; returns how many. `portable` non-zero: the plain loop (tests).
size_t cvnrank_collect_nonzero(int32_t *sums, size_t n, int32_t *docs, int32_t *freqs, int portable);

/// Buckets `n` scores in [0, best] into 1,024 by `score × scale` (scale = 1023 / best; below 1:
/// bucket 0), finds the highest bucket b such that buckets b…1023 hold at least `k` scores (0
/// when all of them are fewer than k), and writes the indexes of the scores in buckets b…1023,
/// ascending, to `chosen` (room for `n`); returns how many.
size_t cvnrank_select(const float *scores, size_t n, float scale, size_t k, uint32_t *chosen);

#endif
