import Foundation
import Testing
@testable import VNAnalysis

/// Invariants on random text (Lucene's checkRandomData): whatever the input, offsets stay inside
/// the text and never go backwards, positions increase, every slice re-analyzes to its own key, and
/// analyzing twice gives the same result.
@Suite("Random text")
struct RandomTextTests {
    static let alphabet: [Unicode.Scalar] = {
        var a: [Unicode.Scalar] = []
        for s in "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0123456789 .,-/:'\"\n\t".unicodeScalars { a.append(s) }
        for cp in [0x300, 0x301, 0x303, 0x309, 0x323, 0x302, 0x306, 0x31B, 0xAD, 0x200B, 0x200D, 0xFEFF, 0xA0, 0xD0, 0x189,
                   0xE9, 0xF1, 0xFC, 0x4E2D, 0x1F600, 0x0627, 0x0301, 0x2028, 0x00, 0x7F] {
            if let s = Unicode.Scalar(UInt32(cp)) { a.append(s) }
        }
        return a
    }()

    /// With length and first-letter filters the analyzer reports every token the unfiltered one
    /// does that passes both (same position, bytes and key), only tokens the unfiltered one
    /// reports, and the same document length.
    @Test func filtersNeverLoseAWantedToken() {
        var rng = SystemRandomNumberGenerator()
        let letters = Array("abcdeghiklmnopqrstuvxy0123456789".utf8)
        for _ in 0..<400 {
            var v = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...200, using: &rng) { v.append(Self.alphabet.randomElement(using: &rng)!) }
            let text = String(v)
            let all = Analyzer().analyze(text)
            let initials = Set(letters.filter { _ in Bool.random(using: &rng) })
            let lengths = Set((1...7).filter { _ in Bool.random(using: &rng) })
            let a = Analyzer()
            a.wantedInitials = initials.reduce(0) { $0 | 1 << UInt64($1 & 63) }
            a.wantedLengths = lengths.reduce(0) { $0 | 1 << UInt64($1) }
            let some = a.analyze(text)
            let wanted = all.filter { t in
                let key = Array(t.key.folded.utf8)
                return key.first.map(initials.contains) == true && lengths.contains(key.count)
            }
            let reported = Set(some.map(\.position))
            #expect(wanted.allSatisfy { reported.contains($0.position) }, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            let byPosition = Dictionary(uniqueKeysWithValues: all.map { ($0.position, $0) })
            #expect(some.allSatisfy { byPosition[$0.position] == $0 })
            let unfiltered = Analyzer()
            _ = unfiltered.analyze(text)
            #expect(a.lastTokenCount == unfiltered.lastTokenCount)
        }
    }

    @Test func invariantsHoldOnRandomText() {
        var rng = SystemRandomNumberGenerator()
        let analyzer = Analyzer()
        for _ in 0..<400 {
            var v = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...200, using: &rng) { v.append(Self.alphabet.randomElement(using: &rng)!) }
            let text = String(v)
            let tokens = analyzer.analyze(text)
            #expect(tokens == analyzer.analyze(text), "analysis is not deterministic")
            let utf8 = Array(text.utf8)
            var lastStart = -1, lastPosition = -1
            for t in tokens {
                #expect(0 <= t.start && t.start < t.end && t.end <= utf8.count)
                #expect(t.start >= lastStart && t.position > lastPosition)
                lastStart = t.start; lastPosition = t.position
                let slice = String(decoding: utf8[t.start..<t.end], as: UTF8.self)
                #expect(Analyzer().analyze(slice).map(\.key) == [t.key], "slice \(slice.unicodeScalars.map { String($0.value, radix: 16) })")
                #expect(Array(t.key.exact.prefix(t.key.foldedPrefix.count)) == t.key.foldedPrefix)
            }
        }
    }
}
