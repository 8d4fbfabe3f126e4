#ifndef CVNPHRASE_H
#define CVNPHRASE_H

#include <stdint.h>

/// Phrase matching over one segment's position streams, document after document, in C: a phrase
/// of common syllables ("hiệu lực thi hành") is checked in every document of the corpus, two or
/// three positions a term each, and per-call overhead, not decoding, was the cost in Swift.

/// One dictionary variant of a query term: its postings (ascending documents, frequencies) and its
/// positions (varint deltas, document after document, in postings order), walked forward only.
typedef struct {
    const int32_t *docs;
    const int32_t *freqs;
    int64_t count;
    /// Postings index of the next document to look at.
    int64_t next;
    const uint8_t *bytes;
    int64_t length;
    /// The positions at `bytes[offset]` are those of postings index `at`.
    int64_t at;
    int64_t offset;
    /// Checkpoints (NULL when the term has none): step k is the bytes from document k × interval's
    /// positions to document (k + 1) × interval's, u16 or (wide) u32; see PositionCheckpoints.
    const uint8_t *steps;
    int64_t interval;
    int64_t step_count;
    int32_t wide;
    int64_t passed;
    int64_t passed_offset;
} cvnphrase_variant;

/// A query term over all its variants; the first `dense` variants are asked at every document,
/// the others only once `sparse_head` (the nearest of their next documents) is reached.
typedef struct {
    cvnphrase_variant *variants;
    int32_t *heads;
    int32_t count;
    int32_t dense;
    int32_t sparse_head;
} cvnphrase_term;

/// A growable buffer of positions (malloc'd; free with free()).
typedef struct {
    int32_t *values;
    int64_t capacity;
} cvnphrase_buffer;

/// Per-position marks: mark[q] counts the leading phrase terms found at q, q + 1, … in the
/// document being checked, stamped with a per-document base so nothing is cleared between
/// documents (malloc'd; free with cvnphrase_marks_free).
typedef struct {
    uint32_t *mark;
    int64_t capacity;
    uint32_t base;
    uint32_t top;
} cvnphrase_marks;

/// Status codes beside counts: the positions do not decode, or memory ran out.
#define CVNPHRASE_DAMAGED (-1)
#define CVNPHRASE_NO_MEMORY (-2)

/// Sets up the term's heads from its variants (their `next`) and how many are dense.
void cvnphrase_term_start(cvnphrase_term *term, int32_t dense);

/// Positions of `doc` (≥ every document asked before) over all the term's variants, variant after
/// variant (each run ascending) into `buffer` from its start; returns how many, or a status (< 0).
int64_t cvnphrase_term_read(cvnphrase_term *term, int32_t doc, cvnphrase_buffer *buffer);

int32_t cvnphrase_marks_init(cvnphrase_marks *marks, int64_t capacity);
void cvnphrase_marks_free(cvnphrase_marks *marks);
/// Starts a document for a phrase of `terms` terms.
void cvnphrase_marks_begin(cvnphrase_marks *marks, int32_t terms);
/// The first term's positions (negative ones are ignored) in a document of `length` tokens; 0,
/// CVNPHRASE_DAMAGED for a position at or past `length` that the marks would have to grow to (they
/// never grow past a document), or CVNPHRASE_NO_MEMORY.
int32_t cvnphrase_marks_first(cvnphrase_marks *marks, const int32_t *positions, int64_t count, int64_t length);
/// Term k's positions (k ≥ 1): how many extend a match of terms 0..<k; after the last term, the
/// number of places the whole phrase occurs. Positions within one term must be distinct.
int64_t cvnphrase_marks_next(cvnphrase_marks *marks, const int32_t *positions, int64_t count, int32_t k);

/// The documents of `common` (ascending, each holding every term) where the terms stand adjacent
/// and in order, written to `out` (room for `common_count`); returns how many, or a status (< 0).
/// A document is left at the first term that extends no match. `doc_table`: the segment's
/// document table (`doc_count` rows of 12 bytes, each starting with the u32 little-endian body
/// token count), which bounds each document's positions.
int64_t cvnphrase_documents(cvnphrase_term *terms, int32_t term_count, const int32_t *common, int64_t common_count,
                            cvnphrase_marks *marks, const uint8_t *doc_table, int64_t doc_count, int32_t *out);

#endif
