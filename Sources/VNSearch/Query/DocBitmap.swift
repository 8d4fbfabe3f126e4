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

    @inline(__always)
    func contains(_ d: Int32) -> Bool { words[Int(d) &>> 6] & (1 &<< UInt64(d & 63)) != 0 }
}
