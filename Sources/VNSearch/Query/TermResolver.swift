import VNAnalysis
import VNIndex

/// A query syllable's postings in one segment: every dictionary variant it matches, and their
/// union (doc ordinals ascending, frequencies summed).
struct ResolvedTerm {
    struct Variant { var info: TermInfo; var docs: [Int32]; var freqs: [Int32] }
    var variants: [Variant] = []
    var docs: [Int32] = []
    var freqs: [Int32] = []
    var titleDocs: [Int32] = []
    var titleFreqs: [Int32] = []
}

/// Applies the matching rule: a syllable typed without diacritics matches every variant with the
/// same folded key (one dictionary range); one typed with any diacritic matches its exact key, plus
/// the folded-only key that documents typed without diacritics carry.
enum TermResolver {
    static func resolve(_ key: TermKey, in segment: SegmentReader) throws -> ResolvedTerm {
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
        (r.docs, r.freqs) = union(r.variants.map { ($0.docs, $0.freqs) })
        (r.titleDocs, r.titleFreqs) = union(titleParts)
        return r
    }

    /// Union of sorted postings lists, frequencies summed.
    static func union(_ lists: [([Int32], [Int32])]) -> ([Int32], [Int32]) {
        let nonEmpty = lists.filter { !$0.0.isEmpty }
        if nonEmpty.isEmpty { return ([], []) }
        if nonEmpty.count == 1 { return nonEmpty[0] }
        var pairs: [UInt64] = []
        pairs.reserveCapacity(nonEmpty.reduce(0) { $0 + $1.0.count })
        for (d, f) in nonEmpty {
            for k in 0..<d.count { pairs.append(UInt64(UInt32(bitPattern: d[k])) << 32 | UInt64(UInt32(bitPattern: f[k]))) }
        }
        pairs.sort()
        var docs: [Int32] = [], freqs: [Int32] = []
        docs.reserveCapacity(pairs.count); freqs.reserveCapacity(pairs.count)
        for p in pairs {
            let d = Int32(truncatingIfNeeded: p >> 32), f = Int32(truncatingIfNeeded: p & 0xFFFF_FFFF)
            if let last = docs.last, last == d { freqs[freqs.count - 1] += f } else { docs.append(d); freqs.append(f) }
        }
        return (docs, freqs)
    }

    /// Positions of the term in each of `docs` (sorted, all holding the term), merged over variants.
    static func positions(of term: ResolvedTerm, docs: [Int32], in segment: SegmentReader) throws -> [[Int32]] {
        var out = [[Int32]](repeating: [], count: docs.count)
        var flat: [Int32] = [], starts: [Int] = []
        for v in term.variants {
            // Indexes into this variant's postings of the wanted docs it holds.
            var wanted: [Int] = [], slots: [Int] = []
            var i = 0, j = 0
            while i < v.docs.count && j < docs.count {
                if v.docs[i] < docs[j] { i += 1 } else if v.docs[i] > docs[j] { j += 1 } else { wanted.append(i); slots.append(j); i += 1; j += 1 }
            }
            if wanted.isEmpty { continue }
            try segment.positions(v.info, freqs: v.freqs, wanted: wanted, out: &flat, starts: &starts)
            for (k, slot) in slots.enumerated() where k + 1 < starts.count {
                out[slot].append(contentsOf: flat[starts[k]..<starts[k + 1]])
            }
        }
        if term.variants.count > 1 { for k in out.indices where out[k].count > 1 { out[k].sort() } }
        return out
    }
}
