
/// A way Vietnamese text gets garbled by a wrong conversion, and how to undo it.
public enum MojibakeKind: String, Sendable, CaseIterable, Codable {
    /// UTF-8 bytes read as Windows-1252/Latin-1 ("Thá»§y" for "Thủy").
    case utf8AsWindows1252 = "UTF-8 read as Windows-1252"
    /// TCVN3 (ABC) bytes read as Latin-1 ("Thñy" for "Thủy").
    case tcvn3AsLatin1 = "TCVN3 read as Latin-1"
    /// VNI-Windows bytes read as Latin-1 ("chaøo" for "chào").
    case vniAsLatin1 = "VNI-Windows read as Latin-1"

    /// Recovers the original text from the garbled bytes (the garbled text's characters mapped
    /// back to Windows-1252/Latin-1 bytes); nil when the bytes are not valid in the source encoding.
    func undo(_ bytes: [UInt8]) -> String? {
        switch self {
        case .utf8AsWindows1252: return String(validating: bytes, as: UTF8.self)
        case .tcvn3AsLatin1:
            // TCVN3 text as typed with ABC fonts has no letters at 0x00-0x1F or 0x80-0x9F (the VN1
            // capitals there); in garbled text those bytes are Windows-1252 punctuation (— “ ” …).
            if bytes.contains(where: { $0 < 0x20 || ($0 >= 0x80 && $0 < 0xA0) }) { return nil }
            return LegacyCodec.decode(bytes, as: .tcvn3)
        case .vniAsLatin1: return LegacyCodec.decode(bytes, as: .vni)
        }
    }
}

/// Finds and repairs mojibake inside valid Unicode text, word by word.
///
/// Rules (each repair is explainable by them):
/// 1. Only *words* that hold a non-ASCII character are considered; a word is a maximal run of
///    ASCII letters and non-ASCII characters other than whitespace (NBSP counts as a character,
///    since "à" garbled as UTF-8-in-1252 is "Ã" + NBSP).
/// 2. For each `MojibakeKind`, a word's characters are mapped back to Windows-1252 bytes and
///    decoded as the kind's source encoding. The word is then:
///    - *garbled* (M) when it is not a well-formed Vietnamese syllable but its decoding is;
///    - *original* (D) when it is a well-formed syllable and its decoding is not (or there is none);
///    - *ambiguous* (W) when both are well-formed ("cã" is TCVN3-garbled "có", but also a syllable).
/// 3. A kind is used only when it finds at least two different garbled words (one is enough
///    for UTF-8 read as Windows-1252, whose repairs are valid multi-byte UTF-8: unmistakable).
///    Kinds are tried by how many garbled words they find; a word repaired by one kind counts as
///    original for the next.
/// 4. Garbled words are repaired; an ambiguous word follows its nearest unambiguous word
///    (garbled or original), so a pasted fragment is repaired whole while the correct text
///    around it stays. Ties keep the original.
/// Legitimate Latin-1 text ("Café", "30°C", "© 2019", "Général") is left alone: its words never
/// decode to well-formed Vietnamese syllables.
public enum MojibakeRepair {
    /// Result of a repair: the repaired text and what was changed.
    public struct Result: Sendable, Equatable {
        public var text: String
        /// Number of words repaired, per kind.
        public var repairedWords: [MojibakeKind: Int]
        public var notes: [String]
    }

    // MARK: Fast scan

    /// Latin-1 letters U+00C0…U+00FF that Vietnamese does not use (Ä Å Æ Ç Ë Î Ï Ð Ñ Ö × Ø Û Ü
    /// Þ ß and lowercase), as a bit mask over the second UTF-8 byte (0x80…0xBF) of C3 xx.
    /// A literal, not a computed `static let`, so the hot scan does no lazy-initialisation
    /// check; `nonVietnameseLatin1MaskComputed` is how it is made (a test compares them).
    static var nonVietnameseLatin1Mask: UInt64 { 0xD9C3_C8F0_D9C3_C8F0 }

    static func nonVietnameseLatin1MaskComputed() -> UInt64 {
        let vietnamese: Set<UInt32> = Set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý".unicodeScalars.map(\.value))
        var mask: UInt64 = 0
        for v in UInt32(0xC0)...0xFF where !vietnamese.contains(v) { mask |= 1 << UInt64(v - 0xC0) }
        return mask
    }

    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    /// The ASCII vowels VNI writes a separate tone-mark byte after (not i: VNI's toned i is one byte).
    @inline(__always) static func isVNIMarkedVowel(_ b: UInt8) -> Bool {
        switch b | 0x20 { case 0x61, 0x65, 0x6F, 0x75, 0x79: return true; default: return false }
    }

    /// One cheap pass over valid UTF-8: true when the text holds a character typical of mojibake:
    /// - a U+0080…U+00BF character other than NBSP next to a letter ("á»", "D­¬ng"); for
    ///   "° ± ² ³ ´" (the TCVN3 combining tone marks, which follow their vowel) only right after
    ///   a letter or a non-ASCII character, so "30°C" and "±5m" are not suspicious;
    /// - a Latin-1 letter Vietnamese does not use (Ä Æ Ñ Ö Ø ñ ö ø ï …);
    /// - "Ã" followed by a non-ASCII character;
    /// - a VNI tone-mark byte read as Latin-1 right after the ASCII vowel VNI puts it after:
    ///   "ù"/"õ" after a, e, o, u, y ("caùc"), "ú" after a ("aú" = "ẳ"), in either case
    ///   (VNI writes the toned i as one byte, so "giúp", "giùm" are not suspicious);
    /// - an uppercase Latin-1 letter right after an ASCII lowercase letter ("thÈm").
    /// Only such texts are looked at further.
    public static func mightContainMojibake(utf8 buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        let n = buffer.count
        // Only the lead bytes C2 and C3 (U+0080…U+00FF) matter. In valid UTF-8 they never occur
        // inside another scalar, so each one can be judged on its own, wherever it is: the scan
        // takes 8 bytes at a time and visits just the C2/C3 bytes among them.
        var i = 0
        while i + 8 <= n {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // Zero bytes of `x` are the C2/C3 bytes of `word`; `m` has the high bit of each.
            let x = (word ^ 0xC2C2_C2C2_C2C2_C2C2) & 0xFEFE_FEFE_FEFE_FEFE
            var m = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x | 0x7F7F_7F7F_7F7F_7F7F)
            while m != 0 {
                if isSuspicious(base, n, i + m.trailingZeroBitCount >> 3) { return true }
                m &= m &- 1
            }
            i += 8
        }
        while i < n {
            if base[i] | 1 == 0xC3, isSuspicious(base, n, i) { return true }
            i += 1
        }
        return false
    }

    /// C3 second bytes worth a closer look: Latin-1 letters Vietnamese does not use, "Ã", the
    /// VNI mark letters ù õ ú (and capitals), and the capitals below U+00DF. A literal (see
    /// `nonVietnameseLatin1Mask`); `latin1InterestingComputed` is how it is made.
    static var latin1Interesting: UInt64 { 0xDFE3_C8F0_FFFF_FFFF }

    static func latin1InterestingComputed() -> UInt64 {
        var mask = nonVietnameseLatin1MaskComputed()
        for c: UInt8 in [0x83, 0xB9, 0xB5, 0x99, 0x95, 0xBA, 0x9A] { mask |= 1 << UInt64(c - 0x80) }
        for c in UInt8(0x80)..<0x9F { mask |= 1 << UInt64(c - 0x80) }
        return mask
    }

    /// The rules of `mightContainMojibake` for the C2/C3 lead byte at `i`.
    @inline(__always)
    static func isSuspicious(_ base: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> Bool {
        guard i + 1 < n else { return false }
        let b = base[i]
        let c = base[i + 1]
        let k = c &- 0x80
        if k >= 64 { return false }
        if b == 0xC3 && latin1Interesting & (1 << UInt64(k)) == 0 { return false }
        let prev: UInt8 = i > 0 ? base[i - 1] : 0x20
        let next: UInt8 = i + 2 < n ? base[i + 2] : 0x20
        if b == 0xC2 {
            if c >= 0xB0 && c <= 0xB4 {
                return isASCIILetter(prev) || prev >= 0x80
            }
            return c != 0xA0 && (isASCIILetter(prev) || prev >= 0x80 || isASCIILetter(next) || next >= 0x80)
        }
        if nonVietnameseLatin1Mask & (1 << UInt64(k)) != 0 { return true }
        if c == 0x83 && next >= 0x80 { return true }
        if c == 0xB9 || c == 0xB5 || c == 0x99 || c == 0x95 {  // ù õ Ù Õ
            if isVNIMarkedVowel(prev) { return true }
        } else if c == 0xBA || c == 0x9A {  // ú Ú
            if prev | 0x20 == 0x61 { return true }
        }
        return c < 0x9F && prev >= 0x61 && prev <= 0x7A
    }

    /// `mightContainMojibake` over a string's UTF-8.
    public static func mightContainMojibake(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { mightContainMojibake(utf8: $0) }
    }

    // MARK: Repair

    static let leadingPunctuation: Set<Unicode.Scalar> = ["“", "‘", "«", "„", "‹", "\u{A0}"]
    // With NBSP: "XÃ" + NBSP is a word in clean text ("Bà" garbled as UTF-8-in-1252 looks the
    // same, "BÃ" + NBSP; its garbled neighbours decide).
    static let trailingPunctuation: Set<Unicode.Scalar> = ["”", "’", "»", "›", "…", "\u{A0}"]

    /// What a word (or a candidate repair of it) is made of. The word is split at whitespace
    /// (NBSP stays inside words, see `isWordScalar`), quotes are trimmed from each part, and each
    /// part must be ASCII, a well-formed syllable, a run of Vietnamese letters holding one outside
    /// Latin-1 ("Campưchia", "QĐ", "HĐND"), or punctuation.
    enum Shape: Int, Comparable {
        case bad, ascii, punctuation, letters, syllables
        static func < (a: Shape, b: Shape) -> Bool { a.rawValue < b.rawValue }
    }

    static func shape<S: Collection<Unicode.Scalar>>(_ scalars: S) -> Shape {
        var result = Shape.ascii
        var part: [Unicode.Scalar] = []
        func finish() -> Bool {
            defer { part.removeAll(keepingCapacity: true) }
            if part.isEmpty { return true }
            var core = part[...]
            while let f = core.first, leadingPunctuation.contains(f) { core = core.dropFirst() }
            while let l = core.last, trailingPunctuation.contains(l) { core = core.dropLast() }
            let partShape: Shape
            if core.isEmpty || core.allSatisfy({ $0.value >= 0x80 && !$0.properties.isAlphabetic }) {
                partShape = .punctuation
            } else if core.allSatisfy({ $0.value < 0x80 }) {
                partShape = .ascii
            } else if VietnameseSyllable.isWellFormed(String(String.UnicodeScalarView(core))) {
                partShape = .syllables
            } else if core.count >= 2, core.contains(where: VietnameseSyllable.isVietnameseOnlyLetter),
                      core.allSatisfy({ isASCIILetterScalar($0) || VietnameseSyllable.letterInfo[$0.value] != nil }) {
                partShape = .letters
            } else {
                return false
            }
            // Syllables outrank letters outrank punctuation; any part may be ASCII.
            if partShape != .ascii {
                result = result == .ascii ? partShape : min(result, partShape)
            }
            return true
        }
        for s in scalars {
            if s.properties.isWhitespace {
                if !finish() { return .bad }
            } else {
                part.append(s)
            }
        }
        if !finish() { return .bad }
        return result
    }

    static func isASCIILetterScalar(_ s: Unicode.Scalar) -> Bool { s.value < 0x80 && isASCIILetter(UInt8(s.value)) }

    /// A word is well-formed when, apart from quotes around it, it is made of Vietnamese syllables.
    static func isWellFormedWord<S: Collection<Unicode.Scalar>>(_ scalars: S) -> Bool { shape(scalars) == .syllables }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (v | 0x20) >= 0x61 && (v | 0x20) <= 0x7A }
        if v == 0xA0 { return true }
        return !s.properties.isWhitespace && v != 0xFEFF
    }

    enum Verdict { case garbled(String), original, ambiguous(String), neutral }

    static func verdict(_ word: ArraySlice<Unicode.Scalar>, originalOK: Bool, kind: MojibakeKind) -> Verdict {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.count)
        for s in word {
            guard let b = Windows1252.byte(s) else { return originalOK ? .original : .neutral }
            bytes.append(b)
        }
        guard bytes.contains(where: { $0 >= 0x80 }), let decoded = kind.undo(bytes) else {
            return originalOK ? .original : .neutral
        }
        let decodedScalars = Array(decoded.unicodeScalars)
        if decodedScalars.elementsEqual(word) { return .neutral }
        let decodedShape = shape(decodedScalars)
        var decodedOK: Bool
        var weak = false  // a repair that may follow its neighbours but cannot start one
        switch decodedShape {
        case .syllables: decodedOK = true
        case .letters:
            // "Campưchia", "QĐ": UTF-8 read as Windows-1252 is unmistakable once the bytes form
            // valid multi-byte UTF-8; in the 8-bit kinds such words only follow their neighbours.
            decodedOK = true
            weak = kind != .utf8AsWindows1252
        case .punctuation:
            decodedOK = kind == .utf8AsWindows1252  // "â€¦" → "…"
            weak = true
        case .ascii, .bad: decodedOK = false
        }
        if !decodedOK, decodedScalars.count == 1, decodedScalars[0] == "đ" || decodedScalars[0] == "Đ" {
            decodedOK = true  // the letter đ on its own, as in the list item "đ)"
            weak = kind != .utf8AsWindows1252
        }
        // Without a letter in it, a word ("®·" for "đã", but also "«" or "—") proves nothing alone.
        if !word.contains(where: { $0.properties.isAlphabetic }) { weak = true }
        switch (originalOK, decodedOK) {
        case (false, true): return weak ? .ambiguous(decoded) : .garbled(decoded)
        case (true, false): return .original
        case (true, true): return .ambiguous(decoded)
        case (false, false): return .neutral
        }
    }

    /// `shape` of words of one text, computed once per distinct word: keyed by a hash of the
    /// word's scalars, checked against the first occurrence's scalars (no allocation per word).
    struct ShapeCache {
        var entries: [UInt64: (range: Range<Int>, shape: Shape)] = [:]

        mutating func shape(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> Shape {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for k in range { h = (h ^ UInt64(scalars[k].value)) &* 0x100_0000_01b3 }
            if let e = entries[h], e.range.count == range.count,
               scalars[e.range].elementsEqual(scalars[range]) {
                return e.shape
            }
            let s = MojibakeRepair.shape(scalars[range])
            if entries[h] == nil { entries[h] = (range, s) }
            return s
        }
    }

    /// Repairs mojibake in `text`; nil when nothing was repaired.
    public static func repair(_ text: String) -> Result? {
        let scalars = Array(text.unicodeScalars)
        // Words holding a non-ASCII character.
        var words: [Range<Int>] = []
        var i = 0
        while i < scalars.count {
            guard isWordScalar(scalars[i]) else { i += 1; continue }
            var j = i
            var nonASCII = false
            while j < scalars.count, isWordScalar(scalars[j]) {
                if scalars[j].value >= 0x80 { nonASCII = true }
                j += 1
            }
            if nonASCII { words.append(i..<j) }
            i = j
        }
        if words.isEmpty { return nil }
        // Position of each word for "nearest": word index, plus half a word per line break before
        // it, so that on a tie the neighbour on the same line wins.
        var position: [Double] = []
        position.reserveCapacity(words.count)
        var lineBreaks = 0
        var scanned = 0
        for range in words {
            for k in scanned..<range.lowerBound where scalars[k] == "\n" { lineBreaks += 1 }
            scanned = range.lowerBound
            position.append(Double(position.count) + 0.5 * Double(lineBreaks))
        }
        // Only words whose every character maps back to a Windows-1252 byte can be garbled; the
        // shape check (the costly part) runs for them first, and for the rest only when needed.
        // Shapes are memoized per distinct word (documents repeat their words).
        var shapes = ShapeCache()
        let reversible = words.map { range in scalars[range].allSatisfy { Windows1252.byte($0) != nil } }
        var originalOK = [Bool?](repeating: nil, count: words.count)
        for w in 0..<words.count where reversible[w] { originalOK[w] = shapes.shape(scalars, words[w]) >= .letters }

        // Verdicts per kind. First only for the words that are not syllables (they alone can be
        // garbled), to find the kinds in use; then, for those kinds, for every word.
        var verdicts: [MojibakeKind: [Verdict]] = [:]
        var garbledCount: [MojibakeKind: Int] = [:]
        for kind in MojibakeKind.allCases {
            var count = 0
            var distinct = Set<String>()
            for (w, range) in words.enumerated() where originalOK[w] == false {
                if case .garbled(let fixed) = verdict(scalars[range], originalOK: false, kind: kind) {
                    count += 1
                    if distinct.count < 2 { distinct.insert(fixed) }
                }
            }
            if kind == .utf8AsWindows1252 ? count >= 1 : distinct.count >= 2 {
                garbledCount[kind] = count
            }
        }
        if garbledCount.isEmpty { return nil }
        for w in 0..<words.count where originalOK[w] == nil { originalOK[w] = shapes.shape(scalars, words[w]) >= .letters }
        for kind in garbledCount.keys {
            verdicts[kind] = words.enumerated().map { verdict(scalars[$0.element], originalOK: originalOK[$0.offset]!, kind: kind) }
        }

        var replacement = [String?](repeating: nil, count: words.count)
        var repaired: [MojibakeKind: Int] = [:]
        var examples: [MojibakeKind: [(String, String)]] = [:]
        let kinds = verdicts.keys.sorted { (garbledCount[$0]!, $1.rawValue) > (garbledCount[$1]!, $0.rawValue) }
        for kind in kinds {
            var v = verdicts[kind]!
            // Words repaired as another kind are not this kind's.
            for w in 0..<words.count where replacement[w] != nil { v[w] = .original }
            // Nearest unambiguous verdict on each side: +distance if garbled, -distance if original.
            var nearestLeft = [(Int, Bool)?](repeating: nil, count: words.count)
            var last: (Int, Bool)? = nil
            for w in 0..<words.count {
                switch v[w] {
                case .garbled: last = (w, true)
                case .original: last = (w, false)
                default: break
                }
                nearestLeft[w] = last
            }
            var nextDefinite: (Int, Bool)? = nil
            for w in stride(from: words.count - 1, through: 0, by: -1) {
                var fixed: String? = nil
                switch v[w] {
                case .garbled(let f):
                    fixed = f
                    nextDefinite = (w, true)
                case .original:
                    nextDefinite = (w, false)
                case .ambiguous(let f):
                    let left = nearestLeft[w], right = nextDefinite
                    let dl = left.map { position[w] - position[$0.0] } ?? .infinity
                    let dr = right.map { position[$0.0] - position[w] } ?? .infinity
                    let follow: Bool
                    if dl < dr { follow = left!.1 } else if dr < dl { follow = right!.1 } else {
                        follow = (left?.1 ?? false) && (right?.1 ?? false)
                    }
                    if follow { fixed = f }
                case .neutral:
                    break
                }
                if let fixed, replacement[w] == nil {
                    replacement[w] = fixed
                    repaired[kind, default: 0] += 1
                    examples[kind, default: []].append((String(String.UnicodeScalarView(scalars[words[w]])), fixed))
                }
            }
        }
        if repaired.isEmpty { return nil }

        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count)
        var pos = 0
        for (w, range) in words.enumerated() {
            guard let fixed = replacement[w] else { continue }
            out.append(contentsOf: scalars[pos..<range.lowerBound])
            out.append(contentsOf: fixed.unicodeScalars)
            pos = range.upperBound
        }
        out.append(contentsOf: scalars[pos...])

        var notes: [String] = []
        for kind in kinds {
            guard let n = repaired[kind] else { continue }
            let sample = examples[kind]!.reversed().prefix(3).map { "“\($0.0)” → “\($0.1)”" }.joined(separator: ", ")
            notes.append("repaired \(n) word\(n == 1 ? "" : "s") of mojibake (\(kind.rawValue)), e.g. \(sample): "
                + "\(garbledCount[kind]!) word\(garbledCount[kind]! == 1 ? " was" : "s were") not Vietnamese but became well-formed syllables")
        }
        return Result(text: String(out), repairedWords: repaired, notes: notes)
    }
}
