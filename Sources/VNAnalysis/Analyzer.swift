/// Splits Vietnamese text into syllable tokens and computes each one's keys.
///
/// A token is a maximal run of letters, digits and combining marks; everything else separates
/// tokens, except default-ignorable characters (soft hyphen, zero-width space/joiners, word joiner,
/// BOM), which are skipped without splitting a word. Letters are read through a table of
/// Vietnamese letters (base, quality mark, tone), so NFC, NFD, Windows-1258-style decomposed tones,
/// either tone placement and upper case give the same key without calling ICU; only letters outside
/// Vietnamese spelling take the ICU path (NFC + lower case, marks stripped for the folded key).
///
/// Not thread-safe: it reuses scratch buffers. Use one analyzer per thread.
public final class Analyzer {
    // Fixed scratch buffers (no per-token allocation or uniqueness checks): a token is at most
    // `maxTokenBytes` bytes, so at most that many letters; longer runs only set `overflow`.
    private static let letterCapacity = 128
    private static let termCapacity = 4096
    private let bases = UnsafeMutablePointer<UInt8>.allocate(capacity: letterCapacity)
    private let qualities = UnsafeMutablePointer<Quality>.allocate(capacity: letterCapacity)
    private var count = 0
    private var overflow = false
    private var tone: Tone = .none
    private var toneCount = 0
    private var slow = false
    private let termBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: termCapacity)
    private var termCount = 0
    private var tokenStart = -1
    private var tokenEnd = -1
    private var position = 0
    /// Positions used by the last `analyze` call (tokens, overlong ones included): the document length.
    public var lastTokenCount: Int { position }

    /// Tokens longer than this many bytes (base64 blobs, runs of digits) are dropped; they still take a position.
    public static let maxTokenBytes = 120

    /// The analyzer's own copy of `VietnameseLetters.table` (16 KB): read through the global,
    /// every non-ASCII character paid a lazy-initialisation check and a bounds check.
    let letters: UnsafeMutablePointer<UInt16>

    public init() {
        let table = VietnameseLetters.table
        letters = .allocate(capacity: table.count)
        table.withUnsafeBufferPointer { letters.initialize(from: $0.baseAddress!, count: $0.count) }
    }

    deinit {
        bases.deallocate(); qualities.deallocate(); termBuffer.deallocate(); letters.deallocate()
    }

    /// ASCII letter or digit.
    @inline(__always)
    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        let lower = b | 0x20
        return (lower >= 0x61 && lower <= 0x7A) || (b >= 0x30 && b <= 0x39)
    }

    @inline(__always)
    private func appendLetter(_ base: UInt8, _ quality: Quality) {
        if count < Self.letterCapacity { bases[count] = base; qualities[count] = quality; count += 1 } else { overflow = true }
    }

    @inline(__always)
    private func appendTerm(_ b: UInt8) {
        if termCount < Self.termCapacity { termBuffer[termCount] = b; termCount += 1 } else { overflow = true }
    }

    /// Analyzes UTF-8 `text`, calling `body` once per token in order.
    public func analyze(_ text: UnsafeBufferPointer<UInt8>, _ body: (Token) -> Void) {
        position = 0
        resetToken()
        guard let p = text.baseAddress else { return }
        let n = text.count
        var i = 0
        while i < n {
            let b = p[i]
            if b < 0x80 {
                // ASCII fast path: letters and digits extend the token, everything else ends it. A run
                // of them is taken in one inner loop with the letter count in a register.
                if Self.isAlphanumeric(b) {
                    if tokenStart < 0 { tokenStart = i }
                    var c = count, j = i
                    let bases = self.bases, qualities = self.qualities
                    repeat {
                        let x = p[j]
                        if c < Self.letterCapacity {
                            bases[c] = x >= 0x41 && x <= 0x5A ? x | 0x20 : x; qualities[c] = .none; c += 1
                        } else {
                            overflow = true
                        }
                        j += 1
                    } while j < n && p[j] < 0x80 && Self.isAlphanumeric(p[j])
                    count = c
                    tokenEnd = j
                    i = j
                } else {
                    endToken(text, body)
                    i += 1
                }
                continue
            }
            let (cp, len) = Self.decode(p, i, n)
            defer { i += len }
            if cp < VietnameseLetters.tableLimit, let parts = LetterParts(packed: letters[Int(cp)]) {
                if tokenStart < 0 { tokenStart = i }
                appendLetter(parts.base, parts.quality)
                if parts.tone != .none { addTone(parts.tone) }
                tokenEnd = i + len
                continue
            }
            if VietnameseLetters.isCommonIgnorable(cp) { continue }
            if cp >= 0x300 && cp < 0x370 {  // combining diacritics: NFD and Windows-1258-style text
                guard tokenStart >= 0 else { continue }  // a mark with no letter before it
                if let t = Tone(combiningMark: cp) {
                    // A tone sits on a vowel; on anything else (n + tilde = ñ) it is not Vietnamese,
                    // and the precomposed form goes to the ICU path too: both must give one key.
                    if count == 0 || !Self.isVowel(bases[count - 1]) { slow = true }
                    addTone(t)
                } else if let q = Quality(combiningMark: cp), count > 0,
                          qualities[count - 1] == .none, q.fits(bases[count - 1]) {
                    qualities[count - 1] = q
                } else {
                    slow = true
                }
                tokenEnd = i + len
                continue
            }
            switch ICU.classify(cp) {
            case .letter, .digit:
                if tokenStart < 0 { tokenStart = i }
                slow = true
                appendLetter(0, .none)
                tokenEnd = i + len
            case .mark:
                if tokenStart >= 0 { slow = true; tokenEnd = i + len }
            case .ignorable:
                continue
            case .separator:
                endToken(text, body)
            }
        }
        endToken(text, body)
    }

    /// Analyzes a string; allocates per token (for queries, snippets and tests).
    public func analyze(_ s: String) -> [AnalyzedToken] {
        var out: [AnalyzedToken] = []
        var copy = s
        copy.withUTF8 { buf in
            analyze(buf) { t in
                let folded = String(decoding: UnsafeBufferPointer(rebasing: t.term[0..<t.foldedCount]), as: UTF8.self)
                out.append(AnalyzedToken(position: t.position, start: t.start, end: t.end,
                                         key: TermKey(folded: folded, exact: Array(t.term), hasDiacritics: t.hasDiacritics),
                                         isNumber: t.isNumber))
            }
        }
        return out
    }

    // MARK: - Token assembly

    @inline(__always)
    private func addTone(_ t: Tone) {
        if tone == .none { tone = t } else if tone != t { slow = true }
        toneCount += 1
    }

    @inline(__always)
    private func resetToken() {
        count = 0; overflow = false
        tone = .none; toneCount = 0; slow = false
        tokenStart = -1; tokenEnd = -1
    }

    /// Ends the token being read. The check for no token at all (most separators follow a
    /// separator or a token already ended) stays inline in the character loop.
    @inline(__always)
    private func endToken(_ text: UnsafeBufferPointer<UInt8>, _ body: (Token) -> Void) {
        guard tokenStart >= 0 else { return }
        flush(text, body)
    }

    private func flush(_ text: UnsafeBufferPointer<UInt8>, _ body: (Token) -> Void) {
        guard tokenStart >= 0 else { return }
        defer { resetToken() }
        if tokenEnd - tokenStart > Self.maxTokenBytes || overflow { position += 1; return }
        termCount = 0
        let foldedCount: Int
        let hasDiacritics: Bool
        var isNumber = true
        if slow || toneCount > 1 {
            (foldedCount, hasDiacritics) = buildSlowTerm(UnsafeBufferPointer(rebasing: text[tokenStart..<tokenEnd]))
            isNumber = false
        } else {
            normalizeIY()
            var anyQuality = false
            let n = count
            for k in 0..<n {
                let b = bases[k]
                termBuffer[k] = b
                if qualities[k] != .none { anyQuality = true }
                if b > 0x39 { isNumber = false }
            }
            termCount = n
            foldedCount = n
            appendTerm(0)
            appendTerm(0x30 + tone.rawValue)
            if anyQuality {
                for k in 0..<n { appendToneless(bases[k], qualities[k]) }
            }
            hasDiacritics = anyQuality || tone != .none
        }
        if overflow { position += 1; return }
        body(Token(position: position, start: tokenStart, end: tokenEnd, term: UnsafeBufferPointer(start: termBuffer, count: termCount),
                   foldedCount: foldedCount, hasDiacritics: hasDiacritics, isNumber: isNumber))
        position += 1
    }

    /// UTF-8 of a lower-case toneless letter with its quality mark.
    @inline(__always)
    private func appendToneless(_ base: UInt8, _ quality: Quality) {
        switch quality {
        case .none: appendTerm(base)
        case .circumflex:  // â ê ô = U+00E2 U+00EA U+00F4
            appendTerm(0xC3); appendTerm(base == UInt8(ascii: "a") ? 0xA2 : base == UInt8(ascii: "e") ? 0xAA : 0xB4)
        case .breve: appendTerm(0xC4); appendTerm(0x83)  // ă U+0103
        case .horn: appendTerm(0xC6); appendTerm(base == UInt8(ascii: "o") ? 0xA1 : 0xB0)  // ơ U+01A1, ư U+01B0
        case .bar: appendTerm(0xC4); appendTerm(0x91)  // đ U+0111
        }
    }

    /// lý/lí, kỹ/kĩ, sỹ/sĩ, quý/quí: a consonant onset followed by a single i or y (no final) is one
    /// syllable however it is spelled; y becomes i. "tay"/"tai", "may"/"mai" keep their y.
    private func normalizeIY() {
        let n = count
        guard n >= 2, bases[n - 1] == UInt8(ascii: "y"), qualities[n - 1] == .none else { return }
        var j = 0
        while j < n - 1, Self.isConsonant(bases[j]) { j += 1 }
        if j == n - 1 {
            bases[n - 1] = UInt8(ascii: "i")
        } else if j == n - 2, j > 0, bases[j - 1] == UInt8(ascii: "q"), bases[j] == UInt8(ascii: "u"), qualities[j] == .none {
            bases[n - 1] = UInt8(ascii: "i")  // qu- onset: quý = quí
        }
    }

    @inline(__always)
    private static func isVowel(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "a") || b == UInt8(ascii: "e") || b == UInt8(ascii: "i") || b == UInt8(ascii: "o")
            || b == UInt8(ascii: "u") || b == UInt8(ascii: "y")
    }

    @inline(__always)
    private static func isConsonant(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "y"): return false
        default: return b >= 0x61 && b <= 0x7A
        }
    }

    /// ICU path for tokens outside Vietnamese spelling ("général", "Müller", "北京"):
    /// exact = NFC lower case; folded = marks stripped, đ → d.
    private func buildSlowTerm(_ raw: UnsafeBufferPointer<UInt8>) -> (Int, Bool) {
        var clean: [UInt8] = []
        clean.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let (cp, len) = Self.decode(raw.baseAddress!, i, raw.count)
            if !(VietnameseLetters.isCommonIgnorable(cp) || (cp >= 0x80 && !(cp >= 0x300 && cp < 0x370) && ICU.classify(cp) == .ignorable)) {
                clean.append(contentsOf: raw[i..<(i + len)])
            }
            i += len
        }
        // Look-alike Đ capitals lower-case to ð/ɖ: read them as đ before anything else.
        let exact = ICU.nfcLower(clean).replacingDLookalikes()
        var folded: [UInt32] = []
        for cp in ICU.nfdScalars(exact) {
            if cp == 0x111 { folded.append(UInt32(UInt8(ascii: "d"))); continue }
            if ICU.classify(cp) == .mark { continue }
            folded.append(cp)
        }
        let foldedUTF8 = ICU.nfcUTF8(folded)
        for b in foldedUTF8 { appendTerm(b) }
        appendTerm(0)
        if foldedUTF8 == exact {
            appendTerm(0x30)
            return (foldedUTF8.count, false)
        }
        appendTerm(UInt8(ascii: "x"))
        for b in exact { appendTerm(b) }
        return (foldedUTF8.count, true)
    }

    /// Decodes one UTF-8 scalar at `i`; invalid bytes decode as U+FFFD (a separator), length 1.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 >= 0xC2 && b0 < 0xE0 && i + 1 < n {
            let b1 = UInt32(p[i + 1])
            if b1 & 0xC0 == 0x80 { return ((b0 & 0x1F) << 6 | (b1 & 0x3F), 2) }
        } else if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < n {
            let b1 = UInt32(p[i + 1]), b2 = UInt32(p[i + 2])
            if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 {
                let cp = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F)
                if cp >= 0x800 && !(0xD800...0xDFFF).contains(cp) { return (cp, 3) }
            }
        } else if b0 >= 0xF0 && b0 < 0xF5 && i + 3 < n {
            let b1 = UInt32(p[i + 1]), b2 = UInt32(p[i + 2]), b3 = UInt32(p[i + 3])
            if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 && b3 & 0xC0 == 0x80 {
                let cp = (b0 & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | (b3 & 0x3F)
                if cp >= 0x10000 && cp <= 0x10FFFF { return (cp, 4) }
            }
        }
        return (0xFFFD, 1)
    }
}

private extension Array where Element == UInt8 {
    /// ð (C3 B0) and ɖ (C9 96) → đ (C4 91).
    func replacingDLookalikes() -> [UInt8] {
        guard contains(0xC3) || contains(0xC9) else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var i = 0
        while i < count {
            if i + 1 < count, (self[i] == 0xC3 && self[i + 1] == 0xB0) || (self[i] == 0xC9 && self[i + 1] == 0x96) {
                out.append(0xC4); out.append(0x91); i += 2
            } else { out.append(self[i]); i += 1 }
        }
        return out
    }
}
