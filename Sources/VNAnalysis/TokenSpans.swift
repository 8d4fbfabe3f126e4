/// Where tokens stand in a text, read from their boundaries alone.
///
/// Snippets know from the index which positions hold a match; what they need is those tokens'
/// bytes. Building every token's keys to count up to them (what `analyze` does) cost about fifty
/// instructions a byte; walking the same boundaries without keys costs a few. The rules are
/// `analyze`'s, character for character (a token is a maximal run of letters, digits and
/// combining marks; default-ignorables are skipped inside it; every token takes a position);
/// a test holds the two to the same tokens.
extension Analyzer {
    /// Calls `body(k, start, end)` with the byte range of the token at `positions[k]`, for each
    /// position (ascending) that the text holds.
    ///
    /// - Parameters:
    ///   - marks: `marks[j]` is the byte offset of the token at position `(j + 1) × interval`
    ///     (as the index stores per document); the walk jumps to the last mark before each
    ///     wanted position instead of reading the text between. Empty: the text is read from
    ///     its start. Offsets come from stored data: one outside the text or behind the walk is
    ///     not followed.
    public func tokenSpans(in text: UnsafeBufferPointer<UInt8>, at positions: UnsafeBufferPointer<Int32>,
                           marks: UnsafeBufferPointer<Int>, interval: Int,
                           _ body: (_ k: Int, _ start: Int, _ end: Int) -> Void) {
        guard let p = text.baseAddress, interval > 0 else { return }
        let n = text.count
        var i = 0, position = 0  // the walk: byte i, where the token at `position` is looked for next
        for k in 0..<positions.count {
            let want = Int(positions[k])
            if want < position { continue }
            let block = min(want / interval, marks.count)
            if block > 0 && block * interval > position {
                let mark = marks[block - 1]
                if mark >= i && mark <= n { i = mark; position = block * interval }
            }
            while true {
                guard let (start, end) = nextToken(p, n, &i) else { return }
                position += 1
                if position > want { body(k, start, end); break }
            }
        }
    }

    /// The next token's byte range from byte `i` on, leaving `i` past it (and past the separator
    /// that ended it); nil at the end of the text.
    @inline(__always)
    private func nextToken(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) -> (Int, Int)? {
        var start = -1, end = -1
        while i < n {
            let b = p[i]
            if b < 0x80 {
                let lower = b | 0x20
                if (lower >= 0x61 && lower <= 0x7A) || (b >= 0x30 && b <= 0x39) {
                    if start < 0 { start = i }
                    i += 1
                    while i < n {
                        let c = p[i], l = c | 0x20
                        guard (l >= 0x61 && l <= 0x7A) || (c >= 0x30 && c <= 0x39) else { break }
                        i += 1
                    }
                    end = i
                    continue
                }
                i += 1
                if start >= 0 { return (start, end) }
                continue
            }
            let (cp, len) = Self.decode(p, i, n)
            i += len
            if cp < VietnameseLetters.tableLimit && letters[Int(cp)] & 0x8000 != 0 {
                if start < 0 { start = i - len }
                end = i
                continue
            }
            if VietnameseLetters.isCommonIgnorable(cp) { continue }
            if cp >= 0x300 && cp < 0x370 {  // a combining mark extends a token; alone, it is skipped
                if start >= 0 { end = i }
                continue
            }
            switch ICU.classify(cp) {
            case .letter, .digit:
                if start < 0 { start = i - len }
                end = i
            case .mark:
                if start >= 0 { end = i }
            case .ignorable:
                continue
            case .separator:
                if start >= 0 { return (start, end) }
            }
        }
        return start >= 0 ? (start, end) : nil
    }
}
