import VNAnalysis

/// A fragment of a document's ORIGINAL text with the matched syllables marked.
public struct Snippet: Sendable, Equatable {
    public var text: String
    /// [start, end) offsets in Unicode scalars into `text`.
    public var highlights: [[Int]]
}

/// Whether a document token matches a query syllable under the matching rule.
enum TermMatcher {
    @inline(__always)
    static func matches(term: UnsafeBufferPointer<UInt8>, foldedCount: Int, query q: TermKey, unaccented: Bool) -> Bool {
        let prefix = q.foldedPrefix
        guard foldedCount + 1 == prefix.count else { return false }
        if q.hasDiacritics && !unaccented {
            return term.elementsEqual(q.exact)
        }
        return term.prefix(prefix.count).elementsEqual(prefix)
    }
}

/// Picks up to two fragments (about 200 characters each) where the matched terms are densest,
/// as FTS5 does: a window scores 1000 per distinct query term it holds plus 1 per repeat.
public final class SnippetGenerator {
    public var fragmentLength = 200
    public var maxFragments = 2
    /// Characters of context kept before the first match of a fragment.
    public var lead = 40
    private let analyzer = Analyzer()

    public init() {}

    public func snippets(text bytes: [UInt8], terms: [TermKey], unaccented: Bool) -> [Snippet] {
        // Matched tokens, as byte ranges with the index of the query term they match.
        var matches: [(start: Int, end: Int, term: Int)] = []
        bytes.withUnsafeBufferPointer { buf in
            analyzer.analyze(buf) { t in
                for (k, q) in terms.enumerated()
                where TermMatcher.matches(term: t.term, foldedCount: t.foldedCount, query: q, unaccented: unaccented) {
                    matches.append((t.start, t.end, k))
                    break
                }
            }
        }
        // Scalars of the text with their byte offsets (to turn byte ranges into scalar offsets).
        let text = String(decoding: bytes, as: UTF8.self)
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(bytes.count); offsets.reserveCapacity(bytes.count + 1)
        var o = 0
        for s in text.unicodeScalars { scalars.append(s); offsets.append(o); o += UTF8.width(s) }
        offsets.append(o)
        func scalarIndex(_ byte: Int) -> Int {
            var lo = 0, hi = offsets.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if offsets[mid] < byte { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        let m = matches.map { (start: scalarIndex($0.start), end: scalarIndex($0.end), term: $0.term) }
        if m.isEmpty {
            guard !scalars.isEmpty else { return [] }
            return [fragment(scalars, from: 0, to: min(scalars.count, fragmentLength), matches: [])]
        }
        // Best windows, not overlapping.
        var chosen: [(Int, Int)] = []
        var used = [Bool](repeating: false, count: m.count)
        for _ in 0..<maxFragments {
            var best = -1, bestScore = 0
            for i in m.indices where !used[i] {
                let start = max(0, m[i].start - lead), end = start + fragmentLength
                if chosen.contains(where: { start < $0.1 && end > $0.0 }) { continue }
                var seen = Set<Int>(), score = 0
                for j in i..<m.count where m[j].end <= end {
                    score += seen.insert(m[j].term).inserted ? 1000 : 1
                }
                if score > bestScore { best = i; bestScore = score }
            }
            if best < 0 { break }
            let start = max(0, m[best].start - lead)
            let end = min(scalars.count, start + fragmentLength)
            chosen.append((start, end))
            for j in m.indices where m[j].start >= start && m[j].end <= end { used[j] = true }
        }
        chosen.sort { $0.0 < $1.0 }
        return chosen.map { fragment(scalars, from: $0.0, to: $0.1, matches: m) }
    }

    /// Cuts [from, to) at word boundaries without losing a match, adds "…", maps highlights.
    private func fragment(_ s: [Unicode.Scalar], from: Int, to: Int, matches: [(start: Int, end: Int, term: Int)]) -> Snippet {
        let inside = matches.filter { $0.start >= from && $0.end <= to }
        var start = from, end = to
        if start > 0 {
            let limit = inside.first?.start ?? end
            var k = start
            while k < limit && !s[k].properties.isWhitespace { k += 1 }
            if k < limit { start = k }
            while start < limit && s[start].properties.isWhitespace { start += 1 }
        }
        if end < s.count {
            let limit = inside.last?.end ?? start
            var k = end
            while k > limit && !s[k - 1].properties.isWhitespace { k -= 1 }
            if k > limit { end = k }
            while end > limit && s[end - 1].properties.isWhitespace { end -= 1 }
        }
        // Runs of whitespace (line breaks included) show as one space; `at[k]` maps source scalar
        // k to its offset in the fragment so highlights stay exact.
        var out = String.UnicodeScalarView()
        var at = [Int](repeating: 0, count: end - start + 1)
        var n = 0
        if start > 0 { out.append("…"); n = 1 }
        var lastWasSpace = false
        for k in start..<end {
            at[k - start] = n
            let c = s[k]
            if c.properties.isWhitespace {
                if lastWasSpace { continue }
                out.append(" "); lastWasSpace = true
            } else {
                out.append(c); lastWasSpace = false
            }
            n += 1
        }
        at[end - start] = n
        if end < s.count { out.append("…") }
        // Adjacent matches separated only by spaces are marked as one run: [kiến nghị cử tri].
        var highlights: [[Int]] = []
        for m in inside where m.start >= start && m.end <= end {
            let h = [at[m.start - start], at[m.end - start]]
            if let last = highlights.last, h[0] - last[1] <= 1,
               (last[1]..<h[0]).allSatisfy({ i in out[out.index(out.startIndex, offsetBy: i)] == " " }) {
                highlights[highlights.count - 1][1] = h[1]
            } else {
                highlights.append(h)
            }
        }
        return Snippet(text: String(out), highlights: highlights)
    }
}
