/// Turns a file's bytes into text.
///
/// - UTF-8 (with or without BOM) and UTF-16 with BOM are read as such. Their text is then
///   checked for mojibake in one cheap pass (`MojibakeRepair.mightContainMojibake`); only texts
///   with suspicious characters are looked at word by word and repaired (`MojibakeRepair`).
/// - Bytes that are not valid UTF-8 are decoded as each legacy Vietnamese encoding (TCVN3, VNI,
///   VISCII, Windows-1258), and the decoding with the most well-formed Vietnamese syllables among
///   its accented words wins (`LegacyDetector`). `DecodedText.notes` says why.
public enum TextDecoder {
    /// Decodes `bytes`.
    /// - Throws: `DecodingError` when the bytes are empty, binary, or in no encoding we read;
    ///   `DecodingError.tooShortToDecide` when too few accented words tell the encodings apart.
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> DecodedText {
        if bytes.isEmpty { throw .empty }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return try decodeUTF8(bytes[3...], encoding: .utf8BOM)
        }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return try decodeUTF16(bytes[2...], bigEndian: false)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return try decodeUTF16(bytes[2...], bigEndian: true)
        }
        return try decodeUTF8(bytes[...], encoding: .utf8)
    }

    static func decodeUTF8(_ bytes: ArraySlice<UInt8>, encoding: SourceEncoding) throws(DecodingError) -> DecodedText {
        if looksBinary(bytes) { throw .binary }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // A UTF-8 file with a few stray bytes (a scrape cut inside a character, one pasted
            // Windows-1252 quote) is kept, those bytes shown as U+FFFD, rather than lost whole.
            let damage = UTF8Damage.assess(bytes)
            func kept(_ damage: UTF8Damage) -> DecodedText {
                let kept = DecodedText(text: String(decoding: bytes, as: UTF8.self), encoding: encoding, notes: [damage.note],
                                       invalidBytes: damage.invalid)
                return repaired(kept, suspicious: bytes.withUnsafeBufferPointer { MojibakeRepair.mightContainMojibake(utf8: $0) })
            }
            if let damage, damage.isStray { return kept(damage) }
            if encoding == .utf8BOM {
                throw .unknownEncoding(reason: "UTF-8 byte-order mark but invalid UTF-8")
            }
            do {
                return try LegacyDetector.decode(bytes)
            } catch let error where error.isTooShortToDecide {
                // Too few accented words to tell a legacy encoding, and the odd bytes a sliver of a
                // long text (one pasted Latin-1 "é" in a page typed without diacritics): keep the
                // text, those bytes shown as U+FFFD, rather than lose it whole.
                if let damage, damage.isSliver(of: bytes.count) { return kept(damage) }
                throw error
            }
        }
        let suspicious = bytes.withUnsafeBufferPointer { MojibakeRepair.mightContainMojibake(utf8: $0) }
        return repaired(DecodedText(text: text, encoding: encoding), suspicious: suspicious)
    }

    static func repaired(_ decoded: DecodedText, suspicious: Bool) -> DecodedText {
        guard suspicious, let fix = MojibakeRepair.repair(decoded.text) else { return decoded }
        return DecodedText(text: fix.text, encoding: decoded.encoding, notes: decoded.notes + fix.notes, invalidBytes: decoded.invalidBytes)
    }

    static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) throws(DecodingError) -> DecodedText {
        if bytes.count % 2 != 0 { throw .unknownEncoding(reason: "UTF-16 byte-order mark but an odd number of bytes") }
        var units = [UInt16]()
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            i += 2
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            throw .unknownEncoding(reason: "UTF-16 byte-order mark but invalid UTF-16 (unpaired surrogate)")
        }
        if text.unicodeScalars.contains(where: { $0.value == 0 }) { throw .binary }
        let decoded = DecodedText(text: text, encoding: bigEndian ? .utf16BE : .utf16LE)
        return repaired(decoded, suspicious: MojibakeRepair.mightContainMojibake(text))
    }

    /// A NUL byte, or many C0 controls other than tab/CR/LF/FF, in the first 8 KiB marks a binary file.
    static func looksBinary(_ bytes: ArraySlice<UInt8>) -> Bool {
        let head = bytes.prefix(8192)
        let n = head.count
        let r: Bool? = head.withContiguousStorageIfAvailable { buf in
            guard let base = buf.baseAddress else { return false }
            var controls = 0
            var i = 0
            while i < n {
                // Blocks of 8 bytes without a byte below 0x20 are skipped whole.
                while i + 8 <= n {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if (w &- 0x2020_2020_2020_2020) & ~w & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                if i >= n { break }
                let b = base[i]
                if b == 0 { return true }
                if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B { controls += 1 }
                i += 1
            }
            return n > 0 && controls * 20 > n
        }
        if let r { return r }
        var controls = 0
        for b in head {
            if b == 0 { return true }
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B { controls += 1 }
        }
        return n > 0 && controls * 20 > n
    }
}

/// Chooses the legacy encoding of a file that is not valid UTF-8.
///
/// Each legacy encoding's decoding is scored on its *accented words* (words holding a non-ASCII
/// letter): `wellFormed` counts those that are Vietnamese syllables (`VietnameseSyllable`),
/// `illFormed` the rest. ASCII words do not count: they read the same in every encoding.
/// The winner has the highest `wellFormed − illFormed`, and must have
/// - at least `minimumWellFormed` well-formed accented words (else: too short to decide, when
///   the file has fewer than `minimumWellFormed` accented words; otherwise: no encoding fits),
/// - at least two thirds of its accented words well-formed,
/// - a higher score than the runner-up (a tie is ambiguous and reported, not guessed).
public enum LegacyDetector {
    public static let minimumWellFormed = 3

    /// How one candidate decoding scored.
    public struct Score: Sendable, Equatable {
        public var encoding: SourceEncoding
        public var wellFormed: Int
        public var illFormed: Int
        public var value: Int { wellFormed - illFormed }
        public var summary: String {
            "\(encoding.displayName): \(wellFormed) of \(wellFormed + illFormed) accented words well-formed"
        }
    }

    /// Scores a decoded text.
    public static func score(_ text: String, as encoding: SourceEncoding) -> Score {
        var good = 0, bad = 0
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            guard MojibakeRepair.isWordScalar(scalars[i]) else { i += 1; continue }
            var j = i
            var nonASCII = false
            while j < scalars.count, MojibakeRepair.isWordScalar(scalars[j]) {
                if scalars[j].value >= 0x80 { nonASCII = true }
                j += 1
            }
            if nonASCII {
                if MojibakeRepair.isWellFormedWord(scalars[i..<j]) { good += 1 } else { bad += 1 }
            }
            i = j
        }
        return Score(encoding: encoding, wellFormed: good, illFormed: bad)
    }

    /// All candidate decodings with their scores, best first.
    public static func candidates<C: Collection<UInt8>>(_ bytes: C) -> [(text: String, score: Score)] {
        var result: [(text: String, score: Score)] = []
        for encoding in LegacyCodec.legacyEncodings {
            guard let text = LegacyCodec.decode(bytes, as: encoding) else { continue }
            result.append((text, score(text, as: encoding)))
        }
        // Stable: on equal scores the order of `legacyEncodings` is kept.
        return result.enumerated().sorted {
            ($0.element.score.value, -$0.offset) > ($1.element.score.value, -$1.offset)
        }.map(\.element)
    }

    public static func decode<C: Collection<UInt8>>(_ bytes: C) throws(DecodingError) -> DecodedText {
        let ranked = candidates(bytes)
        guard let best = ranked.first else {
            throw .unknownEncoding(reason: "not valid UTF-8, and undefined bytes in every legacy Vietnamese encoding")
        }
        let accented = ranked.map { $0.score.wellFormed + $0.score.illFormed }.max() ?? 0
        let others = ranked.dropFirst().prefix(2).map(\.score.summary).joined(separator: "; ")
        let s = best.score
        if s.wellFormed < minimumWellFormed {
            if accented < 2 * minimumWellFormed {
                throw .tooShortToDecide("not valid UTF-8, and only \(accented) accented word\(accented == 1 ? "" : "s") "
                    + "to tell the legacy encodings apart (best: \(s.summary))")
            }
            throw .unknownEncoding(reason: "not valid UTF-8, and no legacy Vietnamese encoding fits (best: \(s.summary))")
        }
        if s.wellFormed * 3 < (s.wellFormed + s.illFormed) * 2 {
            throw .unknownEncoding(reason: "not valid UTF-8, and no legacy Vietnamese encoding fits (best: \(s.summary))")
        }
        if ranked.count > 1, ranked[1].score.value >= s.value, ranked[1].text != best.text {
            let reason = "cannot tell \(s.encoding.displayName) from \(ranked[1].score.encoding.displayName) (\(s.summary); \(ranked[1].score.summary))"
            if s.wellFormed < 10 { throw .tooShortToDecide(reason) }
            throw .unknownEncoding(reason: reason)
        }
        var note = "decoded as \(s.encoding.displayName): not valid UTF-8; \(s.summary)"
        if !others.isEmpty { note += "; next: \(others)" }
        return DecodedText(text: best.text, encoding: s.encoding, notes: [note])
    }
}

/// How much of a byte sequence that is not valid UTF-8 is UTF-8 nonetheless.
struct UTF8Damage {
    /// Well-formed sequences of two bytes or more.
    var multibyte = 0
    /// Bytes that start no well-formed sequence (each counted).
    var invalid = 0
    /// Where the first invalid byte is: byte offset, 1-based line, and column in characters.
    var firstOffset = 0, firstLine = 1, firstColumn = 1

    /// A few bad bytes among many well-formed non-ASCII characters: legacy Vietnamese encodings
    /// give the reverse (their accented letters are lone high bytes, followed by ASCII), so such a
    /// file is UTF-8 with damage, not a legacy file.
    var isStray: Bool { invalid > 0 && multibyte >= 10 && invalid * 10 <= multibyte }

    /// At most one bad byte per 200 bytes of text (and a text of 200 bytes or more).
    func isSliver(of count: Int) -> Bool { invalid > 0 && invalid * 200 <= count }

    var note: String {
        "not valid UTF-8 at \(invalid) byte\(invalid == 1 ? "" : "s") (first: line \(firstLine), column \(firstColumn), "
            + "byte \(firstOffset)), shown as U+FFFD; read as UTF-8 (\(multibyte) well-formed non-ASCII characters)"
    }

    static func assess(_ bytes: ArraySlice<UInt8>) -> UTF8Damage? {
        bytes.withContiguousStorageIfAvailable { b in
            var d = UTF8Damage()
            var i = 0, line = 1, column = 1
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if c == 0x0A { line += 1; column = 1 } else { column += 1 }
                    i += 1
                    continue
                }
                let length = sequenceLength(b, i)
                if length > 0 {
                    d.multibyte += 1
                    i += length
                } else {
                    if d.invalid == 0 { d.firstOffset = i; d.firstLine = line; d.firstColumn = column }
                    d.invalid += 1
                    i += 1
                }
                column += 1
            }
            return d
        }
    }

    /// Length of the well-formed UTF-8 sequence starting with the non-ASCII byte at `i`, or 0
    /// (Unicode Table 3-7: no overlong forms, surrogates or values above U+10FFFF).
    private static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i]
        func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool { i + k < b.count && b[i + k] >= lo && b[i + k] <= hi }
        switch c {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xE1...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }
}
