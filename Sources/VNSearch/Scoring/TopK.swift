import CVNRank

/// The best `k` of a stream of candidates by score, ties to the lower (segment, document): kept
/// candidates are appended to a buffer, and when it holds 2k they are cut to the best k by a
/// selection (a partition, no order), whose k-th score then turns lower candidates away at one
/// comparison. A heap spent a sift of its depth on every candidate that entered, most of them
/// soon replaced; a segment's few hundred chosen candidates now cost one partition.
struct TopK {
    private var kept: [Searcher.Candidate] = []
    let k: Int
    /// Candidates seen, kept or not.
    private(set) var count = 0
    /// The k-th best score after the last cut: a candidate below it cannot be among the best.
    private var floor = -Float.infinity

    init(_ k: Int) { self.k = max(0, k) }

    /// a ranks below b: a lower tier (relaxed matching's count of matched groups; 0 elsewhere),
    /// else a lower score.
    @inline(__always)
    static func worse(_ a: Searcher.Candidate, _ b: Searcher.Candidate) -> Bool {
        if a.tier != b.tier { return a.tier < b.tier }
        if a.score != b.score { return a.score < b.score }
        if a.segment != b.segment { return a.segment > b.segment }
        return a.doc > b.doc
    }

    @inline(__always)
    mutating func push(_ x: Searcher.Candidate) {
        count += 1
        guard k > 0, x.score >= floor else { return }
        kept.append(x)
        if kept.count - k >= k { cut() }  // 2k, without overflow for a page at the end of Int
    }

    /// Keeps the best k and raises the floor to the k-th's score.
    private mutating func cut() {
        let k = k
        floor = kept.withUnsafeMutableBufferPointer { Self.select($0, k) }
        kept.removeLast(kept.count - k)
    }

    /// Partitions `a` (more than k candidates) so that its first k are the best (in no order) and
    /// returns the k-th best's score: Hoare's selection, the pivot the median of three.
    static func select(_ a: UnsafeMutableBufferPointer<Searcher.Candidate>, _ k: Int) -> Float {
        let target = k - 1
        var lo = 0, hi = a.count - 1
        while hi - lo > 16 {
            let mid = lo + (hi - lo) / 2
            // The median of three at mid (better first): sorted data keeps partitions even.
            if worse(a[lo], a[mid]) { a.swapAt(lo, mid) }
            if worse(a[mid], a[hi]) { a.swapAt(mid, hi) }
            if worse(a[lo], a[mid]) { a.swapAt(lo, mid) }
            let pivot = a[mid]
            var i = lo - 1, j = hi + 1
            while true {
                repeat { i += 1 } while worse(pivot, a[i])
                repeat { j -= 1 } while worse(a[j], pivot)
                if i >= j { break }
                a.swapAt(i, j)
            }
            // a[lo...j] are no worse than a[j+1...hi].
            if target <= j { hi = j } else { lo = j + 1 }
        }
        // A short stretch left: sorted, better first.
        if hi > lo {
            for i in (lo + 1)...hi {
                let x = a[i]
                var j = i
                while j > lo && worse(a[j - 1], x) { a[j] = a[j - 1]; j -= 1 }
                a[j] = x
            }
        }
        return a[target].score
    }

    /// Pushes a segment's candidates (document i scoring scores[i]; `best`, their best score, when
    /// known). With many more than k, a histogram of the scores (1,024 buckets up to the best)
    /// finds the bucket holding the k-th best first, and only candidates from that bucket up are
    /// kept: one vectorised pass instead of a comparison and an append for each of thousands.
    mutating func push(segment: Int, docs: UnsafeBufferPointer<Int32>, scores: UnsafeBufferPointer<Float>, best known: Float? = nil) {
        let n = min(docs.count, scores.count)
        let best: Float = k > 0 && n / 4 > k ? known ?? cvnrank_max(scores.baseAddress, n) : 0
        pushSelected(scores, n, best: best) { Searcher.Candidate(segment: segment, doc: docs[$0], score: scores[$0]) }
    }

    /// Pushes candidates of any segments (the segments' pools, to choose the re-ranked pool): with
    /// more than twice k, through the same histogram as a segment's.
    mutating func push(_ c: [Searcher.Candidate]) {
        let scores = c.map(\.score)
        scores.withUnsafeBufferPointer { scores in
            let best: Float = k > 0 && c.count > 2 * k ? cvnrank_max(scores.baseAddress, scores.count) : 0
            pushSelected(scores, scores.count, best: best) { c[$0] }
        }
    }

    /// Pushes candidates ranked by tier first (relaxed matching: documents matching more of the
    /// query's groups), then score: the tiers above the one holding the k-th best are kept whole,
    /// that tier's candidates go through the score path, lower tiers are only counted. Once per
    /// TopK, before any other push (the floor is then that tier's).
    mutating func push(tiered c: [Searcher.Candidate]) {
        var perTier = [Int](repeating: 0, count: 256)
        for x in c { perTier[Int(x.tier)] += 1 }
        var boundary = 255, above = 0
        while boundary > 0 && above + perTier[boundary] < k { above += perTier[boundary]; boundary -= 1 }
        kept.reserveCapacity(above)
        for x in c where x.tier > boundary { kept.append(x) }
        count += c.count - perTier[boundary]  // the boundary tier's are counted as pushed
        push(c.filter { $0.tier == boundary })
    }

    /// Pushes candidate(i) for every i < n whose score (scores[i]) is in the k-th best's bucket or
    /// above, or every candidate when `best` (the best score) is not positive and finite.
    @inline(__always)
    private mutating func pushSelected(_ scores: UnsafeBufferPointer<Float>, _ n: Int, best: Float,
                                       _ candidate: (Int) -> Searcher.Candidate) {
        guard best > 0 && best.isFinite else {
            for i in 0..<n { push(candidate(i)) }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: n) { chosen in
            let m = cvnrank_select(scores.baseAddress, n, Float(1023) / best, k, chosen.baseAddress)
            if k > 0 { kept.reserveCapacity(kept.count + min(m, k)) }  // grown once, not by doubling
            for j in 0..<m { push(candidate(Int(chosen[j]))) }
            count += n - m  // every candidate is counted, pushed or not
        }
    }

    /// The best k among fewer than 2k others, in no particular order: for a caller that selects
    /// again from several of these (the segments' pools), the cut here would be work done twice.
    var bestAmongOthers: [Searcher.Candidate] { kept }

    /// The best k (fewer if fewer were pushed), in no particular order.
    var best: [Searcher.Candidate] {
        guard kept.count > k else { return kept }
        var best = kept
        _ = best.withUnsafeMutableBufferPointer { Self.select($0, k) }
        return Array(best.prefix(k))
    }
}
