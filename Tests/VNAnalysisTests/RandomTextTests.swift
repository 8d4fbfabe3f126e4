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

    /// Up to `count` characters drawn from `alphabet`.
    static func randomText(upTo count: Int, using rng: inout SystemRandomNumberGenerator) -> String {
        var v = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...count, using: &rng) { v.append(alphabet.randomElement(using: &rng)!) }
        return String(v)
    }

    /// Token boundaries read without keys (`tokenSpans`, what snippets use) are the analyzer's:
    /// for random positions, walked from the start or from exact marks, each reported token's
    /// bytes are the ones the analyzer gives for that position.
    @Test func tokenSpansAreTheAnalyzersTokens() {
        var rng = SystemRandomNumberGenerator()
        let analyzer = Analyzer()
        for _ in 0..<400 {
            let text = Self.randomText(upTo: 300, using: &rng)
            let utf8 = Array(text.utf8)
            let tokens = analyzer.analyze(text)
            let interval = Int.random(in: 1...8, using: &rng)
            let wanted = tokens.filter { _ in Bool.random(using: &rng) }
            let marks = TokenSpanTests.exactMarks(tokens, interval: interval)
            for m in [[], marks] {
                let got = TokenSpanTests.spans(utf8, at: wanted.map { Int32($0.position) }, marks: m, interval: interval)
                #expect(got.map(\.0) == wanted.map(\.start) && got.map(\.1) == wanted.map(\.end),
                        "\(utf8.map { String($0, radix: 16) }) interval \(interval) marks \(m)")
            }
        }
    }

    @Test func invariantsHoldOnRandomText() {
        var rng = SystemRandomNumberGenerator()
        let analyzer = Analyzer()
        for _ in 0..<400 {
            let text = Self.randomText(upTo: 200, using: &rng)
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
