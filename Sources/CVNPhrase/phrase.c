#include "CVNPhrase.h"
#include "CVNCodec.h"

#include <endian.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline, cold)) static int grow_buffer(cvnphrase_buffer *b, int64_t needed) {
    int64_t c = b->capacity > 0 ? b->capacity : 64;
    while (c < needed) c *= 2;
    int32_t *v = realloc(b->values, (size_t)c * sizeof(int32_t));
    if (!v) return CVNPHRASE_NO_MEMORY;
    b->values = v;
    b->capacity = c;
    return 0;
}

static inline int64_t step(const cvnphrase_variant *v, int64_t k) {
    if (v->wide) { uint32_t s; memcpy(&s, v->steps + 4 * k, 4); return s; }
    uint16_t s; memcpy(&s, v->steps + 2 * k, 2); return s;
}

/// Moves the variant's positions to postings index i (> at): to the last checkpoint before it
/// when that is ahead, then over the varints of the documents between.
__attribute__((noinline)) static int seek_positions(cvnphrase_variant *v, int64_t i) {
    if (v->steps && i - v->at >= v->interval) {
        int64_t k = i / v->interval;
        if (k > v->step_count) k = v->step_count;
        if (k > v->passed && k * v->interval > v->at) {
            for (int64_t j = v->passed; j < k; j++) v->passed_offset += step(v, j);
            v->passed = k;
            v->at = k * v->interval;
            v->offset = v->passed_offset < v->length ? v->passed_offset : v->length;
        }
    }
    int64_t skip = 0;
    for (int64_t j = v->at; j < i; j++) skip += v->freqs[j] > 0 ? v->freqs[j] : 0;
    v->at = i;
    if (skip == 0) return 0;
    if (v->offset >= v->length) return CVNPHRASE_DAMAGED;
    const int64_t taken = cvncodec_skip_varints(v->bytes + v->offset, (size_t)(v->length - v->offset), (size_t)skip);
    if (taken < 0) return CVNPHRASE_DAMAGED;
    v->offset += taken;
    return 0;
}

/// The varint at src[*o] (at most 5 bytes, which the caller has), moving *o past it.
__attribute__((always_inline)) static inline uint32_t unchecked_varint(const uint8_t *restrict src, int64_t *o) {
    uint32_t b = src[(*o)++], x = b & 0x7F;
    for (unsigned shift = 7; b >= 0x80 && shift < 35; shift += 7) {
        b = src[(*o)++];
        x |= (b & 0x7F) << shift;
    }
    return x;
}

/// Decodes `count` varint deltas at src (len bytes) as running sums into dst; bytes taken or -1.
__attribute__((always_inline)) static inline int64_t decode(const uint8_t *src, int64_t len, int32_t *dst, int64_t count) {
    int64_t o = 0;
    uint32_t p = 0;
    if (len >= 5 * count) {
        // Room for the longest encoding of every value: no bounds check per byte.
        for (int64_t k = 0; k < count; k++) {
            p += unchecked_varint(src, &o);
            dst[k] = (int32_t)p;
        }
        return o;
    }
    for (int64_t k = 0; k < count; k++) {
        uint32_t x = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (o >= len || shift >= 35) return -1;
            const uint32_t b = src[o++];
            x |= (b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        p += x;
        dst[k] = (int32_t)p;
    }
    return o;
}

/// Appends variant v's positions of `doc` (if it holds it) at buffer[n...], moving past `doc`;
/// sets *head to its next document. Returns the new n, or a status (< 0).
__attribute__((always_inline)) static inline int64_t read_variant(cvnphrase_variant *restrict v, int32_t doc,
                                                                  cvnphrase_buffer *restrict buffer, int64_t n,
                                                                  int32_t *restrict head) {
    const int32_t *restrict docs = v->docs;
    const int64_t end = v->count;
    int64_t i = v->next;
    while (i < end && docs[i] < doc) i++;
    if (i >= end || docs[i] != doc) {
        v->next = i;
        *head = i < end ? docs[i] : INT32_MAX;
        return n;
    }
    const int64_t tf = v->freqs[i];
    if (tf < 1) return CVNPHRASE_DAMAGED;
    if (i > v->at) { const int r = seek_positions(v, i); if (r) return r; }
    if (n + tf > buffer->capacity) { const int r = grow_buffer(buffer, n + tf); if (r) return r; }
    const int64_t offset = v->offset, left = v->length - offset;
    if (left <= 0) return CVNPHRASE_DAMAGED;
    const int64_t taken = decode(v->bytes + offset, left, buffer->values + n, tf);
    if (taken < 0) return CVNPHRASE_DAMAGED;
    v->offset = offset + taken;
    v->at = i + 1;
    v->next = i + 1;
    *head = i + 1 < end ? docs[i + 1] : INT32_MAX;
    return n + tf;
}

void cvnphrase_term_start(cvnphrase_term *term, int32_t dense) {
    term->dense = dense;
    term->sparse_head = INT32_MAX;
    for (int32_t v = 0; v < term->count; v++) {
        const cvnphrase_variant *x = &term->variants[v];
        term->heads[v] = x->next < x->count ? x->docs[x->next] : INT32_MAX;
        if (v >= dense && term->heads[v] < term->sparse_head) term->sparse_head = term->heads[v];
    }
}

__attribute__((always_inline)) static inline int64_t term_read(cvnphrase_term *restrict term, int32_t doc,
                                                                cvnphrase_buffer *restrict buffer) {
    int64_t n = 0;
    cvnphrase_variant *restrict variants = term->variants;
    int32_t *restrict heads = term->heads;
    const int32_t dense = term->dense;
    for (int32_t v = 0; v < dense; v++) {
        if (heads[v] <= doc) {
            n = read_variant(&variants[v], doc, buffer, n, &heads[v]);
            if (n < 0) return n;
        }
    }
    if (doc >= term->sparse_head) {
        int32_t nearest = INT32_MAX;
        for (int32_t v = dense, count = term->count; v < count; v++) {
            if (heads[v] <= doc) {
                n = read_variant(&variants[v], doc, buffer, n, &heads[v]);
                if (n < 0) return n;
            }
            if (heads[v] < nearest) nearest = heads[v];
        }
        term->sparse_head = nearest;
    }
    return n;
}

int64_t cvnphrase_term_read(cvnphrase_term *term, int32_t doc, cvnphrase_buffer *buffer) {
    return term_read(term, doc, buffer);
}

int32_t cvnphrase_marks_init(cvnphrase_marks *marks, int64_t capacity) {
    if (capacity < 1) capacity = 1;
    marks->mark = calloc((size_t)capacity, sizeof(uint32_t));
    marks->capacity = marks->mark ? capacity : 0;
    marks->base = marks->top = 0;
    return marks->mark ? 0 : CVNPHRASE_NO_MEMORY;
}

void cvnphrase_marks_free(cvnphrase_marks *marks) {
    free(marks->mark);
    marks->mark = NULL;
    marks->capacity = 0;
}

void cvnphrase_marks_begin(cvnphrase_marks *marks, int32_t terms) {
    const uint32_t n = terms > 1 ? (uint32_t)terms : 1;
    if (marks->top > UINT32_MAX - n) {
        memset(marks->mark, 0, (size_t)marks->capacity * sizeof(uint32_t));
        marks->top = 0;
    }
    marks->base = marks->top;
    marks->top = marks->base + n;
}

// Marks grow to the largest position seen, never past the document's length: a position beyond
// it is damage (checked here, off the per-position path, as growing is rare).
__attribute__((noinline, cold)) static int grow_marks(cvnphrase_marks *marks, int64_t position, int64_t length) {
    if (position >= length) return CVNPHRASE_DAMAGED;
    int64_t c = marks->capacity > 0 ? marks->capacity : 1;
    while (c <= position) c *= 2;
    uint32_t *m = realloc(marks->mark, (size_t)c * sizeof(uint32_t));
    if (!m) return CVNPHRASE_NO_MEMORY;
    memset(m + marks->capacity, 0, (size_t)(c - marks->capacity) * sizeof(uint32_t));
    marks->mark = m;
    marks->capacity = c;
    return 0;
}

__attribute__((always_inline)) static inline int32_t marks_first(cvnphrase_marks *restrict marks,
                                                                const int32_t *restrict positions, int64_t count,
                                                                int64_t length) {
    const uint32_t one = marks->base + 1;
    for (int64_t i = 0; i < count; i++) {
        const int32_t p = positions[i];
        if (p < 0) continue;
        if (p >= marks->capacity) { const int r = grow_marks(marks, p, length); if (r) return r; }
        marks->mark[p] = one;
    }
    return 0;
}

__attribute__((always_inline)) static inline int64_t marks_next(cvnphrase_marks *restrict marks,
                                                                const int32_t *restrict positions, int64_t count,
                                                                int32_t k) {
    const uint32_t want = marks->base + (uint32_t)k;  // an extended match is marked want + 1
    uint32_t *restrict mark = marks->mark;
    const int64_t capacity = marks->capacity;
    int64_t n = 0;
    for (int64_t i = 0; i < count; i++) {
        const int64_t q = (int64_t)positions[i] - k;
        if (q < 0 || q >= capacity) continue;  // rare: before the phrase could start, or past every start
        // Whether the match extends is data, not a branch: in a phrase of common syllables the
        // answer follows no pattern a predictor could learn.
        const uint32_t extends = mark[q] == want;
        mark[q] += extends;
        n += extends;
    }
    return n;
}

int32_t cvnphrase_marks_first(cvnphrase_marks *marks, const int32_t *positions, int64_t count, int64_t length) {
    return marks_first(marks, positions, count, length);
}

int64_t cvnphrase_marks_next(cvnphrase_marks *marks, const int32_t *positions, int64_t count, int32_t k) {
    return marks_next(marks, positions, count, k);
}

/// A term with one variant (a syllable typed with its diacritics, in a corpus typed with them): its
/// positions of `doc` go straight from the bytes into the marks, with no buffer and no variant
/// loop. k = 0 marks the starts and returns how many; k > 0 returns how many matches it extends.
__attribute__((always_inline)) static inline int64_t single_variant_step(cvnphrase_variant *restrict v, int32_t doc,
                                                                         cvnphrase_marks *restrict marks, int32_t k,
                                                                         int64_t length) {
    const int32_t *restrict docs = v->docs;
    const int64_t end = v->count;
    int64_t i = v->next;
    while (i < end && docs[i] < doc) i++;
    v->next = i;
    if (i >= end || docs[i] != doc) return 0;
    const int64_t tf = v->freqs[i];
    if (tf < 1) return CVNPHRASE_DAMAGED;
    if (i > v->at) { const int r = seek_positions(v, i); if (r) return r; }
    const int64_t offset = v->offset, len = v->length - offset;
    if (len < 5 * tf) {
        // Near the end of the term's bytes: the checked decoder, through a buffer.
        cvnphrase_buffer one = {0};
        int64_t n = 0;
        int32_t head;
        n = read_variant(v, doc, &one, n, &head);
        int64_t r = n;
        if (n > 0 && k == 0) {
            const int32_t status = marks_first(marks, one.values, n, length);
            if (status) r = status;
        } else if (n > 0) {
            r = marks_next(marks, one.values, n, k);
        }
        free(one.values);
        return r;
    }
    const uint8_t *restrict src = v->bytes + offset;
    int64_t o = 0, extended = 0;
    uint32_t p = 0;
    const uint32_t want = marks->base + (uint32_t)k, now = want + 1;
    for (int64_t x = 0; x < tf; x++) {
        p += unchecked_varint(src, &o);
        const int32_t position = (int32_t)p;
        if (k == 0) {
            if (position < 0) continue;
            if (position >= marks->capacity) { const int r = grow_marks(marks, position, length); if (r) return r; }
            marks->mark[position] = now;
        } else {
            const int64_t q = (int64_t)position - k;
            if (q < 0 || q >= marks->capacity) continue;
            const uint32_t extends = marks->mark[q] == want;  // as in marks_next: no branch on it
            marks->mark[q] += extends;
            extended += extends;
        }
    }
    v->offset = offset + o;
    v->at = i + 1;
    v->next = i + 1;
    return k == 0 ? tf : extended;
}

int64_t cvnphrase_documents(cvnphrase_term *terms, int32_t term_count, const int32_t *common, int64_t common_count,
                            cvnphrase_marks *marks, const uint8_t *doc_table, int64_t doc_count, int32_t *out) {
    cvnphrase_buffer buffer = {0};
    int64_t found = 0;
    for (int64_t c = 0; c < common_count; c++) {
        const int32_t doc = common[c];
        if (doc < 0 || doc >= doc_count) { found = CVNPHRASE_DAMAGED; goto done; }
        uint32_t length;
        memcpy(&length, doc_table + (size_t)doc * 12, 4);
        length = le32toh(length);
        cvnphrase_marks_begin(marks, term_count);
        int64_t extended = 0;
        for (int32_t k = 0; k < term_count; k++) {
            if (terms[k].count == 1) {
                extended = single_variant_step(terms[k].variants, doc, marks, k, length);
                if (extended < 0) { found = extended; goto done; }
            } else {
                const int64_t n = term_read(&terms[k], doc, &buffer);
                if (n < 0) { found = n; goto done; }
                if (k == 0) {
                    const int32_t status = marks_first(marks, buffer.values, n, length);
                    if (status) { found = status; goto done; }
                    extended = n;
                } else {
                    extended = marks_next(marks, buffer.values, n, k);
                }
            }
            if (extended == 0) break;
        }
        if (extended > 0) out[found++] = doc;
    }
done:
    free(buffer.values);
    return found;
}
