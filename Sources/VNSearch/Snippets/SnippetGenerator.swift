import VNAnalysis
import VNIndex

/// A fragment of a document's ORIGINAL text with the matched syllables marked.
public struct Snippet: Sendable, Equatable {
    /// The fragment's UTF-8, cut from stored text at scalar boundaries. Kept as bytes: JSON output
    /// writes them as they are, where making each fragment a `String` validated it again (about a
    /// tenth of building a hit).
    public var utf8: [UInt8]
    /// The highlights' bounds, flat: start, end, start, end, … ([start, end) offsets in Unicode
    /// scalars into `text`). One array: a fragment's highlights as arrays of their own cost an
    /// allocation each, about a third of cutting the fragment.
    public var bounds: [Int]

    public var text: String { String(decoding: utf8, as: UTF8.self) }

    /// [start, end) offsets in Unicode scalars into `text`, one pair per highlight.
    public var highlights: [[Int]] { stride(from: 0, to: bounds.count - 1, by: 2).map { [bounds[$0], bounds[$0 + 1]] } }

    /// `highlights`: pairs (others are dropped).
    public init(text: String, highlights: [[Int]]) {
        utf8 = Array(text.utf8); bounds = highlights.filter { $0.count == 2 }.flatMap { $0 }
    }
    init(utf8: [UInt8], bounds: [Int]) { self.utf8 = utf8; self.bounds = bounds }
}

/// A query syllable prepared for matching document tokens under the matching rule: without
/// diacritics it matches every token with its folded key; with diacritics, its exact key only
/// (or the folded key, in a document typed without diacritics).
struct TermMatcher {
    let prefix: [UInt8]      // folded key + 0x00
    let exact: [UInt8]
    let hasDiacritics: Bool

    init(_ q: TermKey) { prefix = q.foldedPrefix; exact = q.exact; hasDiacritics = q.hasDiacritics }

    @inline(__always)
    func matches(term: UnsafeBufferPointer<UInt8>, foldedCount: Int, unaccented: Bool) -> Bool {
        guard foldedCount + 1 == prefix.count else { return false }
        if hasDiacritics && !unaccented {
            return term.count == exact.count && exact.withUnsafeBufferPointer { memcmp($0.baseAddress!, term.baseAddress!, term.count) == 0 }
        }
        return prefix.withUnsafeBufferPointer { memcmp($0.baseAddress!, term.baseAddress!, foldedCount) == 0 }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Picks up to two fragments (about 200 characters each) where the matched terms are densest,
/// much as FTS5 does: a window scores 1000 per distinct query term it holds, 100 per two query
/// syllables standing next to each other in the query's order, and 1 per repeat.
public final class SnippetGenerator {
    public var fragmentLength = 200
    public var maxFragments = 2
    /// Characters of context kept before the first match of a fragment.
    public var lead = 40
    private let analyzer = Analyzer()

    public init() {}

    /// Snippets of a text analysed whole: every token's keys are built and matched against the
    /// query's terms (what `snippets(text:matches:marks:)` reads from the index instead). A term
    /// typed only inside `phrases` (ranges of `terms`: `Query.phraseRanges`) matches only where
    /// its phrase stands.
    public func snippets(text bytes: [UInt8], terms: [TermKey], unaccented: Bool, phrases: [Range<Int>] = []) -> [Snippet] {
        // Matched tokens: byte range, position, and every query term they match.
        var tokens: [(start: Int, end: Int, position: Int, terms: [Int])] = []
        let matchers = terms.map(TermMatcher.init)
        bytes.withUnsafeBufferPointer { buf in
            analyzer.analyze(buf) { t in
                let ks = matchers.indices.filter { matchers[$0].matches(term: t.term, foldedCount: t.foldedCount, unaccented: unaccented) }
                if !ks.isEmpty { tokens.append((t.start, t.end, t.position, ks)) }
            }
        }
        // A term's key is the first place it is typed; phrase-only keys count where a phrase
        // stands (its tokens at adjacent positions, each matching its syllable).
        let key = terms.map { terms.firstIndex(of: $0)! }
        var phraseOnly = Set<Int>(), alone = Set<Int>()
        for k in terms.indices { if phrases.contains(where: { $0.contains(k) }) { phraseOnly.insert(key[k]) } else { alone.insert(key[k]) } }
        phraseOnly.subtract(alone)
        var covered = Set<[Int]>()  // [position, key]
        for r in phrases where r.contains(where: { phraseOnly.contains(key[$0]) }) {
            for i in tokens.indices where tokens[i].terms.contains(r.lowerBound) {
                let n = r.count
                guard i + n <= tokens.count, (1..<n).allSatisfy({ j in
                    tokens[i + j].position == tokens[i].position + j && tokens[i + j].terms.contains(r.lowerBound + j)
                }) else { continue }
                for j in 0..<n { covered.insert([tokens[i].position + j, key[r.lowerBound + j]]) }
            }
        }
        var m: [Match] = []
        for t in tokens {
            if let k = t.terms.first(where: { !phraseOnly.contains(key[$0]) || covered.contains([t.position, key[$0]]) }) {
                m.append(Match(start: t.start, end: t.end, term: k, position: t.position))
            }
        }
        return snippets(text: bytes, matches: m)
    }

    /// Snippets from the matched tokens the index knows of: `matches.positions` (ascending) and the
    /// query term each matches, located in the text by its token boundaries from the document's
    /// token marks (`DocInfo.tokenMarks`, exact, one every `interval` positions) on — no keys
    /// built, only the bytes up to each match read. The same snippets as analysing the whole text,
    /// as the index and the matching rule agree.
    public func snippets(text bytes: [UInt8], matches: MatchPositions, marks: [Int], interval: Int = DocInfo.tokenMarkInterval) -> [Snippet] {
        var m: [Match] = []
        m.reserveCapacity(matches.positions.count)
        bytes.withUnsafeBufferPointer { b in
            matches.positions.withUnsafeBufferPointer { positions in
                marks.withUnsafeBufferPointer { marks in
                    analyzer.tokenSpans(in: b, at: positions, marks: marks, interval: interval) { k, start, end in
                        m.append(Match(start: start, end: end, term: matches.terms[k], position: Int(matches.positions[k])))
                    }
                }
            }
        }
        return snippets(text: bytes, matches: m)
    }

    /// A matched token: its bytes and the index of the query term it matches (the first, when
    /// several do).
    struct Match {
        var start: Int
        var end: Int
        var term: Int
        var position: Int
    }

    /// The best windows around `m` (ascending, not overlapping), cut into fragments.
    private func snippets(text bytes: [UInt8], matches m: [Match]) -> [Snippet] {
        if m.isEmpty {
            guard !bytes.isEmpty else { return [] }
            return bytes.withUnsafeBufferPointer { b in [fragment(b, from: 0, to: Self.advance(b, 0, fragmentLength), matches: [])] }
        }
        // Scalar offsets of every match, in one pass over the bytes (starts and ends alternate:
        // tokens do not overlap).
        var scalarStart = [Int](repeating: 0, count: m.count), scalarEnd = [Int](repeating: 0, count: m.count)
        bytes.withUnsafeBufferPointer { b in
            var at = 0, k = 0
            for j in m.indices {
                k += Self.scalarCount(b, from: at, to: m[j].start); at = m[j].start; scalarStart[j] = k
                k += Self.scalarCount(b, from: at, to: m[j].end); at = m[j].end; scalarEnd[j] = k
            }
        }
        // Each window's score: the window starting `lead` characters before match i holds the
        // matches i..<j that end inside it; both ends only move forward, so one pass counts them
        // all (per term, for the distinct ones). Then query syllables standing next to each other
        // in the query's order (the phrase, typed or not), then repeats.
        var pairsBefore = [Int](repeating: 0, count: m.count + 1)
        for j in m.indices {
            let pair = j > 0 && m[j].position == m[j - 1].position + 1 && m[j].term == m[j - 1].term + 1
            pairsBefore[j + 1] = pairsBefore[j] + (pair ? 1 : 0)
        }
        var score = [Int](repeating: 0, count: m.count)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { counts in
            counts.initialize(repeating: 0)
            var j = 0, distinct = 0
            for i in m.indices {
                if i > 0 && i - 1 < j {
                    let t = min(m[i - 1].term, 63)
                    counts[t] -= 1
                    if counts[t] == 0 { distinct -= 1 }
                }
                j = max(j, i)
                let end = max(0, scalarStart[i] - lead) + fragmentLength
                while j < m.count && scalarEnd[j] <= end {
                    let t = min(m[j].term, 63)
                    if counts[t] == 0 { distinct += 1 }
                    counts[t] += 1
                    j += 1
                }
                let pairs = j > i + 1 ? pairsBefore[j] - pairsBefore[i + 1] : 0
                score[i] = 1000 * distinct + 100 * pairs + (j - i - distinct)
            }
        }
        // Best windows (measured in characters), not overlapping.
        var chosenScalar: [(Int, Int)] = []
        var chosen: [(Int, Int)] = []
        var used = [Bool](repeating: false, count: m.count)
        for _ in 0..<maxFragments {
            var best = -1, bestScore = 0
            for i in m.indices where !used[i] && score[i] > bestScore {
                let start = max(0, scalarStart[i] - lead), end = start + fragmentLength
                if chosenScalar.contains(where: { start < $0.1 && end > $0.0 }) { continue }
                best = i; bestScore = score[i]
            }
            if best < 0 { break }
            // A window that would open a few words into the text opens at its start instead.
            var startScalar = scalarStart[best] - lead < lead / 2 ? 0 : scalarStart[best] - lead
            // Bytes of the window, walked only for the chosen one.
            let (startByte, endByte) = bytes.withUnsafeBufferPointer { b in
                var first = Self.retreat(b, m[best].start, scalarStart[best] - startScalar)
                let last = Self.advance(b, first, fragmentLength)
                if last == b.count {
                    // The text ends inside the window: it starts earlier instead (never inside a
                    // fragment already chosen), so the fragment still shows about its length.
                    let short = fragmentLength - Self.scalarCount(b, from: first, to: last)
                    let floor = chosenScalar.filter { $0.1 <= startScalar }.map(\.1).max() ?? 0
                    let back = min(short, startScalar - floor)
                    if back > 0 {
                        let earlier = Self.retreat(b, first, back)
                        startScalar -= Self.scalarCount(b, from: earlier, to: first)
                        first = earlier
                    }
                }
                return (first, last)
            }
            chosenScalar.append((startScalar, startScalar + fragmentLength))
            chosen.append((startByte, endByte))
            for j in m.indices where m[j].start >= startByte && m[j].end <= endByte { used[j] = true }
        }
        chosen.sort { $0.0 < $1.0 }
        return bytes.withUnsafeBufferPointer { b in chosen.map { fragment(b, from: $0.0, to: $0.1, matches: m[...]) } }
    }

    // MARK: UTF-8 walking (characters counted as Unicode scalars)

    @inline(__always) static func isLead(_ b: UInt8) -> Bool { b & 0xC0 != 0x80 }

    /// Unicode scalars that start in `b[from..<to]`: bytes other than continuation bytes
    /// (10xxxxxx), counted eight at a time.
    static func scalarCount(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard let base = b.baseAddress, from < to else { return 0 }
        var i = from, n = 0
        // Continuation flags (one per byte lane, see `leads`) summed over up to 255 words before
        // one multiply adds the lanes: a lane cannot pass 255.
        while to - i >= 8 {
            let words = min((to - i) / 8, 255)
            var lanes: UInt64 = 0
            for k in 0..<words {
                let w = UnsafeRawPointer(base + i + 8 * k).loadUnaligned(as: UInt64.self)
                lanes &+= (w & ~(w << 1) & 0x8080_8080_8080_8080) >> 7
            }
            // Lanes of up to 255 each: summed in 16-bit pairs, then by one multiply.
            let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes >> 8) & 0x00FF_00FF_00FF_00FF)
            let continuations = Int((pairs &* 0x0001_0001_0001_0001) >> 48)
            n += 8 * words - continuations
            i += 8 * words
        }
        while i < to { if isLead(base[i]) { n += 1 }; i += 1 }
        return n
    }

    /// How many of the 8 bytes at `p` start a scalar.
    @inline(__always) static func leads(_ p: UnsafePointer<UInt8>) -> Int {
        let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        // A continuation byte has bit 7 set and bit 6 clear; w << 1 brings each bit 6 under bit 7.
        // Their flags, moved to each byte's bit 0, are summed into the top byte by one multiply
        // (cheaper than a population count without the POPCNT instruction).
        let continuations = ((w & ~(w << 1) & 0x8080_8080_8080_8080) >> 7) &* 0x0101_0101_0101_0101
        return 8 - Int(continuations >> 56)
    }

    /// Byte offset `n` scalars after `from` (a scalar's first byte), or the end.
    static func advance(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ n: Int) -> Int {
        guard let base = b.baseAddress else { return 0 }
        var i = from, k = 0  // k: scalars starting in b[from..<i]
        // Eight bytes start at most eight scalars: words are taken while that cannot pass the n-th.
        while n - k >= 8 && b.count - i >= 8 { k += leads(base + i); i += 8 }
        while i < b.count && !isLead(b[i]) { i += 1 }
        while i < b.count && k < n { i += 1; while i < b.count && !isLead(b[i]) { i += 1 }; k += 1 }
        return i
    }

    /// Byte offset `n` scalars before `from` (or 0).
    static func retreat(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ n: Int) -> Int {
        var i = from, k = 0
        while i > 0 && k < n { i -= 1; while i > 0 && !isLead(b[i]) { i -= 1 }; k += 1 }
        return i
    }

    /// ASCII whitespace and NBSP: where fragments may be cut.
    @inline(__always) static func isSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let c = b[i]
        return c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0B || c == 0x0C
            || (c == 0xC2 && i + 1 < b.count && b[i + 1] == 0xA0) || (c == 0xA0 && i > 0 && b[i - 1] == 0xC2)
    }

    /// Cuts [from, to) at word boundaries without losing a match, adds "…", maps highlights.
    /// The matches lying whole in [from, to): one run of `matches`, which are ascending and do not
    /// overlap.
    static func within(_ matches: ArraySlice<Match>, _ from: Int, _ to: Int) -> ArraySlice<Match> {
        var lo = matches.startIndex
        while lo < matches.endIndex && matches[lo].start < from { lo += 1 }
        var hi = lo
        while hi < matches.endIndex && matches[hi].end <= to { hi += 1 }
        return matches[lo..<hi]
    }

    private func fragment(_ b: UnsafeBufferPointer<UInt8>, from: Int, to: Int, matches: ArraySlice<Match>) -> Snippet {
        let inside = Self.within(matches, from, to)
        var start = from, end = to
        if start > 0 && !Self.isSpace(b, start - 1) {
            let limit = inside.first?.start ?? end
            var k = start
            while k < limit && !Self.isSpace(b, k) { k += 1 }
            if k < limit { start = k }
        }
        while start < (inside.first?.start ?? end) && Self.isSpace(b, start) { start += 1 }
        if end < b.count && !Self.isSpace(b, end) {
            let limit = inside.last?.end ?? start
            var k = end
            while k > limit && !Self.isSpace(b, k - 1) { k -= 1 }
            if k > limit { end = k }
        }
        while end > (inside.last?.end ?? start) && Self.isSpace(b, end - 1) { end -= 1 }
        // Copy the window's bytes; runs of whitespace show as one space. The highlights' scalar
        // offsets are read as the copy passes each match's first and end byte.
        let shown = Self.within(inside, start, end)
        var edges = [Int](repeating: 0, count: 2 * shown.count)  // scalar offsets: start, end, start, …
        var edge = 0
        let first = shown.startIndex
        @inline(__always) func byteOf(_ e: Int) -> Int { e & 1 == 0 ? shown[first + (e >> 1)].start : shown[first + (e >> 1)].end }
        var n = 0
        let ellipsis: [UInt8] = [0xE2, 0x80, 0xA6]
        // "…" only where text was left out: not for whitespace alone before or after the fragment.
        var before = start
        while before > 0 && Self.isSpace(b, before - 1) { before -= 1 }
        var after = end
        while after < b.count && Self.isSpace(b, after) { after += 1 }
        let out = [UInt8](unsafeUninitializedCapacity: end - start + 2 * ellipsis.count) { o, written in
            let src = b.baseAddress!, dst = o.baseAddress!
            var k = 0
            if before > 0 { for e in ellipsis { dst[k] = e; k += 1 }; n = 1 }
            var lastWasSpace = false
            var i = start
            while true {
                // Up to the next match edge: bytes copied as they are but for runs of whitespace;
                // scalars counted as the bytes that do not continue one (stored text is valid UTF-8).
                let stop = edge < edges.count ? min(byteOf(edge), end) : end
                while i < stop {
                    let c = src[i]
                    if c > 0x20 && c != 0xC2 {
                        dst[k] = c; k += 1; n &+= c & 0xC0 != 0x80 ? 1 : 0; lastWasSpace = false; i += 1
                        continue
                    }
                    let nbsp = c == 0xC2 && i + 1 < b.count && src[i + 1] == 0xA0
                    if c == 0x20 || (c >= 0x09 && c <= 0x0D) || nbsp {
                        if !lastWasSpace { dst[k] = 0x20; k += 1; lastWasSpace = true; n += 1 }
                        i += nbsp ? 2 : 1
                    } else {
                        dst[k] = c; k += 1; n += 1; lastWasSpace = false; i += 1
                    }
                }
                guard edge < edges.count else { break }
                edges[edge] = n; edge += 1
            }
            if after < b.count { for e in ellipsis { dst[k] = e; k += 1 } }
            written = k
        }
        // Adjacent matches separated only by whitespace are marked as one run: [kiến nghị cử tri].
        // The edges are merged in place into the highlights' bounds.
        var kept = 0
        var previousEnd = -1
        for (j, m) in shown.enumerated() {
            if previousEnd >= 0, (previousEnd..<m.start).allSatisfy({ Self.isSpace(b, $0) }) {
                edges[kept - 1] = edges[2 * j + 1]
            } else {
                edges[kept] = edges[2 * j]; edges[kept + 1] = edges[2 * j + 1]
                kept += 2
            }
            previousEnd = m.end
        }
        edges.removeLast(edges.count - kept)
        return Snippet(utf8: out, bounds: edges)
    }
}

/// The tokens of a document that match a query, as the index places them: ascending positions,
/// and for each the index of the query term it matches (the first, when several do).
public struct MatchPositions: Sendable, Equatable {
    public var positions: [Int32]
    public var terms: [Int]

    public init(positions: [Int32], terms: [Int]) { self.positions = positions; self.terms = terms }
}
