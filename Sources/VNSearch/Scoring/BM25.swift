import VNIndex
/// BM25F scoring parameters and formulas (see docs/RANKING.md).
public struct RankingParameters: Sendable {
    /// Term-frequency saturation.
    public var k1: Float = 1.2
    /// Length normalization.
    public var b: Float = 0.75
    /// A title occurrence counts as this many body occurrences (BM25F).
    public var titleWeight: Float = 2.0
    /// Weight of adjacent query-syllable pairs found adjacent in the document (bigrams).
    public var pairWeight: Float = 1.0
    /// Documents re-ranked with proximity after the BM25 pass.
    public var rerankDepth = 200

    public init() {}

    /// Inverse document frequency, Lucene's non-negative form.
    @inline(__always)
    public static func idf(docFreq: Int, documents: Int) -> Float {
        let n = Float(max(documents, docFreq)), df = Float(docFreq)
        return logf(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// Saturated, length-normalized frequency: tf·(k1+1) / (tf + k1·(1 − b + b·len/avg)).
    @inline(__always)
    public func saturate(_ tf: Float, length: Float, average: Float) -> Float {
        saturate(tf, norm: lengthNorm(length, average: average))
    }

    /// The document's part of `saturate`, k1·(1 − b + b·len/avg): the same for every term, so a
    /// query computes it once per document.
    @inline(__always)
    public func lengthNorm(_ length: Float, average: Float) -> Float {
        k1 * (1 - b + b * length / average)
    }

    @inline(__always)
    public func saturate(_ tf: Float, norm: Float) -> Float {
        tf * (k1 + 1) / (tf + norm)
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension RankingParameters {
    /// Document d's `lengthNorm` for BM25F: its body tokens plus its weighted title tokens (the
    /// average counts the weighted title too). `cvnrank_norms` computes the same, for every document.
    @inline(__always)
    func lengthNorm(of d: Int, in table: SegmentReader.DocTable, average: Float) -> Float {
        lengthNorm(Float(table.tokenCount(d)) + titleWeight * Float(table.titleTokenCount(d)), average: average)
    }
}
