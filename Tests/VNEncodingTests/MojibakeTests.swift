import Foundation
import Testing
@testable import VNEncoding

@Suite struct MojibakeTests {
    static func utf8AsWindows1252(_ s: String) -> String { Samples.readAsWindows1252(Array(s.utf8)) }
    static func legacyAsLatin1(_ s: String, _ e: SourceEncoding) -> String {
        Samples.readAsWindows1252(LegacyCodec.encode(s, as: e)!)
    }

    @Test func handWrittenExamples() throws {
        #expect(try TextDecoder.decode(Array("Bà Thá»§y DÆ°Æ¡ng phÃ¡t biá»ƒu".utf8)).text == "Bà Thủy Dương phát biểu")
        let tcvn = try TextDecoder.decode(Array("thÈm quyÒn hoÆc ®\u{AD}îc Thñ t\u{AD}íng".utf8))
        #expect(tcvn.text == "thẩm quyền hoặc được Thủ tướng")
        #expect(tcvn.encoding == .utf8)
        #expect(tcvn.notes.count == 1 && tcvn.notes[0].contains("TCVN3"), "\(tcvn.notes)")
        let vni = try TextDecoder.decode(Array("Xin chaøo caùc baïn".utf8))
        #expect(vni.text == "Xin chào các bạn")
    }

    @Test func wholeDocumentsInEachMojibakeForm() throws {
        for doc in [Samples.council, Samples.councilABC, Samples.letter] {
            var forms = [Self.utf8AsWindows1252(doc), Self.legacyAsLatin1(doc, .vni)]
            // TCVN3 as typed with ABC fonts: no VN1 capitals (bytes below 0x20 or 0x80…0x9F).
            if LegacyCodec.encode(doc, as: .tcvn3)!.allSatisfy({ $0 >= 0xA0 || ($0 >= 0x20 && $0 < 0x80) || $0 == 0x0A }) {
                forms.append(Self.legacyAsLatin1(doc, .tcvn3))
            } else {
                #expect(doc == Samples.council)
            }
            for (k, garbled) in forms.enumerated() {
                let d = try TextDecoder.decode(Array(garbled.utf8))
                #expect(d.text == doc, "form \(k)")
                if d.text != doc { diff(d.text, doc) }
                #expect(!d.notes.isEmpty)
            }
        }
    }

    @Test func fragmentPastedInCorrectDocument() throws {
        let fragment = "Bà Thủy Dương, Phó Chủ tịch, khuyên các xã tuyên truyền rộng rãi để người dân hiểu rõ."
        for garbled in [Self.utf8AsWindows1252(fragment), Self.legacyAsLatin1(fragment, .tcvn3), Self.legacyAsLatin1(fragment, .vni)] {
            let doc = Samples.letter + "\n" + garbled + "\n" + Samples.council
            let d = try TextDecoder.decode(Array(doc.utf8))
            let expected = Samples.letter + "\n" + fragment + "\n" + Samples.council
            #expect(d.text == expected)
            if d.text != expected { diff(d.text, expected) }
        }
    }

    /// A line from the pháp điển corpus: a TCVN3 fragment read as Latin-1 inside correct text.
    @Test func realFragmentFromCorpus() throws {
        let line = "Phê duyệt quy hoạch theo thẩm quyền hoặc\n\nPhª duyÖt quy ho¹ch kết cấu hạ tầng giao thông đường bộ "
            + "theo thÈm quyÒn hoÆc ®\u{AD}îc Thñ t\u{AD}íng Chính phủ ủy quyền."
        let d = try TextDecoder.decode(Array(line.utf8))
        #expect(d.text == "Phê duyệt quy hoạch theo thẩm quyền hoặc\n\nPhê duyệt quy hoạch kết cấu hạ tầng giao thông đường bộ "
            + "theo thẩm quyền hoặc được Thủ tướng Chính phủ ủy quyền.")
        #expect(d.encoding == .utf8)
        #expect(d.notes.count == 1 && d.notes[0].contains("TCVN3"))
    }

    @Test func westernTextIsLeftAlone() throws {
        let d = try TextDecoder.decode(Array(Samples.western.utf8))
        #expect(d.text == Samples.western)
        #expect(d.notes.isEmpty, "\(d.notes)")
        for s in ["Café Giảng", "30°C", "© 2019", "Général de Gaulle", "Ça va? à bientôt", "Né à Paris"] {
            #expect(MojibakeRepair.repair(s) == nil, "\(s)")
        }
    }

    @Test func cleanVietnameseIsUntouchedAndFast() throws {
        for doc in [Samples.council, Samples.letter] {
            #expect(!MojibakeRepair.mightContainMojibake(doc))
            let d = try TextDecoder.decode(Array(doc.utf8))
            #expect(d.text == doc && d.notes.isEmpty)
            #expect(MojibakeRepair.repair(doc) == nil)
            // NFD stays NFD.
            let nfd = doc.decomposedStringWithCanonicalMapping
            let dn = try TextDecoder.decode(Array(nfd.utf8))
            #expect(Array(dn.text.utf8) == Array(nfd.utf8))
        }
    }

    @Test func fastScanFlagsMojibake() {
        for s in ["Thá»§y", "D\u{AD}¬ng", "thÈm", "caùc", "chaøo", "Ä‘i", "Ã\u{A0}"] {
            #expect(MojibakeRepair.mightContainMojibake(s), "\(s)")
        }
        for s in ["Thủy Dương", "quá hoá quân quê", "Ngã ba", "Điều 1.\u{A0}Phạm vi", "© 2019", "NGÃ BA"] {
            #expect(!MojibakeRepair.mightContainMojibake(s), "\(s)")
        }
    }

    @Test func gateMasksMatchTheirDefinitions() {
        #expect(MojibakeRepair.nonVietnameseLatin1Mask == MojibakeRepair.nonVietnameseLatin1MaskComputed())
        #expect(MojibakeRepair.latin1Interesting == MojibakeRepair.latin1InterestingComputed())
    }

    @Test func gateLeavesCommonCleanTextAlone() {
        // "giúp"/"giùm" (VNI never writes a mark after i), "°C", "±5", NFD text, Latin-1 punctuation.
        for s in ["Tiêu chuẩn trợ giúp xã hội", "GIÚP ĐỠ", "nhờ giùm", "từ +2°C đến +8°C", "sai số ±5 m", "nhiệt độ 30°",
                  "Thủy Dương".decomposedStringWithCanonicalMapping, "© 2019 – Bản quyền…", "Điều\u{A0}1"] {
            #expect(!MojibakeRepair.mightContainMojibake(s), "\(s)")
        }
        // Still flagged: VNI after the vowels it marks, TCVN3 marks after their vowel.
        for s in ["caùc", "CAÙC", "nhö õ", "baûng", "ca°", "tr\u{AD}êng"] {
            #expect(MojibakeRepair.mightContainMojibake(s), "\(s)")
        }
    }

    @Test func utf16Repaired() throws {
        let garbled = Self.utf8AsWindows1252(Samples.letter)
        let bytes: [UInt8] = [0xFF, 0xFE] + garbled.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try TextDecoder.decode(bytes).text == Samples.letter)
    }

    func diff(_ a: String, _ b: String) {
        let wa = a.split(whereSeparator: \.isWhitespace), wb = b.split(whereSeparator: \.isWhitespace)
        for (x, y) in zip(wa, wb) where x != y { print("DIFF got «\(x)» want «\(y)»") }
    }
}
