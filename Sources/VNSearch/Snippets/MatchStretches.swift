import VNIndex

/// Where the query's terms stand in the re-ranked pool's documents (positions read for the
/// proximity score), kept so that a hit's snippets analyse only the stretches of its text that
/// hold a match: the token marks of the document's record turn positions into byte ranges.
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

    /// Ascending distinct `position / interval` of every query term's positions in `doc`, or nil
    /// when the document's positions were not read.
    func blocks(segment: Int, doc: Int32, interval: Int) -> [Int]? {
        guard segment < segments.count, let s = segments[segment] else { return nil }
        return s.blocks(doc: doc, interval: interval)
    }
}

extension PoolPositions.Segment {
    /// Ascending distinct `position / interval` of every term's positions in `doc`, or nil when
    /// `doc` is not among `docs`.
    func blocks(doc: Int32, interval: Int) -> [Int]? {
        let lo = docs.withUnsafeBufferPointer { Searcher.seek($0, from: 0, to: doc) }
        guard lo < docs.count && docs[lo] == doc else { return nil }
        let n = docs.count
        var blocks: [Int] = []
        for t in 0..<terms {
            for i in start[t * n + lo]..<start[t * n + lo + 1] { blocks.append(Int(flat[i]) / interval) }
        }
        blocks.sort()
        var unique: [Int] = []
        unique.reserveCapacity(blocks.count)
        for b in blocks where unique.last != b { unique.append(b) }
        return unique
    }
}

enum MatchStretches {
    /// The byte ranges of a text of `count` bytes that hold the tokens of `blocks` (ascending
    /// `position / DocInfo.tokenMarkInterval`), adjacent ones joined. Each range starts at a
    /// token (or at 0), so analysing it alone yields the same tokens as analysing the whole text.
    static func ranges(blocks: [Int], marks: [Int], count: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for b in blocks {
            // Block b runs from the first token at position ≥ b × interval (marks[b − 1]) to the
            // first at ≥ (b + 1) × interval (marks[b]); offsets are clamped, as records are data.
            let lo = b <= 0 || marks.isEmpty ? 0 : min(max(marks[min(b, marks.count) - 1], 0), count)
            let hi = b < marks.count ? min(max(marks[b], lo), count) : count
            if let last = out.last, last.upperBound >= lo {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, hi)
            } else if lo < hi {
                out.append(lo..<hi)
            }
        }
        return out
    }
}
