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

    /// Ascending distinct positions of the query's terms in `doc`, or nil when the document's
    /// positions were not read.
    func positions(segment: Int, doc: Int32) -> [Int32]? {
        guard segment < segments.count, let s = segments[segment] else { return nil }
        return s.positions(doc: doc)
    }
}

extension PoolPositions.Segment {
    /// Ascending distinct positions of every term in `doc` (two query terms may match one token),
    /// or nil when `doc` is not among `docs`.
    func positions(doc: Int32) -> [Int32]? {
        let lo = docs.withUnsafeBufferPointer { Searcher.seek($0, from: 0, to: doc) }
        guard lo < docs.count && docs[lo] == doc else { return nil }
        let n = docs.count
        var all: [Int32] = []
        for t in 0..<terms { all.append(contentsOf: flat[start[t * n + lo]..<start[t * n + lo + 1]]) }
        all.sort()
        var unique: [Int32] = []
        unique.reserveCapacity(all.count)
        for p in all where unique.last != p { unique.append(p) }
        return unique
    }
}

/// A stretch of a document's text to analyse for snippets, and how many matched tokens the index
/// places in it: once that many are found, the rest of the stretch holds none.
public struct MatchStretch: Equatable, Sendable {
    public var bytes: Range<Int>
    public var matches: Int

    public init(bytes: Range<Int>, matches: Int) { self.bytes = bytes; self.matches = matches }
}

enum MatchStretches {
    /// The stretches of a text of `count` bytes that hold the tokens at `positions` (ascending,
    /// distinct): the blocks of `DocInfo.tokenMarkInterval` tokens around them, adjacent ones
    /// joined. Each starts at a token (or at 0), so analysing it alone yields the same tokens as
    /// analysing the whole text.
    static func stretches(positions: [Int32], marks: [Int], count: Int) -> [MatchStretch] {
        var out: [MatchStretch] = []
        var i = 0
        while i < positions.count {
            let block = Int(positions[i]) / DocInfo.tokenMarkInterval
            var n = 0
            while i < positions.count && Int(positions[i]) / DocInfo.tokenMarkInterval == block { n += 1; i += 1 }
            append(block: block, matches: n, marks: marks, count: count, to: &out)
        }
        return out
    }

    /// The byte ranges of the blocks `blocks` (ascending `position / DocInfo.tokenMarkInterval`).
    static func ranges(blocks: [Int], marks: [Int], count: Int) -> [Range<Int>] {
        var out: [MatchStretch] = []
        for b in blocks { append(block: b, matches: 0, marks: marks, count: count, to: &out) }
        return out.map(\.bytes)
    }

    private static func append(block b: Int, matches: Int, marks: [Int], count: Int, to out: inout [MatchStretch]) {
        // Block b runs from the first token at position ≥ b × interval (marks[b − 1]) to the
        // first at ≥ (b + 1) × interval (marks[b]); offsets are clamped, as records are data.
        let lo = b <= 0 || marks.isEmpty ? 0 : min(max(marks[min(b, marks.count) - 1], 0), count)
        let hi = b < marks.count ? min(max(marks[b], lo), count) : count
        if let last = out.last, last.bytes.upperBound >= lo {
            out[out.count - 1] = MatchStretch(bytes: last.bytes.lowerBound..<max(last.bytes.upperBound, hi), matches: last.matches + matches)
        } else if lo < hi {
            out.append(MatchStretch(bytes: lo..<hi, matches: matches))
        }
    }
}
