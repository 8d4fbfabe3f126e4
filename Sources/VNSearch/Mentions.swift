import VNAnalysis
import VNIndex

/// One occurrence of a phrase in a document's text.
public struct Mention: Sendable, Equatable {
    public var id: String
    /// 1-based, in Unicode scalars, in the text as `vnsearch show` prints it.
    public var line: Int
    public var column: Int
    /// The matched original text.
    public var match: String
    /// The line holding the match — or, for a line longer than `TextPositions.wholeLineLimit`
    /// bytes, the stretch of it around the match (cut at spaces).
    public var context: String
    /// The 1-based column, in the line, where `context` starts: 1 when it is the whole line (the
    /// match then stands at `column - 1` scalars into it).
    public var contextColumn: Int = 1
    /// Whether the line goes on after `context`.
    public var contextCutAtEnd = false
}

public struct MentionsResult: Sendable {
    public var query: String
    public var mentions: [Mention]
    public var documents: Int
}

/// Finds every occurrence of a phrase: the index picks the documents holding all its syllables,
/// then each one's text is re-analyzed and scanned with the same matching rule, so nothing the
/// rule matches is missed and nothing else is reported.
public final class MentionFinder {
    public let reader: IndexReader
    private let analyzer = Analyzer()
    private let decompressor = RecordDecompressor()

    public init(reader: IndexReader) { self.reader = reader }

    public func find(_ phrase: String) throws -> MentionsResult {
        var text = phrase.trimmingCharacters(inSet: [" ", "\t"])
        if text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
        let terms = analyzer.analyze(text).map(\.key)
        guard analyzer.lastTokenCount > 0 else {
            throw SearchError.badQuery(query: phrase, problem: "it holds no word", hint: #"Write the name to find, e.g. vnsearch mentions "Thủy Dương""#)
        }
        // A word too long to be indexed (documents drop such tokens) is in no text: as in search,
        // the phrase then occurs nowhere (leaving it out would report a shorter phrase's matches).
        if terms.count < analyzer.lastTokenCount { return MentionsResult(query: phrase, mentions: [], documents: 0) }
        var found: [(String, [Mention])] = []
        for (s, seg) in reader.segments.enumerated() {
            var common: [Int32]? = nil
            for t in terms {
                let r = try TermResolver.resolve(t, in: seg)
                common = common.map { Searcher.intersect($0, r.docs) } ?? r.docs
                if common!.isEmpty { break }
            }
            for d in common ?? [] where !reader.isDeleted(segment: s, doc: Int(d)) {
                let entry = seg.docEntry(Int(d))
                let info = try seg.docInfo(Int(d))
                let bytes = try seg.textBytes(Int(d), using: decompressor)
                let ms = scan(bytes, id: info.id, terms: terms, unaccented: entry.flags & DocEntry.flagUnaccented != 0)
                if !ms.isEmpty { found.append((info.id, ms)) }
            }
        }
        found.sort { $0.0 < $1.0 }
        return MentionsResult(query: phrase, mentions: found.flatMap(\.1), documents: found.count)
    }

    /// Brute-force scan of one text: consecutive tokens matching the terms in order.
    func scan(_ bytes: [UInt8], id: String, terms: [TermKey], unaccented: Bool) -> [Mention] {
        let ranges = bytes.withUnsafeBufferPointer {
            PhraseScan.occurrences(in: $0, terms: terms, unaccented: unaccented, analyzer: analyzer).map { ($0.start, $0.end) }
        }
        guard !ranges.isEmpty else { return [] }
        return TextPositions(bytes).mentions(ranges, id: id)
    }
}

/// Line and column (1-based, Unicode scalars) of byte offsets in a text.
struct TextPositions {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Lines up to this many bytes are a mention's context whole; on a longer one (a text that is
    /// one long line), the context is `contextReach` bytes or so each side of the match, so that
    /// many mentions of one line do not each carry all of it.
    static let wholeLineLimit = 2_048
    static let contextReach = 300

    func mentions(_ ranges: [(Int, Int)], id: String) -> [Mention] {
        var out: [Mention] = []
        var line = 1, lineStart = 0, column = 1, i = 0
        var lineEnd = -1  // the end of the current line, once looked for
        for (start, end) in ranges {
            while i < start {
                if bytes[i] == 0x0A { line += 1; lineStart = i + 1; column = 1; lineEnd = -1 }
                else if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            if lineEnd < start {
                lineEnd = start
                while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            }
            var ctxEnd = lineEnd
            if ctxEnd > lineStart && bytes[ctxEnd - 1] == 0x0D { ctxEnd -= 1 }
            var ctxStart = lineStart, contextColumn = 1, cut = false
            if ctxEnd - lineStart > Self.wholeLineLimit {
                if start - Self.contextReach > lineStart { ctxStart = wordStart(before: start, from: start - Self.contextReach) }
                let last = end + Self.contextReach < ctxEnd ? wordEnd(after: end, to: end + Self.contextReach) : ctxEnd
                cut = last < ctxEnd
                ctxEnd = last
                contextColumn = column - scalars(ctxStart, start)
            }
            out.append(Mention(id: id, line: line, column: column,
                               match: String(decoding: bytes[start..<end], as: UTF8.self),
                               context: String(decoding: bytes[ctxStart..<ctxEnd], as: UTF8.self),
                               contextColumn: contextColumn, contextCutAtEnd: cut))
        }
        return out
    }

    /// Unicode scalars in bytes[from..<to].
    private func scalars(_ from: Int, _ to: Int) -> Int {
        var n = 0
        for k in from..<to where bytes[k] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// A context's start at or after `from` (and at or before `match`): just after a space, else a
    /// scalar's first byte.
    private func wordStart(before match: Int, from: Int) -> Int {
        var k = from
        while k < match && bytes[k] != 0x20 { k += 1 }
        if k < match { return k + 1 }
        k = from
        while k < match && bytes[k] & 0xC0 == 0x80 { k += 1 }
        return k
    }

    /// A context's end at or before `to` (and at or after `from`, the match's end): at a space,
    /// else at a scalar's first byte.
    private func wordEnd(after from: Int, to: Int) -> Int {
        var k = to
        while k > from && bytes[k - 1] != 0x20 { k -= 1 }
        if k > from { return k - 1 }
        k = to
        while k > from && k < bytes.count && bytes[k] & 0xC0 == 0x80 { k -= 1 }
        return k
    }
}

extension String {
    public func trimmingCharacters(inSet set: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
