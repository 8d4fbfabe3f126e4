import CVNRank
import Testing
@testable import VNSearch

@Suite("Scoring kernels in C")
struct RankKernelTests {
    /// A document table as segments store it: 12-byte rows, u32 body tokens, u16 title tokens.
    static func table(_ rows: [(tokens: UInt32, title: UInt16)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for r in rows {
            withUnsafeBytes(of: r.tokens.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: r.title.littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: [UInt8](repeating: 0xEE, count: 6))  // kind, date: not read
        }
        return bytes
    }

    /// A common word's list scored with the norms table (the one-word path for words in an eighth
    /// of the documents or more) gives exactly the bits of the per-document formula in Swift
    /// (`RankingParameters`) and of the kernel reading the document table — for body-only
    /// documents, documents with title occurrences, empty documents, and any list length (the
    /// vectorised loop's tail).
    @Test func normsTableScoresAsTheFormulaDoes() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let documents = Int.random(in: 1...400, using: &rng)
            let rows = (0..<documents).map { _ in
                (tokens: UInt32.random(in: 0...(Bool.random(using: &rng) ? 30 : 40_000), using: &rng),
                 title: UInt16.random(in: 0...25, using: &rng))
            }
            let bytes = Self.table(rows)
            var params = RankingParameters()
            if round % 3 == 1 { params.k1 = Float.random(in: 0.5...2, using: &rng); params.b = Float.random(in: 0...1, using: &rng) }
            if round % 3 == 2 { params.titleWeight = Float.random(in: 0...4, using: &rng) }
            let average = Float.random(in: 1...3_000, using: &rng), weight = Float.random(in: 0.1...9, using: &rng)
            let docs = (0..<Int32(documents)).filter { _ in Int.random(in: 0..<3, using: &rng) > 0 }
            let tfs = docs.map { _ in Int32.random(in: 1...(Bool.random(using: &rng) ? 3 : 500), using: &rng) }
            let titleDocs = docs.filter { _ in Int.random(in: 0..<4, using: &rng) == 0 }
            let titleTFs = titleDocs.map { _ in Int32.random(in: 1...4, using: &rng) }

            var expected: [Float] = []
            for (i, d) in docs.enumerated() {
                var tf = Float(tfs[i])
                if let j = titleDocs.firstIndex(of: d) { tf += params.titleWeight * Float(titleTFs[j]) }
                let length = Float(rows[Int(d)].tokens) + params.titleWeight * Float(rows[Int(d)].title)
                expected.append(weight * params.saturate(tf, length: length, average: average))
            }
            var norms = [Float](repeating: -1, count: documents)
            cvnrank_norms(bytes, documents, params.titleWeight, params.k1, params.b, average, &norms)
            for d in 0..<documents {
                let length = Float(rows[d].tokens) + params.titleWeight * Float(rows[d].title)
                #expect(norms[d].bitPattern == params.lengthNorm(length, average: average).bitPattern)
            }
            var viaTable = [Float](repeating: -1, count: docs.count), viaRows = viaTable
            var slots = [Float](repeating: 0, count: documents)
            let best = cvnrank_bm25_norms(docs, tfs, docs.count, titleDocs, titleTFs, titleDocs.count, norms, &slots,
                                          params.titleWeight, params.k1, weight, &viaTable)
            #expect(slots.allSatisfy { $0.bitPattern == 0 }, "the slots are left as they were found")
            let bestRows = cvnrank_bm25_list(docs, tfs, docs.count, titleDocs, titleTFs, titleDocs.count, bytes,
                                             params.titleWeight, params.k1, params.b, average, weight, &viaRows)
            #expect(viaTable.map(\.bitPattern) == expected.map(\.bitPattern))
            #expect(viaRows.map(\.bitPattern) == expected.map(\.bitPattern))
            #expect(best.bitPattern == (expected.max() ?? 0).bitPattern)
            #expect(bestRows.bitPattern == best.bitPattern)
        }
    }

    /// The scores reaching a floor are the indices a plain filter finds, in order, with the
    /// vectorised packing and the portable loop alike — for any length (the eight-wide loop's
    /// tail), none passing, all passing, scores on the floor exactly, and NaN (never passes).
    @Test func scoresAtLeastAFloorAreTheFiltersIndices() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<500 {
            let n = Int.random(in: 0...300, using: &rng)
            var scores = (0..<n).map { _ in Float(Int.random(in: 0...40, using: &rng)) / 4 }
            if round % 5 == 0, n > 0 { scores[Int.random(in: 0..<n, using: &rng)] = .nan }
            let scale = Float([1, 0.5, 3][round % 3])
            let floor = Float(Int.random(in: -1...32, using: &rng))
            let expected = scores.indices.filter { scores[$0] * scale >= floor }.map(UInt32.init)
            for portable in [Int32(0), 1] {
                var chosen = [UInt32](repeating: .max, count: max(1, n))
                let m = cvnrank_at_least(scores, n, scale, floor, &chosen, portable)
                #expect(Array(chosen.prefix(m)) == expected, "n \(n), floor \(floor), portable \(portable)")
            }
        }
    }

    /// A term's BM25F added to candidates through the frequency slots is the Swift formula's bits
    /// where the slot holds a frequency, and nothing (not even a NaN from a zero norm) where it is 0.
    @Test func gatheredFrequenciesScoreAsTheFormulaDoes() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let documents = Int.random(in: 1...300, using: &rng)
            let slots = (0..<documents).map { _ in Bool.random(using: &rng) ? 0 : Float(Int.random(in: 1...40, using: &rng)) / 2 }
            let candidates = (0..<Int32(documents)).filter { _ in Bool.random(using: &rng) }
            var params = RankingParameters()
            if round % 2 == 1 { params.k1 = Float.random(in: 0...2, using: &rng); params.b = Float.random(in: 0...1, using: &rng) }
            let norms = candidates.map { _ in Int.random(in: 0..<8, using: &rng) == 0 ? 0 : Float.random(in: 0...3, using: &rng) }
            let weight = Float.random(in: 0.1...9, using: &rng)
            let before = candidates.map { _ in Float(Int.random(in: 0...20, using: &rng)) / 3 }
            var got = before
            cvnrank_bm25_gather(candidates, candidates.count, slots, norms, params.k1, weight, &got)
            let expected = candidates.indices.map { k in
                let tf = slots[Int(candidates[k])]
                return tf == 0 ? before[k] : before[k] + weight * params.saturate(tf, norm: norms[k])
            }
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern))
        }
    }

    /// The non-zero sums are collected with their ordinals, ascending, and every sum is left 0 —
    /// vectorised and portable alike, for any length (the eight-wide loop's tail), none or all set.
    @Test func nonZeroSumsAreCollectedAndCleared() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let n = Int.random(in: 0...200, using: &rng)
            let density = [0.0, 0.05, 0.5, 1.0][round % 4]
            let sums = (0..<n).map { _ in Double.random(in: 0..<1, using: &rng) < density ? Int32.random(in: 1...9, using: &rng) : 0 }
            let expected = sums.indices.filter { sums[$0] != 0 }
            for portable in [Int32(0), 1] {
                var scratch = sums
                var docs = [Int32](repeating: -1, count: max(1, n)), freqs = [Int32](repeating: -1, count: max(1, n))
                let m = cvnrank_collect_nonzero(&scratch, n, &docs, &freqs, portable)
                #expect(Array(docs.prefix(m)) == expected.map(Int32.init), "n \(n), portable \(portable)")
                #expect(Array(freqs.prefix(m)) == expected.map { sums[$0] })
                #expect(scratch.allSatisfy { $0 == 0 })
            }
        }
    }
}
