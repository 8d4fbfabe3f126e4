import CVNRank

/// The best `k` of a stream of candidates by score, ties to the lower (segment, document), with
/// a bounded min-heap whose root is the worst kept: most candidates of a common word score below
/// it and cost one comparison, and the stream is never stored.
struct TopK {
    private var heap: [Searcher.Candidate] = []
    let k: Int
    /// Candidates seen, kept or not.
    private(set) var count = 0
    private var floor = -Float.infinity

    init(_ k: Int) { self.k = max(0, k) }

    /// a ranks below b.
    @inline(__always)
    static func worse(_ a: Searcher.Candidate, _ b: Searcher.Candidate) -> Bool {
        if a.score != b.score { return a.score < b.score }
        if a.segment != b.segment { return a.segment > b.segment }
        return a.doc > b.doc
    }

    @inline(__always)
    mutating func push(_ x: Searcher.Candidate) {
        count += 1
        if heap.count < k {
            heap.append(x)
            if heap.count == k { heapify() }
            return
        }
        guard k > 0, x.score >= floor, Self.worse(heap[0], x) else { return }
        heap.withUnsafeMutableBufferPointer { h in
            h[0] = x
            Self.siftDown(h, 0)
            floor = h[0].score
        }
    }

    private mutating func heapify() {
        heap.withUnsafeMutableBufferPointer { h in
            for i in stride(from: h.count / 2 - 1, through: 0, by: -1) { Self.siftDown(h, i) }
            floor = h[0].score
        }
    }

    private static func siftDown(_ h: UnsafeMutableBufferPointer<Searcher.Candidate>, _ i0: Int) {
        var i = i0
        let n = h.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n && worse(h[l], h[m]) { m = l }
            if r < n && worse(h[r], h[m]) { m = r }
            if m == i { return }
            h.swapAt(i, m); i = m
        }
    }

    /// Pushes a segment's candidates (document i scoring scores[i]; `best`, their best score, when
    /// known). With many more than k, a histogram of the scores (1,024 buckets up to the best)
    /// finds the bucket holding the k-th best first, and only candidates from that bucket up reach
    /// the heap: a pool of 200 among a few thousand documents would otherwise replace the heap's
    /// root thousands of times.
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
            for j in 0..<m { push(candidate(Int(chosen[j]))) }
            count += n - m  // every candidate is counted, pushed or not
        }
    }

    var best: [Searcher.Candidate] { heap }
}
