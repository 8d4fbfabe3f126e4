#ifndef CVNCODEC_H
#define CVNCODEC_H
// Checksums and compression for index files, behind a header that includes neither zlib nor zstd.
#include <stdint.h>
#include <stddef.h>

/// CRC-32 (zlib's `crc32`) of `len` bytes, continuing from `crc` (start with 0).
uint32_t cvncodec_crc32(uint32_t crc, const uint8_t *src, size_t len);

/// The CRC-32 of A followed by B from crc(A), crc(B) and B's length (zlib's `crc32_combine`): the
/// whole-file checksum of a segment is built from its sections' checksums without a second pass.
uint32_t cvncodec_crc32_combine(uint32_t crc_a, uint32_t crc_b, int64_t length_b);

/// Upper bound of the compressed size of `len` bytes (`ZSTD_compressBound`).
size_t cvncodec_bound(size_t len);

/// A reusable zstd compression context (one per writer thread): stored texts are many small
/// records, and zstd at a low level compresses them several times faster than zlib.
typedef struct cvncodec_compressor cvncodec_compressor;
cvncodec_compressor *cvncodec_compressor_new(int level);
void cvncodec_compressor_free(cvncodec_compressor *c);
/// Compresses one record; returns its length, or 0 on failure. Corresponds to `ZSTD_compressCCtx`.
size_t cvncodec_compress(cvncodec_compressor *c, const uint8_t *src, size_t len, uint8_t *dst, size_t cap);

/// The decompressed size a zstd frame declares, or -1 when unknown or damaged
/// (`ZSTD_getFrameContentSize`): checked before allocating for it.
int64_t cvncodec_frame_size(const uint8_t *src, size_t len);

/// A reusable zstd decompression context: `ZSTD_decompress` sets one up (and frees it) on every
/// call, which cost more than decompressing a small document.
typedef struct cvncodec_decompressor cvncodec_decompressor;
cvncodec_decompressor *cvncodec_decompressor_new(void);
void cvncodec_decompressor_free(cvncodec_decompressor *d);
/// Like `cvncodec_decompress`, with a reused context (`ZSTD_decompressDCtx`).
int cvncodec_decompress_with(cvncodec_decompressor *d, const uint8_t *src, size_t len, uint8_t *dst, size_t expected);

/// Decompresses one record into exactly `expected` bytes; returns 1 on success, 0 on damaged input.
/// Corresponds to `ZSTD_decompress`.
int cvncodec_decompress(const uint8_t *src, size_t len, uint8_t *dst, size_t expected);

/// Returns memory malloc holds but no longer uses to the system (`malloc_trim(0)` in glibc; a
/// no-op elsewhere). Called after an indexing flush frees its buffers.
void cvncodec_release_free_memory(void);

/// Serves allocations of `bytes` and more with their own mappings, returned to the system when
/// freed (`mallopt(M_MMAP_THRESHOLD)` in glibc, which also stops glibc raising that threshold
/// after each such free; a no-op elsewhere).
void cvncodec_map_large_allocations(size_t bytes);

/// Keeps up to `bytes` of freed memory at the top of the heap instead of returning it to the
/// system (`mallopt(M_TRIM_THRESHOLD)` in glibc; a no-op elsewhere).
void cvncodec_keep_freed_memory(size_t bytes);

/// Bytes taken by the first `n` varints of `src[0..<len]` (a varint ends at its first byte below
/// 0x80), or -1 when fewer than `n` end there. Positions are skipped document by document to reach
/// the one a phrase or the re-ranking needs; this counts 64 or 16 bytes at a step where SSE2 is available.
int64_t cvncodec_skip_varints(const uint8_t *src, size_t len, size_t n);

/// Decodes one full block of 128 postings (the layout of `PostingsCodec`): from `src`, 128 doc
/// deltas − 1 of `doc_bits` bits, then 128 frequencies − 1 of `freq_bits` bits, least significant
/// bits first; `avail` is the bytes readable from `src` (at least 16 × (doc_bits + freq_bits)).
/// Writes the documents (counted on from `doc`, the block's predecessor or -1) and frequencies,
/// and returns the last document, above INT32_MAX when the bytes are damaged. Eight values at a
/// time with AVX2 where the CPU has it and widths allow (≤ 24 bits); one loop per width otherwise.
int64_t cvncodec_decode_block(const uint8_t *src, size_t avail, int doc_bits, int freq_bits, int64_t doc,
                              int32_t *docs, int32_t *freqs);

#endif
