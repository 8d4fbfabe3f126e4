import VNAnalysis
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
    func matches(segment: Int, doc: Int32, phrases: PhraseSyllables? = nil) -> MatchPositions? {
        guard segment < segments.count, let s = segments[segment] else { return nil }
        return s.matches(doc: doc, phrases: phrases)
    }
}

/// The syllables a query typed only inside quoted phrases: for snippets they match where their
/// phrase stands, not alone — `"kiến nghị cử tri"` lights up no lone "nghị" in "nghị quyết".
struct PhraseSyllables {
    /// Each phrase of two syllables or more, as indices into the distinct terms.
    var phrases: [[Int]] = []
    /// Per distinct term: whether every item holding it is such a phrase.
    var phraseOnly: [Bool]

    /// nil when no syllable is phrase-only (no quoted phrase, or each of its syllables also typed alone).
    init?(_ query: Query, distinct: [TermKey]) {
        self.init(terms: query.terms, phrases: query.phraseRanges, distinct: distinct)
    }

    /// `terms[r]` for each of `phrases` is a phrase; terms are numbered by their place in `distinct`.
    init?(terms: [TermKey], phrases ranges: [Range<Int>], distinct: [TermKey]) {
        let id = terms.map { distinct.firstIndex(of: $0)! }
        phraseOnly = Array(repeating: false, count: distinct.count)
        var inPhrase = Array(repeating: false, count: terms.count)
        for r in ranges {
            phrases.append(Array(id[r]))
            for k in r { inPhrase[k] = true; phraseOnly[id[k]] = true }
        }
        for k in terms.indices where !inPhrase[k] { phraseOnly[id[k]] = false }
        if !phraseOnly.contains(true) { return nil }
    }
}

extension PoolPositions.Segment {
    /// The tokens of `doc` that match a query term, ascending by position, each with the index of
    /// the first distinct term it matches (two query terms may match one token), or nil when
    /// `doc` is not among `docs`. With `phrases`, a phrase-only syllable's tokens count only
    /// inside an occurrence of its phrase.
    func matches(doc: Int32, phrases: PhraseSyllables? = nil) -> MatchPositions? {
        let lo = docs.withUnsafeBufferPointer { Searcher.seek($0, from: 0, to: doc) }
        guard lo < docs.count && docs[lo] == doc else { return nil }
        let n = docs.count
        if let phrases { return matches(at: lo, phrases: phrases) }
        if terms == 1 {
            // A term's variants' positions follow each other: sorted here, they are distinct.
            let positions = Array(flat[start[lo]..<start[lo + 1]]).sorted()
            return MatchPositions(positions: positions, terms: [Int](repeating: 0, count: positions.count))
        }
        var all: [(position: Int32, term: Int)] = []
        for t in 0..<terms { for p in flat[start[t * n + lo]..<start[t * n + lo + 1]] { all.append((p, t)) } }
        return Self.byPosition(all)
    }

    /// Matches in position order, each position once with the first term it matches.
    private static func byPosition(_ matches: [(position: Int32, term: Int)]) -> MatchPositions {
        var all = matches
        all.sort { $0.position < $1.position || ($0.position == $1.position && $0.term < $1.term) }
        var out = MatchPositions(positions: [], terms: [])
        out.positions.reserveCapacity(all.count); out.terms.reserveCapacity(all.count)
        for m in all where out.positions.last != m.position { out.positions.append(m.position); out.terms.append(m.term) }
        return out
    }

    /// `matches(doc:phrases:)` for the document at `lo` in `docs`.
    private func matches(at lo: Int, phrases: PhraseSyllables) -> MatchPositions {
        let n = docs.count
        // Each term's positions, sorted (a term's variants' runs follow each other).
        let lists = (0..<terms).map { t in Array(flat[start[t * n + lo]..<start[t * n + lo + 1]]).sorted() }
        func holds(_ t: Int, _ p: Int32) -> Bool {
            lists[t].withUnsafeBufferPointer { l in
                let i = Searcher.seek(l, from: 0, to: p)
                return i < l.count && l[i] == p
            }
        }
        // Tokens inside an occurrence of a phrase, per term.
        var inPhrase = [Set<Int32>](repeating: [], count: terms)
        for phrase in phrases.phrases {
            for p in lists[phrase[0]] where phrase.indices.dropFirst().allSatisfy({ holds(phrase[$0], p + Int32($0)) }) {
                for k in phrase.indices { inPhrase[phrase[k]].insert(p + Int32(k)) }
            }
        }
        var all: [(position: Int32, term: Int)] = []
        for t in 0..<terms {
            for p in lists[t] where !phrases.phraseOnly[t] || inPhrase[t].contains(p) { all.append((p, t)) }
        }
        return Self.byPosition(all)
    }
}
