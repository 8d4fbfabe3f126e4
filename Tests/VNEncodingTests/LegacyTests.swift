import Foundation
import Testing
@testable import VNEncoding

@Suite struct LegacyCodecTests {
    static let legacy: [SourceEncoding] = [.tcvn3, .vni, .viscii, .windows1258]

    @Test(arguments: legacy)
    func everyLetterRoundTrips(_ encoding: SourceEncoding) throws {
        for letter in VietnameseSyllable.nonASCIILetters {
            let s = String(letter)
            let bytes = try #require(LegacyCodec.encode(s, as: encoding), "\(letter) in \(encoding)")
            #expect(LegacyCodec.decode(bytes, as: encoding) == s, "\(letter) in \(encoding): \(bytes)")
            // Inside a word, with ASCII around it.
            let word = "x\(s)n"
            let wb = try #require(LegacyCodec.encode(word, as: encoding))
            #expect(LegacyCodec.decode(wb, as: encoding) == word, "\(word) in \(encoding)")
        }
    }

    @Test func handWrittenTCVN3() {
        // "Thñy D­¬ng" as a Latin-1 reader shows TCVN3 "Thủy Dương".
        let bytes: [UInt8] = [0x54, 0x68, 0xF1, 0x79, 0x20, 0x44, 0xAD, 0xAC, 0x6E, 0x67]
        #expect(LegacyCodec.decode(bytes, as: .tcvn3) == "Thủy Dương")
        #expect(Samples.readAsWindows1252(bytes) == "Thñy D\u{AD}¬ng")
        #expect(LegacyCodec.encode("Thủy Dương", as: .tcvn3) == bytes)
        // "thÈm quyÒn hoÆc ®­îc Thñ t­íng"
        let more = Array("thÈm quyÒn hoÆc ®\u{AD}îc Thñ t\u{AD}íng".unicodeScalars.map { UInt8($0.value) })
        #expect(LegacyCodec.decode(more, as: .tcvn3) == "thẩm quyền hoặc được Thủ tướng")
    }

    @Test func handWrittenVNI() {
        let bytes = Array("Xin chaøo caùc baïn. Thuûy Döông, ñöôïc, ÑAÏI HOÄI, tieáng Vieät".unicodeScalars.map { UInt8($0.value) })
        #expect(LegacyCodec.decode(bytes, as: .vni) == "Xin chào các bạn. Thủy Dương, được, ĐẠI HỘI, tiếng Việt")
        #expect(LegacyCodec.encode("Xin chào các bạn. Thủy Dương, được, ĐẠI HỘI, tiếng Việt", as: .vni) == bytes)
    }

    @Test func handWrittenVISCIIAndWindows1258() {
        // VISCII: ủ = 0xFC, ư = 0xDF, ơ = 0xBD.
        #expect(LegacyCodec.decode([0x54, 0x68, 0xFC, 0x79, 0x20, 0x44, 0xDF, 0xBD, 0x6E, 0x67], as: .viscii) == "Thủy Dương")
        // Windows-1258: u + combining hook (0xD2), ư = 0xFD, ơ = 0xF5; the result is NFC.
        let w: [UInt8] = [0x54, 0x68, 0x75, 0xD2, 0x79, 0x20, 0x44, 0xFD, 0xF5, 0x6E, 0x67]
        let decoded = LegacyCodec.decode(w, as: .windows1258)
        #expect(decoded == "Thủy Dương")
        #expect(decoded?.unicodeScalars.count == 10)
    }

    @Test(arguments: legacy)
    func documentsDecodeToOriginal(_ encoding: SourceEncoding) throws {
        for doc in [Samples.council, Samples.letter] {
            let bytes = try #require(LegacyCodec.encode(doc, as: encoding))
            let decoded = try TextDecoder.decode(bytes)
            #expect(decoded.encoding == encoding)
            #expect(decoded.text == doc)
            #expect(decoded.notes.first?.contains("decoded as \(encoding.displayName)") == true, "\(decoded.notes)")
        }
    }

    @Test func independentTCVN3Document() throws {
        let text = "Thñy D\u{AD}¬ng ®\u{AD}îc Thñ t\u{AD}íng giao thÈm quyÒn xö lý c¸c viÖc cña x·."
        let bytes = Array(text.unicodeScalars.map { UInt8($0.value) })
        let decoded = try TextDecoder.decode(bytes)
        #expect(decoded.encoding == .tcvn3)
        #expect(decoded.text == "Thủy Dương được Thủ tướng giao thẩm quyền xử lý các việc của xã.")
    }

    @Test func tooShortIsReported() {
        let bytes = LegacyCodec.encode("Thủy", as: .tcvn3)!
        #expect(throws: DecodingError.self) { try TextDecoder.decode(bytes) }
        do {
            _ = try TextDecoder.decode(bytes)
        } catch {
            #expect(error.isTooShortToDecide, "\(error)")
        }
    }

    @Test func westernLatin1IsNotVietnamese() {
        let bytes = Array(Samples.western.unicodeScalars.compactMap { $0.value < 0x100 ? UInt8($0.value) : nil })
        do {
            let d = try TextDecoder.decode(bytes)
            Issue.record("decoded as \(d.encoding): \(d.text)")
        } catch {
            guard case .unknownEncoding = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func utf8WithAFewStrayBytesIsKeptWithEachShownAsReplacement() throws {
        let good = Samples.council
        var bytes = Array(good.utf8)
        let lineTwo = try #require(bytes.firstIndex(of: 0x0A)) + 1
        bytes.insert(0xFF, at: lineTwo)              // a stray byte at the start of line 2
        bytes.append(contentsOf: [0xE1, 0xBB])       // a character cut at the end of the file
        let decoded = try TextDecoder.decode(bytes)
        #expect(decoded.encoding == .utf8)
        #expect(decoded.invalidBytes == 3)
        #expect(decoded.text.unicodeScalars.filter { $0 == "\u{FFFD}" }.count == 2)  // the cut character is one
        #expect(decoded.text.replacingOccurrences(of: "\u{FFFD}", with: "") == good)
        #expect(decoded.notes.first?.hasPrefix("not valid UTF-8 at 3 bytes (first: line 2, column 1,") == true, "\(decoded.notes)")
    }

    /// A long text typed without diacritics with one stray Latin-1 byte has too few accented words
    /// to pick a legacy encoding; it is kept as UTF-8 with that byte shown as U+FFFD, not skipped.
    @Test func aLongTextWithOneStrayByteAndNoAccentsIsKept() throws {
        let plain = String(repeating: "Thuy Duong tiep nhan kien nghi cu tri. ", count: 8)
        var bytes = Array(plain.utf8)
        bytes.insert(0xA0, at: 100)
        let decoded = try TextDecoder.decode(bytes)
        #expect(decoded.encoding == .utf8 && decoded.invalidBytes == 1)
        #expect(decoded.text.replacingOccurrences(of: "\u{FFFD}", with: "") == plain)
        // A short one is still reported: one odd byte in 40 could be a legacy accented letter.
        #expect(throws: DecodingError.self) { try TextDecoder.decode(Array("Thuy Duong tiep nhan kien nghi".utf8) + [0xA0]) }
    }

    @Test func moreStrayBytesThanOneInTenCharactersIsNotUTF8() {
        // 20 well-formed accented letters: 2 bad bytes are stray (1 in 10 at most), 3 are not.
        let letters = String(repeating: "ấ ", count: 20)
        #expect((try? TextDecoder.decode(Array(letters.utf8) + [0xFF, 0x20, 0xFF]))?.invalidBytes == 2)
        #expect(throws: DecodingError.self) { try TextDecoder.decode(Array(letters.utf8) + [0xFF, 0x20, 0xFF, 0x20, 0xFF]) }
    }
}
