import VNIndex

/// Where the query's terms stand in the re-ranked pool's documents (positions read for the
/// proximity score), kept so that a hit's snippets find its matched tokens without analysing its
/// text (`Analyzer.tokenSpans`, from the record's token marks).
struct PoolPositions {
    /// Per segment: the pool's documents there (ascending) and each distinct term's positions in
    /// each of them, back to back — term t in document k at flat[start[t * n + k] ..< start[t * n + k + 1]].
    struct Segment {
        var docs: [Int32]
        var flat: [Int32]
        var start: [Int]
        var terms: Int
    }

    var segments: [Segment?]

    init(segments: Int) { self.segments = Array(repeating: nil, count: segments) }

    /// The query terms' matches in `doc`, or nil when the document's positions were not read.
    func matches(segment: Int, doc: Int32) -> MatchPositions? {
        guard segment < segments.count, let s = segments[segment] else { return nil }
        return s.matches(doc: doc)
    }
}

extension PoolPositions.Segment {
    /// The tokens of `doc` that match a query term, ascending by position, each with the index of
    /// the first distinct term it matches (two query terms may match one token), or nil when
    /// `doc` is not among `docs`.
    func matches(doc: Int32) -> MatchPositions? {
        let lo = docs.withUnsafeBufferPointer { Searcher.seek($0, from: 0, to: doc) }
        guard lo < docs.count && docs[lo] == doc else { return nil }
        let n = docs.count
        if terms == 1 {
            // A term's variants' positions follow each other: sorted here, they are distinct.
            let positions = Array(flat[start[lo]..<start[lo + 1]]).sorted()
            return MatchPositions(positions: positions, terms: [Int](repeating: 0, count: positions.count))
        }
        var all: [(position: Int32, term: Int)] = []
        for t in 0..<terms { for p in flat[start[t * n + lo]..<start[t * n + lo + 1]] { all.append((p, t)) } }
        all.sort { $0.position < $1.position || ($0.position == $1.position && $0.term < $1.term) }
        var out = MatchPositions(positions: [], terms: [])
        out.positions.reserveCapacity(all.count); out.terms.reserveCapacity(all.count)
        for m in all where out.positions.last != m.position { out.positions.append(m.position); out.terms.append(m.term) }
        return out
    }
}
