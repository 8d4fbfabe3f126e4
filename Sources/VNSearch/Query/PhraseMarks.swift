import VNIndex

/// Phrase matching over position lists in any order: `mark[q]` counts the leading phrase terms found
/// at q, q + 1, … in the document being checked. A term's positions come variant after variant
/// ("co" reads có, cơ, cô … one after another), so matching this way needs no merge and no sort;
/// marks are stamped with a per-document base, so nothing is cleared between documents.
/// Positions within one term's lists must be distinct, as they are: one token holds one position.
final class PhraseMarks {
    private var mark: UnsafeMutablePointer<UInt32>
    private var capacity: Int
    private var base: UInt32 = 0
    private var top: UInt32 = 0

    init(capacity: Int = 4096) {
        self.capacity = capacity
        mark = .allocate(capacity: capacity)
        mark.initialize(repeating: 0, count: capacity)
    }

    deinit { mark.deallocate() }

    /// Starts a document for a phrase of `terms` terms.
    @inline(__always)
    func begin(terms: Int) {
        let n = UInt32(truncatingIfNeeded: max(1, terms))
        if top > UInt32.max - n {
            mark.update(repeating: 0, count: capacity)
            top = 0
        }
        base = top
        top = base + n
    }

    /// The first term's positions.
    @inline(__always)
    func first(_ positions: UnsafeBufferPointer<Int32>) {
        let one = base + 1
        for p in positions where p >= 0 {
            if Int(p) >= capacity { grow(Int(p)) }
            mark[Int(p)] = one
        }
    }

    /// Term `k`'s positions (k ≥ 1): returns how many extend a match of terms 0..<k, so after the
    /// last term it is the number of places the whole phrase occurs.
    @inline(__always)
    func next(_ positions: UnsafeBufferPointer<Int32>, term k: Int) -> Int {
        let want = base + UInt32(truncatingIfNeeded: k), now = want + 1
        var n = 0
        for p in positions {
            let q = Int(p) - k
            if q >= 0 && q < capacity && mark[q] == want { mark[q] = now; n += 1 }
        }
        return n
    }

    private func grow(_ position: Int) {
        let c = RawMemory.doubled(capacity, toHold: position + 1)
        mark = RawMemory.reallocate(mark, used: capacity, capacity: c)
        (mark + capacity).initialize(repeating: 0, count: c - capacity)
        capacity = c
    }

    /// How many times a position of `a` is followed by one of `b` (a two-term phrase).
    func count(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>) -> Int {
        begin(terms: 2)
        first(a)
        return next(b, term: 1)
    }

    /// How many times `lists` (one per phrase term, each in any order) occur one after another.
    func count(_ lists: [UnsafeBufferPointer<Int32>]) -> Int {
        guard let head = lists.first else { return 0 }
        begin(terms: lists.count)
        first(head)
        if lists.count == 1 { return head.count }
        var n = 0
        for k in 1..<lists.count {
            n = next(lists[k], term: k)
            if n == 0 { return 0 }
        }
        return n
    }
}
