import Glibc
import VNAnalysis
import VNIndex
internal import CVNPhrase
import CVNRank

/// A query syllable's postings in one segment: every dictionary variant it matches, and their
/// union (doc ordinals ascending, frequencies summed).
struct ResolvedTerm {
    struct Variant { var info: TermInfo; var docs: [Int32]; var freqs: [Int32] }
    var variants: [Variant] = []
    var docs: [Int32] = []
    var freqs: [Int32] = []
    var titleDocs: [Int32] = []
    var titleFreqs: [Int32] = []
    /// |docs ∪ titleDocs|: counted by the resolver when it unions three variants or more, else
    /// set by the searcher (-1 until then).
    var documentFrequency = -1
}

/// Applies the matching rule: a syllable typed without diacritics matches every variant with the
/// same folded key (one dictionary range); one typed with any diacritic matches its exact key, plus
/// the folded-only key that documents typed without diacritics carry.
enum TermResolver {
    /// `scratch` (the segment's, when given) merges three variants or more in one pass.
    static func resolve(_ key: TermKey, in segment: SegmentReader, scratch: UnionScratch? = nil) throws -> ResolvedTerm {
        var infos: [TermInfo] = []
        let prefix = key.foldedPrefix
        if key.hasDiacritics {
            if let i = try segment.lookup(key.exact) { infos.append(i) }
            if let i = try segment.lookup(prefix) { infos.append(i) }
        } else {
            infos = try segment.lookup(prefix: prefix).map(\.1)
        }
        var r = ResolvedTerm()
        var tDocs: [Int32] = [], tFreqs: [Int32] = []
        var titleParts: [([Int32], [Int32])] = []
        for info in infos {
            var v = ResolvedTerm.Variant(info: info, docs: [], freqs: [])
            try segment.postings(info, docs: &v.docs, freqs: &v.freqs)
            r.variants.append(v)
            if info.titleDocFreq > 0 {
                try segment.titlePostings(info, docs: &tDocs, freqs: &tFreqs)
                titleParts.append((tDocs, tFreqs))
            }
        }
        (r.titleDocs, r.titleFreqs) = union(titleParts, scratch: scratch)
        let bodyParts = r.variants.map { ($0.docs, $0.freqs) }.filter { !$0.0.isEmpty }
        if bodyParts.count >= 3, let scratch {
            // The body's documents are set as bits on the way: the title documents outside them
            // are counted before the bits are cleared, which gives the df for free.
            let outside: Int
            (r.docs, r.freqs, outside) = scratch.union(bodyParts, counting: r.titleDocs)
            r.documentFrequency = r.docs.count + outside
        } else {
            (r.docs, r.freqs) = union(bodyParts, scratch: scratch)
        }
        return r
    }

    /// Union of sorted postings lists, frequencies summed: pairwise linear merges, or with
    /// `scratch` and three lists or more, frequencies added into per-document slots and read back
    /// in document order (one pass, where merges would take log2(lists) passes and allocations).
    static func union(_ lists: [([Int32], [Int32])], scratch: UnionScratch? = nil) -> ([Int32], [Int32]) {
        var parts = lists.filter { !$0.0.isEmpty }
        if parts.isEmpty { return ([], []) }
        if parts.count >= 3, let scratch { return scratch.union(parts) }
        while parts.count > 1 {
            var next: [([Int32], [Int32])] = []
            var i = 0
            while i + 1 < parts.count { next.append(merge(parts[i], parts[i + 1])); i += 2 }
            if i < parts.count { next.append(parts[i]) }
            parts = next
        }
        return parts[0]
    }

    static func merge(_ a: ([Int32], [Int32]), _ b: ([Int32], [Int32])) -> ([Int32], [Int32]) {
        let (ad, af, bd, bf) = (a.0, a.1, b.0, b.1)
        let capacity = ad.count + bd.count
        var n = 0
        var freqs: [Int32] = []
        // Written straight into fresh storage: this runs once per posting of every variant.
        let docs = [Int32](unsafeUninitializedCapacity: capacity) { docs, docCount in
            freqs = [Int32](unsafeUninitializedCapacity: capacity) { freqs, freqCount in
                ad.withUnsafeBufferPointer { ad in af.withUnsafeBufferPointer { af in
                    bd.withUnsafeBufferPointer { bd in bf.withUnsafeBufferPointer { bf in
                        var i = 0, j = 0
                        while i < ad.count && j < bd.count {
                            if ad[i] < bd[j] { docs[n] = ad[i]; freqs[n] = af[i]; i += 1 }
                            else if ad[i] > bd[j] { docs[n] = bd[j]; freqs[n] = bf[j]; j += 1 }
                            else { docs[n] = ad[i]; freqs[n] = af[i] + bf[j]; i += 1; j += 1 }
                            n += 1
                        }
                        while i < ad.count { docs[n] = ad[i]; freqs[n] = af[i]; i += 1; n += 1 }
                        while j < bd.count { docs[n] = bd[j]; freqs[n] = bf[j]; j += 1; n += 1 }
                    } }
                } }
                freqCount = n
            }
            docCount = n
        }
        return (docs, freqs)
    }
}

/// Positions of one query term, document after document (ascending), over all its variants: variant
/// after variant, each run sorted, never merged (`PhraseMarks` takes them in any order). The walk
/// is C's (`cvnphrase_term`): the per-document step runs millions of times for a phrase of common
/// syllables, over postings copied out once, and allocates nothing.
final class TermPositions {
    var raw = cvnphrase_term()
    private let variants: UnsafeMutableBufferPointer<cvnphrase_variant>
    private let heads: UnsafeMutableBufferPointer<Int32>
    /// The postings copies the variants point into.
    private let postings: [UnsafeMutableBufferPointer<Int32>]
    /// The positions of the last document asked for.
    private var buffer = cvnphrase_buffer()
    /// Keeps the mapping the variants point into alive.
    let segment: SegmentReader

    init(_ term: ResolvedTerm, in segment: SegmentReader) {
        self.segment = segment
        // Variants holding an eighth of the term's documents or more first: they are asked at every
        // document; the rest only when the nearest of their heads is reached.
        let isDense = { (v: ResolvedTerm.Variant) in v.docs.count &* 8 >= term.docs.count }
        let ordered = term.variants.filter(isDense) + term.variants.filter { !isDense($0) }
        variants = .allocate(capacity: max(1, ordered.count))
        heads = .allocate(capacity: max(1, ordered.count))
        var postings: [UnsafeMutableBufferPointer<Int32>] = []
        for (k, v) in ordered.enumerated() {
            let count = min(v.docs.count, v.freqs.count)
            let docs = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, count))
            let freqs = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, count))
            _ = docs.initialize(from: v.docs.prefix(count))
            _ = freqs.initialize(from: v.freqs.prefix(count))
            postings += [docs, freqs]
            let layout = segment.positionsLayout(v.info)
            var x = cvnphrase_variant()
            x.docs = UnsafePointer(docs.baseAddress); x.freqs = UnsafePointer(freqs.baseAddress)
            x.count = Int64(count)
            x.bytes = layout.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            x.length = Int64(layout.bytes.count)
            x.steps = layout.checkpointSteps?.assumingMemoryBound(to: UInt8.self)
            x.interval = Int64(layout.checkpointInterval)
            x.step_count = Int64(layout.checkpointCount)
            x.wide = layout.wideSteps ? 1 : 0
            variants.baseAddress!.advanced(by: k).initialize(to: x)
        }
        self.postings = postings
        raw.variants = variants.baseAddress
        raw.heads = heads.baseAddress
        raw.count = Int32(ordered.count)
        cvnphrase_term_start(&raw, Int32(term.variants.count(where: isDense)))
    }

    deinit {
        for p in postings { p.deallocate() }
        variants.deallocate()
        heads.deallocate()
        free(buffer.values)
    }

    /// Positions of `doc` (ascending docs), variant after variant (each run sorted), in this
    /// stream's own buffer: valid until the next call.
    func unsortedPositions(of doc: Int32) throws -> UnsafeBufferPointer<Int32> {
        let n = cvnphrase_term_read(&raw, doc, &buffer)
        guard n >= 0 else { throw PhraseFilter.error(n, segment) }
        return UnsafeBufferPointer(start: buffer.values, count: Int(n))
    }
}

/// The documents of a segment where a phrase's terms stand adjacent and in order.
enum PhraseFilter {
    /// `common`: ascending documents holding every term of `terms` (in phrase order).
    static func documents(_ common: [Int32], terms: [ResolvedTerm], marks: PhraseMarks,
                          in segment: SegmentReader) throws -> [Int32] {
        let streams = terms.map { TermPositions($0, in: segment) }
        var raw = streams.map(\.raw)
        var status: Int64 = 0
        let found = common.withUnsafeBufferPointer { c in
            [Int32](unsafeUninitializedCapacity: c.count) { out, n in
                status = cvnphrase_documents(&raw, Int32(raw.count), c.baseAddress, Int64(c.count), &marks.raw,
                                             segment.docTable.base.assumingMemoryBound(to: UInt8.self),
                                             Int64(segment.documentCount), out.baseAddress)
                n = max(0, Int(status))
            }
        }
        withExtendedLifetime(streams) {}
        if status < 0 { throw error(status, segment) }
        return found
    }

    static func error(_ status: Int64, _ segment: SegmentReader) -> Error {
        if status == Int64(CVNPHRASE_NO_MEMORY) { fatalError("out of memory matching a phrase") }
        return IndexError.corrupted(file: segment.path, reason: "positions do not decode, or lie past their document's end")
    }
}

extension ResolvedTerm {
    /// Appends the positions of each of `docs` (ascending, a few among many: the re-ranked pool) to
    /// `flat`, variant after variant within a document; document k's are at
    /// `flat[bounds[k] ..< bounds[k + 1]]`. Each variant is searched for the documents by galloping
    /// and read where it holds them, so nothing is copied or walked beyond them.
    func positions(of docs: UnsafeBufferPointer<Int32>, in segment: SegmentReader,
                   into flat: inout [Int32], bounds: inout [Int]) throws {
        let n = docs.count
        bounds.removeAll(keepingCapacity: true)
        bounds.append(contentsOf: repeatElement(0, count: n + 1))
        // Pass 1: where each variant holds each document, and how many positions it brings.
        var at = [Int](repeating: -1, count: variants.count * n)
        for (v, variant) in variants.enumerated() {
            variant.docs.withUnsafeBufferPointer { list in variant.freqs.withUnsafeBufferPointer { freqs in
                var i = 0
                for k in 0..<n {
                    i = Searcher.seek(list, from: i, to: docs[k])
                    if i >= list.count { break }
                    if list[i] == docs[k] { at[v * n + k] = i; bounds[k + 1] += Int(max(1, freqs[i])) }
                }
            } }
        }
        let base = flat.count
        bounds[0] = base
        for k in 0..<n { bounds[k + 1] += bounds[k] }
        let total = bounds[n] - base
        // Pass 2: each variant's positions decoded in its own order, into each document's range.
        var fill = Array(bounds[0..<n])
        flat.append(contentsOf: repeatElement(0, count: total))
        try flat.withUnsafeMutableBufferPointer { out in
            for (v, variant) in variants.enumerated() {
                var cursor: PositionCursor? = nil
                try variant.freqs.withUnsafeBufferPointer { freqs in
                    for k in 0..<n where at[v * n + k] >= 0 {
                        if cursor == nil { cursor = PositionCursor(segment, variant.info) }
                        let i = at[v * n + k]
                        guard fill[k] + Int(max(1, freqs[i])) <= bounds[k + 1] else {
                            throw IndexError.corrupted(file: segment.path, reason: "positions do not decode")
                        }
                        fill[k] += try cursor!.decode(index: i, freqs: freqs, into: out.baseAddress! + fill[k])
                    }
                }
            }
        }
    }
}

/// Per-document frequency slots and a bitmap of the documents set, for `TermResolver.union`:
/// a segment's own (one thread at a time), left cleared after each use.
final class UnionScratch {
    let documents: Int
    private let sums: UnsafeMutablePointer<Int32>
    private let words: UnsafeMutablePointer<UInt64>
    private let wordCount: Int

    init(documents: Int) {
        self.documents = documents
        sums = .allocate(capacity: max(1, documents)); sums.initialize(repeating: 0, count: max(1, documents))
        wordCount = max(1, (documents + 63) / 64)
        words = .allocate(capacity: wordCount); words.initialize(repeating: 0, count: wordCount)
    }

    deinit { sums.deallocate(); words.deallocate() }

    /// Lists of ordinals below `documents` (as postings lists yield).
    func union(_ lists: [([Int32], [Int32])]) -> ([Int32], [Int32]) {
        let (docs, freqs, _) = union(lists, counting: [])
        return (docs, freqs)
    }

    /// The union, and how many of `others` (ordinals below `documents`) lie outside it.
    func union(_ lists: [([Int32], [Int32])], counting others: [Int32]) -> ([Int32], [Int32], outside: Int) {
        let upper = lists.reduce(0) { $0 + min($1.0.count, $1.1.count) }
        // Many postings beside the documents (a common syllable's variants): the sums alone, then
        // one vectorised pass over all of them collects the non-zero ones. Few: their documents
        // set as bits too, and only the set bits visited.
        let dense = upper &* 8 >= documents
        for (docs, freqs) in lists {
            docs.withUnsafeBufferPointer { d in
                freqs.withUnsafeBufferPointer { f in
                    let n = min(d.count, f.count)
                    if dense {
                        for i in 0..<n { sums[Int(d[i])] &+= f[i] }
                    } else {
                        for i in 0..<n {
                            let x = Int(d[i])
                            sums[x] &+= f[i]
                            words[x &>> 6] |= 1 &<< UInt64(x & 63)
                        }
                    }
                }
            }
        }
        // A posting's frequency is at least 1: a document is in the union when its sum is not 0.
        var outside = 0
        for x in others { outside &+= sums[Int(x)] == 0 ? 1 : 0 }
        var n = 0
        var freqs: [Int32] = []
        let docs = [Int32](unsafeUninitializedCapacity: dense ? documents : upper) { docs, docCount in
            freqs = [Int32](unsafeUninitializedCapacity: dense ? documents : upper) { out, freqCount in
                if dense {
                    n = cvnrank_collect_nonzero(sums, documents, docs.baseAddress, out.baseAddress, 0)
                } else {
                    for w in 0..<wordCount where words[w] != 0 {
                        var bits = words[w]
                        words[w] = 0
                        while bits != 0 {
                            let x = w &* 64 &+ bits.trailingZeroBitCount
                            docs[n] = Int32(truncatingIfNeeded: x); out[n] = sums[x]; sums[x] = 0
                            n &+= 1
                            bits &= bits &- 1
                        }
                    }
                }
                freqCount = n
            }
            docCount = n
        }
        return (docs, freqs, outside)
    }
}
