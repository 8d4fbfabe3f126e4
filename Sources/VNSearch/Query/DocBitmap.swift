/// A set of a segment's document ordinals as bits (69,247 documents: 8.7 KB, held in the first-level
/// cache), reused across queries.
final class DocBitmap {
    let documents: Int
    private let words: UnsafeMutablePointer<UInt64>
    private let wordCount: Int

    init(documents: Int) {
        self.documents = documents
        wordCount = max(1, (documents + 63) / 64)
        words = .allocate(capacity: wordCount)
        words.initialize(repeating: 0, count: wordCount)
    }

    deinit { words.deallocate() }

    func clear() { words.update(repeating: 0, count: wordCount) }

    /// Ordinals below `documents` (those postings lists yield).
    @inline(__always)
    func insert(_ docs: UnsafeBufferPointer<Int32>) {
        for i in 0..<docs.count { let d = docs[i]; words[Int(d) &>> 6] |= 1 &<< UInt64(d & 63) }
    }

    /// `insert` into a cleared bitmap, for ascending ordinals: each word's bits are gathered in a
    /// register and the word written whole, where OR-ing into memory made every document wait for
    /// the store before it (a common word's documents share words).
    @inline(__always)
    func insertIntoCleared(_ docs: UnsafeBufferPointer<Int32>) {
        var word = -1, bits: UInt64 = 0
        for i in 0..<docs.count {
            let d = docs[i], w = Int(d) &>> 6
            bits = (w == word ? bits : 0) | 1 &<< UInt64(d & 63)
            words[w] = bits
            word = w
        }
    }

    @inline(__always)
    func contains(_ d: Int32) -> Bool { words[Int(d) &>> 6] & (1 &<< UInt64(d & 63)) != 0 }
}
