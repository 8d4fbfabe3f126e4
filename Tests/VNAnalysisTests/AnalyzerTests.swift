import Foundation
import Testing
@testable import VNAnalysis

/// Keys of every token in `s`, as "folded·suffix" strings.
private func keys(_ s: String) -> [String] { Analyzer().analyze(s).map(\.key.description) }
private func key(_ s: String) -> TermKey {
    let t = Analyzer().analyze(s)
    precondition(t.count == 1, "expected one token in \(s), got \(t.count)")
    return t[0].key
}
private func nfd(_ s: String) -> String { s.decomposedStringWithCanonicalMapping }

@Suite("Tokens: letters and digits only; everything else separates")
struct TokenizationTests {
    @Test(arguments: [
        ("07/KH-TTHĐND", ["07", "kh", "tthdnd"]),
        ("KT-XH", ["kt", "xh"]),
        ("24/9/2019", ["24", "9", "2019"]),
        ("1.030", ["1", "030"]),
        ("Ủy ban, nhân: dân.", ["uy", "ban", "nhan", "dan"]),
        ("a'b \"c\" (d) [e] – f…g", ["a", "b", "c", "d", "e", "f", "g"]),
        ("Dư\u{AD}ơng", ["duong"]),            // soft hyphen from old TCVN3 conversions
        ("Thủy\u{200B}Dương", ["thuyduong"]),      // zero-width space never splits a word
        ("\u{FEFF}Hội\u{2060}đồng", ["hoidong"]),
        ("Thu\u{34F}y Dương", ["thuy", "duong"]),  // combining grapheme joiner: ignorable, though a mark
        ("Thủy\u{00A0}Dương", ["thuy", "duong"]),  // NBSP separates like a space
        ("Thủy\u{0007}Dương\tX", ["thuy", "duong", "x"]),
        ("", []),
        ("  ... !!", []),
    ])
    func splits(input: String, folded: [String]) {
        #expect(Analyzer().analyze(input).map(\.key.folded) == folded)
    }

    /// An ignorable character inside a word changes nothing: same exact key as without it.
    @Test func ignorablesLeaveTheKeyAsWithoutThem() {
        for mark in ["\u{AD}", "\u{200B}", "\u{200D}", "\u{2060}", "\u{34F}", "\u{FE0F}"] {
            #expect(Analyzer().analyze("Thu\(mark)ỷ").map(\.key) == Analyzer().analyze("Thuỷ").map(\.key), "U+\(String(mark.unicodeScalars.first!.value, radix: 16))")
        }
    }

    @Test func positionsCountFromZero() {
        let t = Analyzer().analyze("Kế hoạch số 07/KH-TTHĐND")
        #expect(t.map(\.position) == [0, 1, 2, 3, 4, 5])
    }

    @Test func byteRangesPointAtTheOriginalText() {
        for text in ["Thường trực HĐND phường Thủy Dương", nfd("Thường trực HĐND phường Thủy Dương"),
                     "Dư\u{AD}ơng, THUỶ-Dương"] {
            let utf8 = Array(text.utf8)
            for t in Analyzer().analyze(text) {
                let slice = String(decoding: utf8[t.start..<t.end], as: UTF8.self)
                // The slice re-analyzes to the same key: offsets really cover the token.
                #expect(Analyzer().analyze(slice).map(\.key) == [t.key], "slice \(slice)")
                #expect(t.start < t.end && t.end <= utf8.count)
            }
        }
    }

    @Test func nfdRangesIncludeTheCombiningMarks() {
        let text = nfd("ở Thủy")
        let t = Analyzer().analyze(text)
        let utf8 = Array(text.utf8)
        #expect(String(decoding: utf8[t[1].start..<t[1].end], as: UTF8.self) == nfd("Thủy"))
        #expect(t[1].end == utf8.count)
    }

    @Test func overlongTokensAreDroppedButKeepTheirPosition() {
        let t = Analyzer().analyze("a " + String(repeating: "x", count: 500) + " b")
        #expect(t.map(\.key.folded) == ["a", "b"])
        #expect(t.map(\.position) == [0, 2])
    }
}

@Suite("Exact key: letters with quality marks plus one tone, wherever it was placed")
struct ExactKeyTests {
    @Test(arguments: [
        // oa, oe, uy open and closed rhymes
        ("hoà", "hòa"), ("hoá", "hóa"), ("hoả", "hỏa"), ("hoã", "hõa"), ("hoạ", "họa"),
        ("khoẻ", "khỏe"), ("loè", "lòe"), ("thuỷ", "thủy"), ("tuỳ", "tùy"), ("luỹ", "lũy"), ("huý", "húy"),
        ("hoàn", "hoàn"), ("khoáng", "khoáng"), ("thuyết", "thuyết"), ("quyền", "quyền"),
        // qu-, gi-, ia/ua/ưa, iê/yê, uô, ươ
        ("quà", "quà"), ("giữ", "giữ"), ("mía", "mía"), ("múa", "múa"), ("mưa", "mưa"),
        ("tiến", "tiến"), ("yên", "yên"), ("uống", "uống"), ("được", "được"),
        ("THUỶ", "thủy"), ("Hoà", "hòa"), ("ĐƯỜNG", "đường"),
    ])
    func tonePlacementAndCaseDoNotMatter(a: String, b: String) {
        #expect(key(a) == key(b))
        #expect(key(nfd(a)) == key(b))
    }

    @Test(arguments: [("lý", "lí"), ("kỹ", "kĩ"), ("sỹ", "sĩ"), ("quý", "quí"), ("Mỹ", "mĩ"), ("hy", "hi"), ("quy", "qui")])
    func iAndYAfterAConsonantAreOneSyllable(a: String, b: String) {
        #expect(key(a) == key(b))
    }

    @Test(arguments: [("tay", "tai"), ("may", "mai"), ("ngày", "ngài"), ("thúy", "thủy"), ("thùy", "thủy"),
                      ("dương", "đường"), ("dương", "đương"), ("duong", "dương"), ("y", "i"), ("ý", "í"),
                      ("hòa", "hoa"), ("hoà", "hóa")])
    func differentWordsStayApart(a: String, b: String) {
        #expect(key(a) != key(b))
    }

    @Test func windows1258StyleDecomposedTones() {
        // precomposed ê + combining dot below, as Windows-1258 conversions write it
        #expect(key("Vi\u{00EA}\u{0323}t") == key("Việt"))
        #expect(key("\u{01B0}\u{01A1}\u{0300}ng") == key("ường"))
    }

    @Test(arguments: ["\u{00D0}à Nẵng", "\u{0189}à Nẵng", "ĐÀ NẴNG", "đà nẵng"])
    func lookalikeCapitalsReadAsD(s: String) {
        #expect(keys(s) == keys("Đà Nẵng"))
    }

    @Test func keysAreReadable() {
        #expect(key("Thủy").description == "thuy·3")
        #expect(key("Đường").description == "duong·1đương")
        #expect(key("2019").description == "2019·0")
    }
}

@Suite("Folded key: every mark removed, đ → d")
struct FoldedKeyTests {
    @Test(arguments: [("Đường", "duong"), ("Thủy", "thuy"), ("HĐND", "hdnd"), ("Nghị", "nghi"), ("ĐỒNG", "dong"),
                      ("général", "general"), ("Müller", "muller"), ("lý", "li"), ("2019", "2019")])
    func folds(input: String, folded: String) {
        #expect(key(input).folded == folded)
        #expect(key(nfd(input)).folded == folded)
    }

    @Test func diacriticsAreDetected() {
        #expect(!key("thuy").hasDiacritics)
        #expect(key("thủy").hasDiacritics)
        #expect(key("duong").hasDiacritics == false)
        #expect(key("đuong").hasDiacritics)  // đ alone counts
        #expect(key("Dương").hasDiacritics)   // quality mark alone counts
        #expect(key("général").hasDiacritics)
    }

    @Test func foreignLettersKeepTheirExactForm() {
        #expect(key("général") != key("general"))
        #expect(key("Général") == key("général"))
        #expect(key(nfd("général")) == key("général"))
    }

    @Test func exactKeyStartsWithTheFoldedPrefix() {
        for w in ["Thủy", "Đường", "général", "2019", "kh"] {
            let k = key(w)
            #expect(Array(k.exact.prefix(k.foldedPrefix.count)) == k.foldedPrefix)
        }
    }
}

@Suite("ICU canary: Foundation and the ICU shim live together")
struct ICUCanaryTests {
    @Test func foundationAndICUAgree() {
        let samples = ["Hội đồng nhân dân", "Thủy Dương", "KIẾN NGHỊ CỬ TRI"]
        for s in samples {
            #expect(keys(s) == keys(s.decomposedStringWithCanonicalMapping))
            #expect(keys(s) == keys(s.lowercased()))
        }
    }
}

@Suite("Letters outside Vietnamese: NFC and NFD still agree")
struct ForeignLetterTests {
    @Test(arguments: ["español", "Müller", "ǹ", "ḿa", "François", "naïve", "ḍa"])
    func nfcAndNfdGiveOneKey(word: String) {
        #expect(key(word) == key(nfd(word)), "\(word)")
        #expect(key(word.uppercased()) == key(word), "\(word)")
    }
}
