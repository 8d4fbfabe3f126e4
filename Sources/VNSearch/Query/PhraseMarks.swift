internal import CVNPhrase

/// Phrase matching over position lists in any order: a mark per position counts the leading phrase
/// terms found at q, q + 1, … in the document being checked. A term's positions come variant after
/// variant ("co" reads có, cơ, cô … one after another), so matching this way needs no merge and no
/// sort; marks are stamped with a per-document base, so nothing is cleared between documents.
/// Positions within one term's lists must be distinct, as they are: one token holds one position.
/// The marks live in C (`cvnphrase_marks`), where the phrase filter walks whole segments.
final class PhraseMarks {
    var raw = cvnphrase_marks()

    init(capacity: Int = 4096) {
        if cvnphrase_marks_init(&raw, Int64(capacity)) != 0 { fatalError("out of memory for phrase marks") }
    }

    deinit { cvnphrase_marks_free(&raw) }

    /// Starts a document for a phrase of `terms` terms.
    @inline(__always)
    func begin(terms: Int) { cvnphrase_marks_begin(&raw, Int32(truncatingIfNeeded: terms)) }

    /// A position at or past its document's length, met where the marks would have to grow to it:
    /// the index is damaged (the marks never grow past a document).
    struct PositionPastEnd: Error {}

    /// The first term's positions, in a document of `length` tokens.
    @inline(__always)
    func first(_ positions: UnsafeBufferPointer<Int32>, length: Int) throws(PositionPastEnd) {
        let status = cvnphrase_marks_first(&raw, positions.baseAddress, Int64(positions.count), Int64(length))
        if status == CVNPHRASE_DAMAGED { throw PositionPastEnd() }
        if status != 0 { fatalError("out of memory for phrase marks") }
    }

    /// Term `k`'s positions (k ≥ 1): returns how many extend a match of terms 0..<k, so after the
    /// last term it is the number of places the whole phrase occurs.
    @inline(__always)
    func next(_ positions: UnsafeBufferPointer<Int32>, term k: Int) -> Int {
        Int(cvnphrase_marks_next(&raw, positions.baseAddress, Int64(positions.count), Int32(truncatingIfNeeded: k)))
    }

    /// How many times a position of `a` is followed by one of `b` (a two-term phrase) in a
    /// document of `length` tokens.
    func count(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>, length: Int) throws(PositionPastEnd) -> Int {
        begin(terms: 2)
        try first(a, length: length)
        return next(b, term: 1)
    }

    /// How many times `lists` (one per phrase term, each in any order) occur one after another in
    /// a document of `length` tokens.
    func count(_ lists: [UnsafeBufferPointer<Int32>], length: Int) throws(PositionPastEnd) -> Int {
        guard let head = lists.first else { return 0 }
        begin(terms: lists.count)
        try first(head, length: length)
        if lists.count == 1 { return head.count }
        var n = 0
        for k in 1..<lists.count {
            n = next(lists[k], term: k)
            if n == 0 { return 0 }
        }
        return n
    }
}
