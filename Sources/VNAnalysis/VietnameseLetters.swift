/// Vietnamese letters split into their parts: base letter, quality mark, tone.
///
/// A syllable's identity is its letters with their quality marks plus ONE tone, wherever the tone
/// was placed; so the analyzer keeps letters and tone apart. The table is built once from ICU's
/// NFD decompositions, which covers every precomposed Vietnamese letter in both cases.
enum Tone: UInt8 {
    case none = 0, huyen, sac, hoi, nga, nang

    /// The combining mark that writes this tone, or nil for a code point that is no tone mark.
    init?(combiningMark cp: UInt32) {
        switch cp {
        case 0x300, 0x340: self = .huyen
        case 0x301, 0x341: self = .sac
        case 0x309: self = .hoi
        case 0x303: self = .nga
        case 0x323: self = .nang
        default: return nil
        }
    }
}

/// The mark that makes a letter of its own: â ă ê ô ơ ư đ.
enum Quality: UInt8 {
    case none = 0, circumflex, breve, horn, bar

    init?(combiningMark cp: UInt32) {
        switch cp {
        case 0x302: self = .circumflex
        case 0x306: self = .breve
        case 0x31B: self = .horn
        default: return nil
        }
    }

    /// Whether `base` (ASCII lower case) takes this mark in Vietnamese.
    func fits(_ base: UInt8) -> Bool {
        switch self {
        case .none: return true
        case .circumflex: return base == UInt8(ascii: "a") || base == UInt8(ascii: "e") || base == UInt8(ascii: "o")
        case .breve: return base == UInt8(ascii: "a")
        case .horn: return base == UInt8(ascii: "o") || base == UInt8(ascii: "u")
        case .bar: return base == UInt8(ascii: "d")
        }
    }
}

/// One entry of the letter table, packed: base (8 bits) | quality (3) | tone (3) | valid (1).
struct LetterParts {
    var base: UInt8      // ASCII lower-case letter
    var quality: Quality
    var tone: Tone

    var packed: UInt16 { UInt16(base) | UInt16(quality.rawValue) << 8 | UInt16(tone.rawValue) << 11 | 1 << 15 }

    init(base: UInt8, quality: Quality, tone: Tone) { self.base = base; self.quality = quality; self.tone = tone }

    init?(packed p: UInt16) {
        guard p & 0x8000 != 0 else { return nil }
        base = UInt8(p & 0xFF)
        quality = Quality(rawValue: UInt8((p >> 8) & 7)) ?? .none
        tone = Tone(rawValue: UInt8((p >> 11) & 7)) ?? .none
    }

}

enum VietnameseLetters {
    /// Code points below this bound are looked up in `table`.
    static let tableLimit: UInt32 = 0x1F00

    /// Packed `LetterParts` for every precomposed Latin letter made of an ASCII letter plus at most
    /// one Vietnamese quality mark and at most one tone (tones only on vowels); 0 elsewhere.
    static let table: [UInt16] = {
        var t = [UInt16](repeating: 0, count: Int(tableLimit))
        let vowels = Set("aeiouy".utf8)
        for cp in UInt32(0xC0)..<tableLimit {
            guard (0xC0...0x24F).contains(cp) || (0x1E00...0x1EFF).contains(cp) else { continue }
            guard let scalar = Unicode.Scalar(cp) else { continue }
            let nfd = ICU.nfdScalars(Array(String(Character(scalar)).utf8))
            guard let first = nfd.first, first < 0x80, let c = UInt8(exactly: first),
                  (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) else { continue }
            let base = c | 0x20
            var quality = Quality.none, tone = Tone.none, ok = true
            for m in nfd.dropFirst() {
                if let q = Quality(combiningMark: m), quality == .none, q.fits(base) { quality = q }
                else if let tn = Tone(combiningMark: m), tone == .none, vowels.contains(base) { tone = tn }
                else { ok = false }
            }
            if ok && (quality != .none || tone != .none) {
                t[Int(cp)] = LetterParts(base: base, quality: quality, tone: tone).packed
            }
        }
        // đ and its look-alikes copied into text: Đ đ, Ð (U+00D0) ð (U+00F0), Ɖ (U+0189) ɖ (U+0256).
        for cp in [0x110, 0x111, 0xD0, 0xF0, 0x189, 0x256] {
            t[cp] = LetterParts(base: UInt8(ascii: "d"), quality: .bar, tone: .none).packed
        }
        return t
    }()

    @inline(__always)
    static func parts(_ cp: UInt32) -> LetterParts? {
        cp < tableLimit ? LetterParts(packed: table[Int(cp)]) : nil
    }

    /// Default-ignorable characters that real documents carry inside words; checked before ICU
    /// and before the combining marks (the combining grapheme joiner U+034F is one, but ignorable).
    @inline(__always)
    static func isCommonIgnorable(_ cp: UInt32) -> Bool {
        cp == 0xAD || (0x200B...0x200D).contains(cp) || cp == 0x2060 || cp == 0xFEFF || cp == 0x34F
    }
}
