import Glibc

/// The pre-Unicode Vietnamese 8-bit encodings: decoding and encoding.
///
/// TCVN3 (TCVN 5712:1993, "ABC"), VISCII and Windows-1258 come from the system's iconv
/// (glibc: `TCVN5712-1`, `VISCII`, `WINDOWS-1258`): their 256-entry byte tables are read from
/// iconv once, on first use. VNI-Windows has no system converter; its table is `vniRows` below,
/// written from the published VNI-Windows font table (base letter byte + mark byte per accented
/// vowel). All decoders return NFC text.
public enum LegacyCodec {
    /// Decodes `bytes` in a legacy encoding to NFC text; nil when a byte is undefined in it.
    /// UTF encodings are not handled here (nil).
    public static func decode<C: Collection<UInt8>>(_ bytes: C, as encoding: SourceEncoding) -> String? {
        switch encoding {
        case .tcvn3, .viscii, .windows1258:
            guard let table = SingleByteTable.table(for: encoding) else { return nil }
            return table.decode(bytes)
        case .vni:
            return VNI.decode(bytes)
        case .utf8, .utf8BOM, .utf16LE, .utf16BE:
            return nil
        }
    }

    /// Encodes `text` in a legacy encoding; nil when a character has no encoding there.
    /// (For tests and tools: vnsearch itself only reads these encodings.)
    public static func encode(_ text: String, as encoding: SourceEncoding) -> [UInt8]? {
        switch encoding {
        case .tcvn3, .viscii, .windows1258:
            guard let name = SingleByteTable.iconvName(encoding) else { return nil }
            return Iconv.convert(Array(text.nfc.utf8), from: "UTF-8", to: name)
        case .vni:
            return VNI.encode(text)
        case .utf8, .utf8BOM, .utf16LE, .utf16BE:
            return nil
        }
    }

    /// The legacy encodings, in the order detection tries them.
    public static let legacyEncodings: [SourceEncoding] = [.tcvn3, .vni, .viscii, .windows1258]
}

// MARK: - Windows-1252

/// Windows-1252, with its five undefined bytes (0x81 0x8D 0x8F 0x90 0x9D) read as the
/// Latin-1 C1 controls, as browsers and most converters do. Used to read the non-letter bytes
/// of VNI files, and, reversed, to recover bytes from mojibake.
enum Windows1252 {
    static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178,
    ]

    static func scalar(_ byte: UInt8) -> Unicode.Scalar {
        if byte >= 0x80 && byte < 0xA0 { return Unicode.Scalar(high[Int(byte) - 0x80])! }
        return Unicode.Scalar(byte)
    }

    static let reverseHigh: [UInt32: UInt8] = {
        var r: [UInt32: UInt8] = [:]
        for (i, v) in high.enumerated() { r[v] = UInt8(0x80 + i) }
        return r
    }()

    /// The byte a character came from when bytes were read as Windows-1252 or Latin-1.
    @inline(__always)
    static func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v <= 0xFF { return UInt8(v) }
        // The 27 characters of `high` above U+00FF lie in U+0152…U+2122; most letters of
        // Vietnamese text (U+1EA0…U+1EF9, ư ơ đ) are rejected without a lookup.
        if v < 0x152 || v > 0x2122 || (v >= 0x1EA0 && v <= 0x1EF9) { return nil }
        return reverseHigh[v]
    }
}

// MARK: - iconv

enum Iconv {
    /// Converts all of `bytes`; nil when iconv lacks the encoding or meets an invalid sequence.
    /// The output buffer is sized for any conversion between UTF-8/UTF-32 and a single-byte
    /// encoding (at most 4 output bytes per input byte, plus room for a flush).
    static func convert(_ bytes: [UInt8], from: String, to: String) -> [UInt8]? {
        let cd = iconv_open(to, from)
        if Int(bitPattern: cd) == -1 { return nil }
        defer { iconv_close(cd) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 8 + 64)
        let capacity = output.count
        let produced: Int? = input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                var inPtr = inRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inRaw.count
                var outPtr = outRaw.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = capacity
                while inLeft > 0 {
                    if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 { return nil }
                }
                // Flush characters held back for a possible combining mark (TCVN, Windows-1258).
                if iconv(cd, nil, nil, &outPtr, &outLeft) == -1 { return nil }
                return capacity - outLeft
            }
        }
        guard let produced else { return nil }
        return Array(output[0..<produced])
    }
}

/// A single-byte encoding's table, read from iconv.
final class SingleByteTable: Sendable {
    /// Byte → text (one scalar, or nil when undefined).
    let scalars: [Unicode.Scalar?]
    /// Whether some bytes are combining marks (TCVN3, Windows-1258), so output needs NFC.
    let hasCombining: Bool

    init?(iconvName: String) {
        var s: [Unicode.Scalar?] = []
        var combining = false
        for b in 0...255 {
            guard let out = Iconv.convert([UInt8(b)], from: iconvName, to: "UTF-32LE"), out.count == 4 else {
                s.append(nil)
                continue
            }
            let v = UInt32(out[0]) | UInt32(out[1]) << 8 | UInt32(out[2]) << 16 | UInt32(out[3]) << 24
            let scalar = Unicode.Scalar(v)
            if let scalar, scalar.properties.canonicalCombiningClass != .notReordered { combining = true }
            s.append(scalar)
        }
        // A table in which ASCII letters do not map to themselves is not the expected one.
        guard s[0x41] == "A", s[0x7A] == "z" else { return nil }
        scalars = s
        hasCombining = combining
    }

    func decode<C: Collection<UInt8>>(_ bytes: C) -> String? {
        var view = String.UnicodeScalarView()
        view.reserveCapacity(bytes.count)
        for b in bytes {
            guard let s = scalars[Int(b)] else { return nil }
            view.append(s)
        }
        let text = String(view)
        return hasCombining ? text.nfc : text
    }

    static func iconvName(_ encoding: SourceEncoding) -> String? {
        switch encoding {
        case .tcvn3: return "TCVN5712-1"
        case .viscii: return "VISCII"
        case .windows1258: return "WINDOWS-1258"
        default: return nil
        }
    }

    static let tcvn3 = SingleByteTable(iconvName: "TCVN5712-1")
    static let viscii = SingleByteTable(iconvName: "VISCII")
    static let windows1258 = SingleByteTable(iconvName: "WINDOWS-1258")

    static func table(for encoding: SourceEncoding) -> SingleByteTable? {
        switch encoding {
        case .tcvn3: return tcvn3
        case .viscii: return viscii
        case .windows1258: return windows1258
        default: return nil
        }
    }
}

// MARK: - VNI-Windows

/// VNI-Windows: accented vowels are an ASCII base letter followed by a mark byte; `ơ ư đ` and the
/// toned `i` (and `ỵ`) are single bytes. Other bytes read as Windows-1252.
enum VNI {
    /// Lowercase, as Latin-1 text, in the row and column order of `VietnameseSyllable.vowelRows`
    /// (level, grave, acute, hook, tilde, dot below). Uppercase uses the uppercase Latin-1 forms
    /// ("AØ" = À, "Ö" = Ư, "Ñ" = Đ).
    static let vniRows: [[String]] = [
        ["a", "aø", "aù", "aû", "aõ", "aï"],
        ["aê", "aè", "aé", "aú", "aü", "aë"],
        ["aâ", "aà", "aá", "aå", "aã", "aä"],
        ["e", "eø", "eù", "eû", "eõ", "eï"],
        ["eâ", "eà", "eá", "eå", "eã", "eä"],
        ["i", "ì", "í", "æ", "ó", "ò"],
        ["o", "oø", "où", "oû", "oõ", "oï"],
        ["oâ", "oà", "oá", "oå", "oã", "oä"],
        ["ô", "ôø", "ôù", "ôû", "ôõ", "ôï"],
        ["u", "uø", "uù", "uû", "uõ", "uï"],
        ["ö", "öø", "öù", "öû", "öõ", "öï"],
        ["y", "yø", "yù", "yû", "yõ", "î"],
    ]

    static func latin1Bytes(_ s: String) -> [UInt8] { s.unicodeScalars.map { UInt8($0.value) } }

    /// (letter, VNI bytes) for all 134 non-ASCII letters.
    static let pairs: [(Character, [UInt8])] = {
        var result: [(Character, [UInt8])] = []
        for (row, forms) in zip(VietnameseSyllable.vowelRows, vniRows) {
            for (letter, code) in zip(row, forms) where !letter.isASCII {
                result.append((letter, latin1Bytes(code)))
                result.append((Character(letter.uppercased()), latin1Bytes(code.uppercased())))
            }
        }
        result.append(("đ", [0xF1]))
        result.append(("Đ", [0xD1]))
        return result
    }()

    static let twoByte: [UInt16: Unicode.Scalar] = {
        var d: [UInt16: Unicode.Scalar] = [:]
        for (ch, code) in pairs where code.count == 2 { d[UInt16(code[0]) << 8 | UInt16(code[1])] = ch.unicodeScalars.first! }
        return d
    }()

    static let oneByte: [Unicode.Scalar?] = {
        var t = [Unicode.Scalar?](repeating: nil, count: 256)
        for (ch, code) in pairs where code.count == 1 { t[Int(code[0])] = ch.unicodeScalars.first! }
        return t
    }()

    static let encodeTable: [Character: [UInt8]] = Dictionary(uniqueKeysWithValues: pairs)

    static func decode<C: Collection<UInt8>>(_ bytes: C) -> String? {
        let b = Array(bytes)
        var view = String.UnicodeScalarView()
        view.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if i + 1 < b.count, b[i + 1] >= 0xC0, let s = twoByte[UInt16(b[i]) << 8 | UInt16(b[i + 1])] {
                view.append(s)
                i += 2
                continue
            }
            view.append(oneByte[Int(b[i])] ?? Windows1252.scalar(b[i]))
            i += 1
        }
        return String(view)
    }

    static func encode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        for ch in text.nfc {
            if let code = encodeTable[ch] { out += code; continue }
            for scalar in ch.unicodeScalars {
                guard let byte = Windows1252.byte(scalar) else { return nil }
                // A byte that VNI reads as a letter on its own cannot stand for itself.
                if byte >= 0x80, oneByte[Int(byte)] != nil { return nil }
                out.append(byte)
            }
        }
        return out
    }
}
