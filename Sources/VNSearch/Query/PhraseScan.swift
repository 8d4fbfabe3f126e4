import VNAnalysis

/// Where a phrase stands in a text analysed whole: runs of adjacent tokens matching its syllables
/// in order under the matching rule — what the index's positions give, found without them.
/// `mentions` lists these in a document's text; the searcher checks titles with them, as titles
/// are indexed without positions.
enum PhraseScan {
    /// Byte ranges [start, end) of each occurrence, in text order (overlapping ones too: "a a" in
    /// "a a a" twice).
    static func occurrences(in bytes: UnsafeBufferPointer<UInt8>, terms: [TermKey], unaccented: Bool,
                            analyzer: Analyzer) -> [(start: Int, end: Int)] {
        guard !terms.isEmpty else { return [] }
        var tokens: [(start: Int, end: Int, position: Int)] = []
        // Which phrase terms each token matches: `words` 64-bit words per token, bit k for term k.
        let words = (terms.count + 63) / 64
        var matches: [UInt64] = []
        let matchers = terms.map(TermMatcher.init)
        analyzer.analyze(bytes) { t in
            let at = matches.count
            matches.append(contentsOf: repeatElement(0, count: words))
            for k in matchers.indices where matchers[k].matches(term: t.term, foldedCount: t.foldedCount, unaccented: unaccented) {
                matches[at + k / 64] |= 1 << UInt64(k % 64)
            }
            tokens.append((t.start, t.end, t.position))
        }
        func matched(_ token: Int, _ k: Int) -> Bool { matches[token * words + k / 64] & (1 << UInt64(k % 64)) != 0 }
        var ranges: [(start: Int, end: Int)] = []
        let n = terms.count
        guard tokens.count >= n else { return [] }
        for i in 0...(tokens.count - n) where matched(i, 0) {
            var ok = true
            // Adjacent positions, as the index sees them (an overlong token in between breaks a phrase).
            for k in 1..<n where !matched(i + k, k) || tokens[i + k].position != tokens[i].position + k {
                ok = false; break
            }
            if ok { ranges.append((tokens[i].start, tokens[i + n - 1].end)) }
        }
        return ranges
    }
}
