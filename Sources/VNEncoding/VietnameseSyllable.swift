/// Well-formedness of one written Vietnamese syllable ("thủy", "Dương", "NGHIÊNG").
///
/// A syllable is `onset + rhyme`, with at most one tone mark:
/// - onset: one of `b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x`, or none;
///   `gh`/`ngh` only before `i e ê`.
/// - rhyme: an open rhyme from `openRhymes` (vowel nucleus, possibly ending in the semivowels
///   `i y o u`), or a nucleus from `closedRhymes` followed by one of the codas it allows
///   (`c ch m n ng nh p t`).
/// - tone: none, grave, acute, hook, tilde or dot below, carried by a vowel; after the stop
///   codas `c ch p t` only acute or dot below.
/// - case: all lowercase, all uppercase, or capitalised ("Thủy"); "thÈm" is not a syllable.
///
/// Precomposed (NFC) and decomposed (NFD) input are both accepted. The check is deliberately a
/// little generous (it does not judge tone placement, and `k` may stand before any vowel, as in
/// "Bắc Kạn"), since it is used to tell Vietnamese from mojibake, not to proofread.
public enum VietnameseSyllable {
    /// The six tones, in the column order of `vowelRows`.
    public enum Tone: Int, Sendable, CaseIterable {
        case level = 0, grave, acute, hook, tilde, dotBelow
    }

    /// The twelve vowel letters (lowercase), each with its tones in `Tone` order.
    public static let vowelRows: [String] = [
        "aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
        "oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ",
    ]

    /// The 134 letters of the Vietnamese alphabet outside ASCII (67 lowercase, then their
    /// uppercase forms): every toned vowel, `ă â ê ô ơ ư`, and `đ`.
    public static let nonASCIILetters: [Character] = {
        var lower: [Character] = []
        for row in vowelRows {
            for (i, ch) in row.enumerated() where !(i == 0 && ch.isASCII) { lower.append(ch) }
        }
        lower.append("đ")
        return lower + lower.map { Character($0.uppercased()) }
    }()

    /// Legal onsets (the empty string is "no onset").
    public static let onsets: [String] = [
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
        "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
    ]

    /// Rhymes without a consonant coda (toneless, lowercase).
    public static let openRhymes: Set<String> = Set("""
        a ai ao au ay âu ây e eo ê êu i ia iu iêu o oa oai oao oay oe oeo oi ô ôi ơ ơi \
        u ua uây uê ui uôi uơ uy uya uyu ư ưa ưi ưu ươi ươu y yêu
        """.split(separator: " ").map(String.init))

    /// Nuclei that take a consonant coda, with the codas each allows.
    public static let closedRhymes: [String: Set<String>] = {
        let table = """
            a:c ch m n ng nh p t|ă:c m n ng p t|â:c m n ng p t|e:c m n ng p t|ê:ch m n nh p t|\
            i:ch m n nh p t|o:c m n ng p t|oo:c ng|ô:c m n ng p t|ơ:m n p t|u:c m n ng p t|\
            ư:c m n ng t|iê:c m n ng p t|yê:m n ng t|uô:c m n ng t|ươ:c m n ng p t|\
            oa:c ch m n ng nh p t|oă:c m n ng t|oe:m n t|uâ:n ng t|uê:ch n nh|uy:ch n nh p t|\
            uyê:n t|y:ch n nh t
            """
        var result: [String: Set<String>] = [:]
        for entry in table.split(separator: "|") {
            let parts = entry.split(separator: ":")
            result[String(parts[0])] = Set(parts[1].split(separator: " ").map(String.init))
        }
        return result
    }()

    static let codas = ["ch", "nh", "ng", "c", "m", "n", "p", "t"]
    static let stopCodas: Set<String> = ["c", "ch", "p", "t"]

    /// Scalar value → (lowercase toneless base letter, tone, isUppercase) for every vowel form
    /// and `đ`.
    static let letterInfo: [UInt32: (base: Character, tone: Tone, upper: Bool)] = {
        var info: [UInt32: (base: Character, tone: Tone, upper: Bool)] = [:]
        for row in vowelRows {
            let forms = Array(row)
            let base = forms[0]
            for (i, ch) in forms.enumerated() {
                let tone = Tone(rawValue: i)!
                info[ch.unicodeScalars.first!.value] = (base, tone, false)
                info[Character(ch.uppercased()).unicodeScalars.first!.value] = (base, tone, true)
            }
        }
        info[0x111] = ("đ", .level, false)
        info[0x110] = ("đ", .level, true)
        return info
    }()

    /// Combining tone marks (NFD) → tone.
    static let combiningTones: [UInt32: Tone] = [
        0x300: .grave, 0x301: .acute, 0x309: .hook, 0x303: .tilde, 0x323: .dotBelow,
        0x340: .grave, 0x341: .acute,
    ]
    /// Combining vowel modifiers (NFD): circumflex, breve, horn.
    static let combiningModifiers: [UInt32: [Character: Character]] = [
        0x302: ["a": "â", "e": "ê", "o": "ô"],
        0x306: ["a": "ă"],
        0x31B: ["o": "ơ", "u": "ư"],
    ]

    /// A syllable reduced to its lowercase toneless letters and its tone.
    public struct Parts: Sendable, Equatable {
        public var letters: String
        public var tone: Tone
    }

    /// Splits `s` into toneless lowercase letters and tone; nil when `s` holds anything other
    /// than Vietnamese letters, has two tone marks, or has a mixed case like "thÈm".
    public static func parts<S: StringProtocol>(_ s: S) -> Parts? {
        var letters: [Character] = []
        letters.reserveCapacity(8)
        var tone = Tone.level
        var uppers = 0, firstUpper = false
        for scalar in s.unicodeScalars {
            let v = scalar.value
            var upper = false
            if v < 0x80 {
                switch v {
                case 0x61...0x7A: letters.append(Character(scalar))
                case 0x41...0x5A: letters.append(Character(Unicode.Scalar(v + 0x20)!)); upper = true
                default: return nil
                }
            } else if let info = letterInfo[v] {
                if info.tone != .level {
                    if tone != .level { return nil }
                    tone = info.tone
                }
                letters.append(info.base)
                upper = info.upper
            } else if let t = combiningTones[v] {
                guard tone == .level, let last = letters.last, isVowel(last) else { return nil }
                tone = t
                continue
            } else if let mods = combiningModifiers[v] {
                guard let last = letters.last, let modified = mods[last] else { return nil }
                letters[letters.count - 1] = modified
                continue
            } else {
                return nil
            }
            if upper {
                uppers += 1
                if letters.count == 1 { firstUpper = true }
            }
        }
        if letters.isEmpty { return nil }
        let caseOK = uppers == 0 || uppers == letters.count || (uppers == 1 && firstUpper)
        return caseOK ? Parts(letters: String(letters), tone: tone) : nil
    }

    static func isVowel(_ c: Character) -> Bool { "aăâeêioôơuưy".contains(c) }

    /// True when `s` (one syllable, no spaces or punctuation) is a well-formed Vietnamese syllable.
    public static func isWellFormed<S: StringProtocol>(_ s: S) -> Bool {
        guard let p = parts(s) else { return false }
        return isWellFormed(letters: p.letters, tone: p.tone)
    }

    /// The check on toneless lowercase letters plus a tone.
    public static func isWellFormed(letters: String, tone: Tone) -> Bool {
        for onset in onsets where letters.hasPrefix(onset) {
            let rhyme = letters.dropFirst(onset.count)
            if rhyme.isEmpty { continue }
            if onset == "gh" || onset == "ngh", !"ieê".contains(rhyme.first!) { continue }
            if onset == "qu", rhyme.first == "u" { continue }
            if openRhymes.contains(String(rhyme)) { return true }
            for coda in codas where rhyme.hasSuffix(coda) {
                let nucleus = String(rhyme.dropLast(coda.count))
                guard let allowed = closedRhymes[nucleus], allowed.contains(coda) else { continue }
                if stopCodas.contains(coda), tone != .acute, tone != .dotBelow { continue }
                return true
            }
        }
        return false
    }

    /// True when `c` is a letter that only Vietnamese uses among Latin scripts' common
    /// encodings: a toned or modified vowel outside Latin-1, or `đ`.
    public static func isVietnameseOnlyLetter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value > 0xFF && letterInfo[scalar.value] != nil
    }
}
