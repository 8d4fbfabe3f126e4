import Foundation
import Testing
@testable import VNIndex
@testable import VNSearch

/// The phrase filter (C, `CVNPhrase`) against the texts themselves, on segments written with and
/// without position checkpoints: the words are from a small vocabulary, so each is in most documents
/// several times, and the filter walks, skips and jumps as it does on a real corpus.
@Suite("Phrase filter")
struct PhraseFilterTests {
    /// Common words w0…w5 and a rare one, r (about one word in three hundred); the last documents
    /// hold each phrase of `phrases` once, so that none has no document however the dice fall.
    static let texts: [String] = {
        var rng = SystemRandomNumberGenerator()
        let random = (0..<1200).map { _ in
            (0..<Int.random(in: 1...50, using: &rng)).map { _ in
                Int.random(in: 0..<300, using: &rng) == 0 ? "r" : "w\(Int.random(in: 0..<6, using: &rng))"
            }.joined(separator: " ")
        }
        return random + phrases.map { phrase in phrase.map { $0.last! }.joined(separator: " ") }
    }()

    /// The texts in one segment (a word's key: the word, 0x00, "0"); with checkpoints, one every
    /// 16 bytes of positions on any term of 64 bytes or more.
    static func segment(checkpoints: Bool) throws -> SegmentReader {
        let w = SegmentWriter()
        for (i, text) in texts.enumerated() {
            let words = text.split(separator: " ")
            for (p, word) in words.enumerated() {
                (Array(word.utf8) + [0, 0x30]).withUnsafeBufferPointer { w.addToken($0, position: p) }
            }
            w.endDocument(tokenCount: words.count, titleTokenCount: 0, kind: 1, flags: 0, date: 0,
                          info: DocInfo(id: "d\(i).txt", title: nil, number: nil, encoding: "utf-8", notes: [],
                                        contentHash: UInt64(i), fileSize: text.utf8.count, modified: 0),
                          text: text)
        }
        let path = NSTemporaryDirectory() + "phrase-filter-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).seg"
        try w.flush(to: path, checkpoints: checkpoints ? PositionCheckpoints.Builder(minimumBytes: 64, stretchBytes: 16)
                                                       : PositionCheckpoints.Builder())
        defer { unlink(path) }
        return try SegmentReader(path: path)
    }

    /// A query term matching any of `words` (as a folded syllable matches its variants).
    static func term(_ words: [String], in segment: SegmentReader) throws -> ResolvedTerm {
        var term = ResolvedTerm()
        var union: [Int32: Int32] = [:]
        for word in words {
            guard let info = try segment.lookup(Array(word.utf8) + [0, 0x30]) else { continue }
            var docs: [Int32] = [], freqs: [Int32] = []
            try segment.postings(info, docs: &docs, freqs: &freqs)
            term.variants.append(.init(info: info, docs: docs, freqs: freqs))
            for (d, f) in zip(docs, freqs) { union[d, default: 0] += f }
        }
        term.docs = union.keys.sorted()
        term.freqs = term.docs.map { union[$0]! }
        return term
    }

    /// Documents whose text has a word of `phrase[0]`, then one of `phrase[1]`, … one after another.
    static func expected(_ phrase: [[String]]) -> [Int32] {
        texts.indices.filter { i in
            let words = texts[i].split(separator: " ").map(String.init)
            return words.indices.contains { s in
                s + phrase.count <= words.count && phrase.indices.allSatisfy { phrase[$0].contains(words[s + $0]) }
            }
        }.map { Int32($0) }
    }

    static let phrases: [[[String]]] = [
        [["w1"], ["w2"]], [["w3"], ["w3"]], [["w1"], ["w2"], ["w3"]], [["w0"], ["w1"], ["w2"], ["w3"]],
        [["w1", "r"], ["w2"]], [["w4"], ["r", "w5"]], [["r"], ["w0"]], [["w2"], ["r"], ["w2"]],
    ]

    /// The documents holding every term, narrowed to those where the phrase stands, are exactly
    /// those whose text holds it — with one variant a term or several (a rare one among them).
    @Test(arguments: [false, true])
    func documentsAreThoseWhoseTextHoldsThePhrase(checkpoints: Bool) throws {
        let segment = try Self.segment(checkpoints: checkpoints)
        for phrase in Self.phrases {
            let terms = try phrase.map { try Self.term($0, in: segment) }
            let common = terms.dropFirst().reduce(terms[0].docs) { Searcher.intersect($0, $1.docs) }
            let got = try PhraseFilter.documents(common, terms: terms, marks: PhraseMarks(capacity: 4), in: segment)
            let want = Self.expected(phrase)
            #expect(got == want, "\(phrase)")
            #expect(!want.isEmpty && want.count < common.count, "\(phrase): the filter should drop some documents")
        }
    }

    /// A document whose positions run past its length (a damaged segment) is never grown towards:
    /// the phrase's first term there is reported as corruption, a later term matches nothing —
    /// with one variant a term or several.
    @Test func positionsPastTheDocumentAreCorruption() throws {
        let w = SegmentWriter()
        for (d, positions) in [[0, 1], [1_000_000, 1_000_001], [2, Int(Int32.max) - 1]].enumerated() {
            for (word, p) in zip(["w1", "w2"], positions) {
                (Array(word.utf8) + [0, 0x30]).withUnsafeBufferPointer { w.addToken($0, position: p) }
            }
            (Array("r".utf8) + [0, 0x30]).withUnsafeBufferPointer { w.addToken($0, position: 0) }
            w.endDocument(tokenCount: 3, titleTokenCount: 0, kind: 1, flags: 0, date: 0,
                          info: DocInfo(id: "d\(d).txt", title: nil, number: nil, encoding: "utf-8", notes: [],
                                        contentHash: UInt64(d), fileSize: 5, modified: 0),
                          text: "w1 w2 r")
        }
        let path = NSTemporaryDirectory() + "phrase-damage-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).seg"
        try w.flush(to: path, checkpoints: PositionCheckpoints.Builder())
        defer { unlink(path) }
        let segment = try SegmentReader(path: path)
        for first in [["w1"], ["w1", "r"]] {
            let terms = try [first, ["w2"]].map { try Self.term($0, in: segment) }
            let marks = PhraseMarks(capacity: 4)
            #expect(try PhraseFilter.documents([0, 2], terms: terms, marks: marks, in: segment) == [0])
            #expect(throws: IndexError.self) { try PhraseFilter.documents([0, 1], terms: terms, marks: marks, in: segment) }
            #expect(marks.raw.capacity == 4)
        }
    }

    /// Positions read for ascending documents a few or many apart (the filter's skips, and with
    /// checkpoints its jumps) are the words' places in the text.
    @Test(arguments: [false, true])
    func positionsReadAtAnyGapAreTheWordsPlaces(checkpoints: Bool) throws {
        let segment = try Self.segment(checkpoints: checkpoints)
        var rng = SystemRandomNumberGenerator()
        for words in [["w0"], ["w5"], ["r"], ["w2", "r"]] {
            let term = try Self.term(words, in: segment)
            for gap in [1, 3, 40, 400] {
                let stream = TermPositions(term, in: segment)
                var d = Int.random(in: 0..<gap, using: &rng)
                while d < Self.texts.count {
                    let text = Self.texts[d].split(separator: " ").map(String.init)
                    let want = text.indices.filter { words.contains(text[$0]) }.map { Int32($0) }
                    #expect(try stream.unsortedPositions(of: Int32(d)).sorted() == want, "\(words) document \(d)")
                    d += Int.random(in: 1...gap, using: &rng)
                }
            }
        }
    }
}
