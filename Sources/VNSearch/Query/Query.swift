import VNAnalysis

/// A parsed query: groups that must match (each a set of alternatives joined by OR) and
/// items that must not.
///
///     "kỳ họp" HĐND -"tổ dân phố"    →  required: [["kỳ họp"], [HĐND]], excluded: ["tổ dân phố"]
///     thủy OR thuỷ dương             →  required: [[thủy, thuỷ], [dương]]
public struct Query: Sendable, Equatable {
    public var required: [[QueryItem]]
    public var excluded: [QueryItem]

    /// Every required term, in the order typed (for proximity scoring and highlighting).
    public var terms: [TermKey] { required.flatMap { $0.flatMap(\.terms) } }

    /// Where each required phrase of two syllables or more stands in `terms`.
    public var phraseRanges: [Range<Int>] {
        var out: [Range<Int>] = [], at = 0
        for item in required.joined() {
            if item.isPhrase && item.terms.count > 1 { out.append(at..<at + item.terms.count) }
            at += item.terms.count
        }
        return out
    }
}

/// One unit of a query: a single syllable, or syllables that must stand adjacent and in order.
public enum QueryItem: Sendable, Equatable {
    case term(TermKey)
    case phrase([TermKey])

    public var terms: [TermKey] {
        switch self {
        case .term(let t): return [t]
        case .phrase(let ts): return ts
        }
    }

    public var isPhrase: Bool { if case .phrase = self { return true } else { return false } }
}

extension TermKey {
    /// Stands for a query word longer than `Analyzer.maxTokenBytes`: no folded key holds a control
    /// character, so it is in no dictionary and matches nothing.
    static let unindexable = TermKey(folded: "\u{1}", exact: [1, 0], hasDiacritics: true)
}

/// Parses the query language: words (AND), "quoted phrases", -exclusions, OR between items.
public enum QueryParser {
    public static let hint = #"Write words to find all of them (kiến nghị cử tri), "quotes" for an exact phrase, -word or -"a phrase" to exclude, OR between alternatives: "kỳ họp" HĐND -"tổ dân phố""#

    private enum Lexeme: Equatable { case word(String, negated: Bool), phrase(String, negated: Bool), or }

    public static func parse(_ text: String, analyzer: Analyzer = Analyzer()) throws -> Query {
        func bad(_ problem: String) -> SearchError { .badQuery(query: text, problem: problem, hint: hint) }
        // Lex.
        var lexemes: [Lexeme] = []
        var chars = Array(text.unicodeScalars)
        // Typographic quotes count as quotes.
        for i in chars.indices where chars[i] == "\u{201C}" || chars[i] == "\u{201D}" || chars[i] == "\u{201E}" { chars[i] = "\"" }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.properties.isWhitespace { i += 1; continue }
            var negated = false
            if c == "-" && i + 1 < chars.count && !chars[i + 1].properties.isWhitespace {
                negated = true
                i += 1
            }
            if chars[i] == "\"" {
                guard let close = chars[(i + 1)...].firstIndex(of: "\"") else { throw bad("a quote is not closed") }
                var s = String.UnicodeScalarView(); s.append(contentsOf: chars[(i + 1)..<close])
                lexemes.append(.phrase(String(s), negated: negated))
                i = close + 1
                continue
            }
            var j = i
            while j < chars.count && !chars[j].properties.isWhitespace && chars[j] != "\"" { j += 1 }
            var s = String.UnicodeScalarView(); s.append(contentsOf: chars[i..<j])
            let word = String(s)
            if word == "OR" && !negated { lexemes.append(.or) } else { lexemes.append(.word(word, negated: negated)) }
            i = j
        }
        // Build groups.
        var required: [[QueryItem]] = []
        var excluded: [QueryItem] = []
        var pendingOr = false
        for (k, lx) in lexemes.enumerated() {
            switch lx {
            case .or:
                guard k > 0, !required.isEmpty, lexemes[k - 1] != .or, k + 1 < lexemes.count else { throw bad("OR needs a word or phrase on each side") }
                if case .word(_, true) = lexemes[k - 1] { throw bad("OR cannot join an exclusion") }
                if case .phrase(_, true) = lexemes[k - 1] { throw bad("OR cannot join an exclusion") }
                pendingOr = true
            case .word(let w, let negated), .phrase(let w, let negated):
                let analyzed = analyzer.analyze(w)
                var tokens = analyzed.map(\.key)
                if analyzer.lastTokenCount > analyzed.count {
                    // A word too long to be indexed (documents drop such tokens) takes its place
                    // as a term no document holds, so "all words must occur" still holds.
                    tokens = Array(repeating: TermKey.unindexable, count: analyzer.lastTokenCount)
                    for t in analyzed { tokens[t.position] = t.key }
                }
                let isPhrase: Bool = { if case .phrase = lx { return true } else { return false } }()
                if tokens.isEmpty {
                    if isPhrase { throw bad("the phrase \"\(w)\" holds no word") }
                    if pendingOr { throw bad("OR needs a word or phrase on each side") }
                    continue  // lone punctuation
                }
                let item: QueryItem = tokens.count == 1 ? .term(tokens[0]) : .phrase(tokens)
                if negated {
                    if pendingOr { throw bad("OR cannot join an exclusion") }
                    excluded.append(item)
                } else if pendingOr {
                    required[required.count - 1].append(item)
                    pendingOr = false
                } else {
                    required.append([item])
                }
            }
        }
        if required.isEmpty {
            throw bad(excluded.isEmpty ? "the query is empty" : "a query cannot hold only exclusions")
        }
        return Query(required: required, excluded: excluded)
    }
}
