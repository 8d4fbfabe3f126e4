import Testing
@testable import VNAnalysis

/// `Analyzer.tokenSpans` finds the bytes of the tokens at given positions from their boundaries
/// alone; snippets rely on it giving exactly the analyzer's tokens.
@Suite("Token spans")
struct TokenSpanTests {
    /// `(start, end)` of each position found.
    static func spans(_ utf8: [UInt8], at positions: [Int32], marks: [Int] = [], interval: Int = 16) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        utf8.withUnsafeBufferPointer { text in
            positions.withUnsafeBufferPointer { p in
                marks.withUnsafeBufferPointer { m in
                    Analyzer().tokenSpans(in: text, at: p, marks: m, interval: interval) { k, start, end in
                        #expect(k == out.count, "positions are reported in order, none skipped while the text lasts")
                        out.append((start, end))
                    }
                }
            }
        }
        return out
    }

    /// Marks as an indexer writes them: the start of the token at every `interval`-th position,
    /// or none when an unreported (overlong) token stands at one.
    static func exactMarks(_ tokens: [AnalyzedToken], interval: Int) -> [Int] {
        let byPosition = Dictionary(uniqueKeysWithValues: tokens.map { ($0.position, $0.start) })
        var marks: [Int] = []
        var p = interval
        while p <= (tokens.last?.position ?? 0) {
            guard let start = byPosition[p] else { return [] }
            marks.append(start)
            p += interval
        }
        return marks
    }

    @Test func everyPositionOfAMixedTextIsFound() {
        let text = "Phường THỦY DƯƠNG (Thuỷ Dương) tổ chức hội nghị tiếp xúc cử tri; Müller và 北京 năm 2019,\nthu\u{AD}ỷ lợi, hoà bình, Thu\u{309}y, e\u{302}\u{301} 😀 đ"
        let tokens = Analyzer().analyze(text)
        let all = Self.spans(Array(text.utf8), at: tokens.map { Int32($0.position) })
        #expect(all.map(\.0) == tokens.map(\.start) && all.map(\.1) == tokens.map(\.end))
        for interval in [1, 2, 3, 5] {
            let marks = Self.exactMarks(tokens, interval: interval)
            #expect(!marks.isEmpty)
            let some = tokens.enumerated().filter { $0.offset % 3 == 1 }.map(\.element)
            let got = Self.spans(Array(text.utf8), at: some.map { Int32($0.position) }, marks: marks, interval: interval)
            #expect(got.map(\.0) == some.map(\.start) && got.map(\.1) == some.map(\.end), "interval \(interval)")
        }
    }

    /// An overlong token is dropped by the analyzer but keeps its position: the walk counts it.
    @Test func overlongTokensTakeTheirPosition() {
        let long = String(repeating: "x", count: Analyzer.maxTokenBytes + 1)
        let text = "một \(long) hai \(long) \(long) ba"
        let tokens = Analyzer().analyze(text)
        #expect(tokens.map(\.position) == [0, 2, 5])
        let got = Self.spans(Array(text.utf8), at: [0, 1, 2, 5])
        let utf8 = Array(text.utf8)
        #expect(got.map { String(decoding: utf8[$0.0..<$0.1], as: UTF8.self) } == ["một", long, "hai", "ba"])
    }

    /// Marks are stored data: one past the text or behind the walk is not followed, positions past
    /// the text are not reported, and nothing is read out of bounds.
    @Test func damagedMarksAndPositionsAreSafe() {
        let text = Array("a b c d e f g h".utf8)
        #expect(Self.spans(text, at: [2, 6], marks: [999, 4], interval: 2).map(\.0) == [4, 12])
        // Marks that point at the wrong bytes give wrong tokens, but tokens of the text.
        let wrong = Self.spans(text, at: [1, 3, 6], marks: [2, 2, 1], interval: 2)
        #expect(!wrong.isEmpty && wrong.allSatisfy { $0.0 < $0.1 && $0.1 <= text.count })
        #expect(Self.spans(text, at: [7, 8, 40]).map(\.0) == [14])
        #expect(Self.spans([], at: [0]).isEmpty)
    }
}
