import CVNRank
import VNAnalysis
import VNIndex
import VNIngest
#if canImport(Glibc)
import Glibc
#endif

public enum MatchMode: String, Sendable, CaseIterable { case all, any }

/// What to search for besides the query text.
public struct SearchOptions: Sendable {
    public var match: MatchMode = .all
    public var kind: DocumentKind?
    public var since: DocumentDate?
    public var until: DocumentDate?
    public var limit = 10
    public var offset = 0
    /// Build snippets for the returned hits.
    public var snippets = true
    /// Threads one query may use: segments are matched, and hits built, on two when above 1.
    public var threads = 2
    /// Indexes smaller than this are matched on one thread (the hand-over would cost more).
    public var parallelMinimumDocuments = 10_000
    public var ranking = RankingParameters()

    public init() {}
}

/// One ranked document.
public struct SearchHit: Sendable {
    public var id: String
    public var title: String?
    public var kind: DocumentKind
    public var date: DocumentDate?
    public var number: String?
    public var score: Double
    public var snippets: [Snippet]
}

public struct SearchResult: Sendable {
    public var query: String
    /// All matching documents, not only this page.
    public var total: Int
    /// No document held every term: these are the best partial matches.
    public var relaxed: Bool
    public var tookMs: Double
    public var hits: [SearchHit]
}

/// Answers queries over one index snapshot. Not thread-safe (one analyzer, scratch buffers).
public final class Searcher {
    public let reader: IndexReader
    /// Groups `--match all` can require (one bit each in a 64-bit mask; bit 63 marks exclusions).
    static let maxGroupsAll = 62

    let analyzer = Analyzer()
    /// One per thread that builds hits (records are decompressed and snippets analysed on two).
    private let hitBuilders = [HitBuilder(), HitBuilder()]
    /// The second thread of a query's steps.
    private let twoThreads: TwoThreads
    /// Scratch memory of each segment, used only by the thread working on that segment.
    private let segmentState: [SegmentState]

    /// What matching in one segment reuses across queries, made when first needed.
    final class SegmentState: @unchecked Sendable {
        let documents: Int
        init(documents: Int) { self.documents = documents }
        private var _scratch: Scratch?
        private var _bitmap: DocBitmap?
        private(set) lazy var marks = PhraseMarks()
        private(set) lazy var unionScratch = UnionScratch(documents: documents)
        /// Analyses titles checked for a phrase on the segment's thread.
        private(set) lazy var analyzer = Analyzer()
        private var slots: UnsafeMutablePointer<Float>?
        /// One Float per document, zero between uses (scoring AND queries; a word's title frequencies).
        var frequencySlots: UnsafeMutablePointer<Float> {
            if let p = slots { return p }
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, documents))
            p.initialize(repeating: 0, count: max(1, documents))
            slots = p
            return p
        }
        deinit { slots?.deallocate(); normTable?.deallocate() }
        private var normTable: UnsafeMutablePointer<Float>?
        private var normKey: [Float] = []
        /// Each document's BM25F length norm (`RankingParameters.lengthNorm`) for these
        /// parameters, computed once: a common word's postings then read one float a document.
        func norms(_ table: SegmentReader.DocTable, _ params: RankingParameters, average: Float) -> UnsafePointer<Float> {
            let key = [params.k1, params.b, params.titleWeight, average]
            if let t = normTable, key == normKey { return UnsafePointer(t) }
            let t = normTable ?? .allocate(capacity: max(1, documents))
            cvnrank_norms(table.base.assumingMemoryBound(to: UInt8.self), documents, params.titleWeight, params.k1, params.b, average, t)
            normTable = t; normKey = key
            return UnsafePointer(t)
        }
        private var deletedDocuments: [Int32]?
        /// The segment's deleted documents, ascending (listed once: a reader's deletions do not change).
        func deleted(_ set: DeletionSet?) -> [Int32] {
            if let known = deletedDocuments { return known }
            let list = set?.members ?? []
            deletedDocuments = list
            return list
        }
        private var everyDocumentHas: [UInt8: Bool] = [:]
        /// Whether every document of the segment has `flag` in its flags (read once per flag).
        func everyDocument(has flag: UInt8, _ table: SegmentReader.DocTable) -> Bool {
            if let known = everyDocumentHas[flag] { return known }
            var all = true
            for d in 0..<documents where table.flags(d) & flag == 0 { all = false; break }
            everyDocumentHas[flag] = all
            return all
        }
        var scratch: Scratch {
            if let s = _scratch { return s }
            let s = Scratch(documents); _scratch = s; return s
        }
        /// The segment's bitmap, cleared.
        var clearedBitmap: DocBitmap {
            let b = _bitmap ?? DocBitmap(documents: documents)
            _bitmap = b
            b.clear()
            return b
        }
    }

    /// Per-segment accumulators: group bitmask, score and title frequency per document, in raw
    /// memory reused across queries (the marking and scoring loops run once per posting, where
    /// Swift arrays would add a uniqueness and a bounds check each); only `touched` entries are
    /// visited and reset.
    final class Scratch {
        let count: Int
        let mask: UnsafeMutablePointer<UInt64>
        let score: UnsafeMutablePointer<Float>
        let titleTF: UnsafeMutablePointer<Int32>
        let touched: UnsafeMutablePointer<Int32>
        var touchedCount = 0

        init(_ n: Int) {
            count = n
            mask = .allocate(capacity: max(1, n)); mask.initialize(repeating: 0, count: max(1, n))
            score = .allocate(capacity: max(1, n)); score.initialize(repeating: 0, count: max(1, n))
            titleTF = .allocate(capacity: max(1, n)); titleTF.initialize(repeating: 0, count: max(1, n))
            touched = .allocate(capacity: max(1, n))
        }

        deinit { mask.deallocate(); score.deallocate(); titleTF.deallocate(); touched.deallocate() }

        @inline(__always)
        func mark(_ d: Int, _ bit: UInt64) {
            if mask[d] == 0 { touched[touchedCount] = Int32(truncatingIfNeeded: d); touchedCount += 1 }
            mask[d] |= bit
        }

        func reset() {
            for k in 0..<touchedCount { let d = Int(touched[k]); mask[d] = 0; score[d] = 0 }
            touchedCount = 0
        }
    }

    /// `batch`: many queries will run back to back (`--queries`), so the second thread stays ready
    /// between them (spinning briefly) instead of sleeping after each step.
    public init(reader: IndexReader, batch: Bool = false) {
        self.reader = reader
        twoThreads = TwoThreads(stayReady: batch)
        segmentState = reader.segments.map { SegmentState(documents: $0.documentCount) }
    }

    /// Runs `body` for each segment: on two threads when `parallel` and there are two segments or
    /// more (segments alternate between the threads), else in order. Each segment's work touches
    /// only its own state; the first error, in segment order, is thrown.
    private func forEachSegment(parallel: Bool, _ body: (Int) throws -> Void) throws {
        let n = reader.segments.count
        guard parallel && n > 1 else {
            for s in 0..<n { try body(s) }
            return
        }
        var errors = [Error?](repeating: nil, count: n)
        errors.withUnsafeMutableBufferPointer { errors in
            nonisolated(unsafe) let errors = errors
            twoThreads.run { w in
                for s in stride(from: w, to: n, by: 2) {
                    do { try body(s) } catch { errors[s] = error }
                }
            }
        }
        if let e = errors.lazy.compactMap({ $0 }).first { throw e }
    }

    /// Whether matching this index is worth a second thread: below some thousands of documents the
    /// hand-over costs more than it saves.
    private func parallel(_ options: SearchOptions) -> Bool {
        options.threads > 1 && reader.documentCount >= options.parallelMinimumDocuments
    }

    public func search(_ text: String, options: SearchOptions = SearchOptions()) throws -> SearchResult {
        let t0 = Clock.now()
        let query = try QueryParser.parse(text, analyzer: analyzer)
        if options.match == .all && query.required.count > Self.maxGroupsAll {
            throw SearchError.badQuery(query: text, problem: "it holds \(query.required.count) words or phrases; --match all takes at most \(Self.maxGroupsAll)",
                                       hint: "For a long question pasted in, use --match any, which ranks every document holding any of its words.")
        }
        let parallel = parallel(options)
        let context = try resolve(query, parallel: parallel)
        var matches = try evaluate(query, options: options, context: context, relax: false, parallel: parallel)
        var relaxed = false
        if matches.total == 0 && options.match == .all && query.required.contains(where: { $0.allSatisfy { !$0.isPhrase } }) && query.required.count > 1 {
            // Relaxed only when it finds partial matches: nothing found is nothing found.
            let partial = try evaluate(query, options: options, context: context, relax: true, parallel: parallel)
            if partial.total > 0 { matches = partial; relaxed = true }
        }
        let total = matches.total, candidates = matches.best
        let (page, positions) = try rank(candidates, query: query, options: options, context: context,
                                         wholePhraseTier: !relaxed, parallel: parallel)
        let hits = try buildHits(page, positions: positions, query: query, options: options, context: context)
        return SearchResult(query: text, total: total, relaxed: relaxed, tookMs: (Clock.now() - t0) * 1000, hits: hits)
    }

    // MARK: Hits

    /// What building one hit needs to itself: a zstd context and an analyzer. Unchecked: each
    /// builder is used by one thread at a time (builder w by iteration w).
    final class HitBuilder: @unchecked Sendable {
        let snippetter = SnippetGenerator()
        let decompressor = RecordDecompressor()
    }

    /// The page's records and snippets. Decompressing each hit's text and cutting its snippets
    /// costs about as much as finding and ranking the hits, so with snippets and a few hits they
    /// are built on two threads (the segments are read-only maps; each thread has its own builder).
    /// A hit's snippets read its matched tokens' places from the positions (read by the re-rank,
    /// or here) instead of analysing its text.
    private func buildHits(_ page: [Candidate], positions: PoolPositions?, query: Query, options: SearchOptions,
                           context: Context) throws -> [SearchHit] {
        let terms = query.terms
        // Each distinct term's place among the query's terms, as the whole-text snippet numbers them.
        let termIndex = context.distinct.map { t in terms.firstIndex(of: t) ?? 0 }
        let phrases = PhraseSyllables(query, distinct: context.distinct)
        let build = { (c: Candidate, builder: HitBuilder) throws -> SearchHit in
            let seg = self.reader.segments[c.segment]
            let info = try seg.docInfo(Int(c.doc))
            let entry = seg.docEntry(Int(c.doc))
            var snippets: [Snippet] = []
            if options.snippets {
                let body = try seg.textBytes(Int(c.doc), using: builder.decompressor)
                // No re-rank read positions (one word): the hit's own are read here, on the hit's thread.
                if var matched = try positions.map({ $0.matches(segment: c.segment, doc: c.doc, phrases: phrases) })
                    ?? self.positions(of: [c.doc], segment: c.segment, context: context).matches(doc: c.doc, phrases: phrases) {
                    for k in matched.terms.indices { matched.terms[k] = termIndex[matched.terms[k]] }
                    let interval = DocEntry.exactMarkInterval(flags: entry.flags)
                    snippets = builder.snippetter.snippets(text: body, matches: matched, marks: interval != nil ? info.tokenMarks : [],
                                                           interval: interval ?? DocInfo.tokenMarkInterval)
                } else {
                    snippets = builder.snippetter.snippets(text: body, terms: terms,
                                                           unaccented: entry.flags & DocEntry.flagUnaccented != 0, phrases: query.phraseRanges)
                }
            }
            return SearchHit(id: info.id, title: info.title, kind: DocumentKind(code: entry.kind),
                             date: DocumentDate(ordinal: entry.date),
                             number: info.number, score: Double(c.score), snippets: snippets)
        }
        guard options.threads > 1 && options.snippets && page.count >= 4 else {
            return try page.map { try build($0, hitBuilders[0]) }
        }
        var results = [Result<SearchHit, Error>?](repeating: nil, count: page.count)
        let builders = hitBuilders
        results.withUnsafeMutableBufferPointer { out in
            // Hits claimed one at a time: a long document's snippets take several short ones' time.
            let two = twoThreads
            two.run { w in
                while true {
                    let i = two.claim()
                    if i >= page.count { break }
                    out[i] = Result { try build(page[i], builders[w]) }
                }
            }
        }
        return try results.map { try $0!.get() }
    }

    // MARK: Matching

    /// `tier` 1 marks documents holding the whole query as a phrase: they rank first. Relaxed
    /// matching sets it to the number of the query's groups a document matches instead.
    /// 20 bytes: the candidates of a common word number tens of thousands, written once and read
    /// by the top-k pass.
    struct Candidate {
        var doc: Int32
        var score: Float
        private var storedDate: Int32 = 0
        private var storedSegment: Int32
        var tier: UInt8 = 0

        init(segment: Int, doc: Int32, score: Float) {
            self.doc = doc; self.score = score; storedSegment = Int32(truncatingIfNeeded: segment)
        }

        var segment: Int { Int(storedSegment) }
        /// yyyymmdd (0: none), set for the re-ranked pool only.
        var date: Int {
            get { Int(storedDate) }
            set { storedDate = Int32(truncatingIfNeeded: newValue) }
        }
    }

    /// Every query term resolved in every segment, with its idf: computed once per query and
    /// shared by matching (strict and relaxed) and ranking.
    struct Context {
        var distinct: [TermKey] = []
        var resolved: [[TermKey: ResolvedTerm]] = []
        var idf: [TermKey: Float] = [:]
    }

    private func resolve(_ query: Query, parallel: Bool) throws -> Context {
        // Distinct scoring terms (as typed, duplicates scored once).
        var distinct: [TermKey] = []
        for t in query.terms where !distinct.contains(t) { distinct.append(t) }
        // Resolve every term in every segment, then compute global idf.
        var df = [TermKey: Int]()
        var allKeys = distinct
        for item in query.excluded { for t in item.terms where !allKeys.contains(t) { allKeys.append(t) } }
        var resolved = [[TermKey: ResolvedTerm]](repeating: [:], count: reader.segments.count)
        var dfs = [[Int]](repeating: [], count: reader.segments.count)
        try resolved.withUnsafeMutableBufferPointer { resolved in
            try dfs.withUnsafeMutableBufferPointer { dfs in
                try forEachSegment(parallel: parallel) { s in
                    var m: [TermKey: ResolvedTerm] = [:]
                    var counts: [Int] = []
                    let deleted = segmentState[s].deleted(reader.deletions[s])
                    for t in allKeys {
                        var r = try TermResolver.resolve(t, in: reader.segments[s], scratch: segmentState[s].unionScratch)
                        if r.documentFrequency < 0 { r.documentFrequency = documentFrequency(r, segment: s) }
                        m[t] = r
                        // df counts live documents, as N does (deleted ones await a merge).
                        counts.append(r.documentFrequency - (deleted.isEmpty ? 0 : Self.keep(deleted, inEither: r.docs, r.titleDocs).count))
                    }
                    resolved[s] = m
                    dfs[s] = counts
                }
            }
        }
        for counts in dfs { for (k, t) in allKeys.enumerated() { df[t, default: 0] += counts[k] } }
        let n = reader.documentCount
        let idf = Dictionary(uniqueKeysWithValues: distinct.map { ($0, RankingParameters.idf(docFreq: df[$0] ?? 0, documents: n)) })
        return Context(distinct: distinct, resolved: resolved, idf: idf)
    }

    /// Which groups must match: all (AND), any, or — relaxed — every phrase group and, when there is
    /// none, at least one other.
    /// All matching documents are counted; only each segment's best `poolSize` are kept (the
    /// best of all segments are among them), chosen on the segment's thread.
    private func evaluate(_ query: Query, options: SearchOptions, context: Context, relax: Bool, parallel: Bool) throws
        -> (best: [Candidate], total: Int) {
        let groups = query.required
        let poolSize = max(options.ranking.rerankDepth, Self.pageEnd(options))
        var totals = [Int](repeating: 0, count: reader.segments.count)
        // Every group one item that must match (plain AND queries, and single terms): sorted-list path.
        let conjunction = !relax && options.match == .all && groups.allSatisfy { $0.count == 1 }
        var perSegment = [[Candidate]](repeating: [], count: reader.segments.count)
        try perSegment.withUnsafeMutableBufferPointer { perSegment in
            try totals.withUnsafeMutableBufferPointer { totals in
                try forEachSegment(parallel: parallel) { s in
                    var best = TopK(poolSize)
                    if conjunction {
                        try evaluateConjunction(query, segment: s, options: options, context: context, into: &best)
                    } else {
                        try evaluateGeneral(query, segment: s, options: options, context: context, relax: relax, into: &best)
                    }
                    totals[s] = best.count
                    perSegment[s] = best.bestAmongOthers  // the pool is chosen from all of them
                }
            }
        }
        let total = totals.reduce(0, +)
        if perSegment.count == 1 { return (perSegment[0], total) }
        var best: [Candidate] = []
        best.reserveCapacity(perSegment.reduce(0) { $0 + $1.count })
        for p in perSegment { best.append(contentsOf: p) }
        return (best, total)
    }

    /// Candidates of one segment for any query: a bitmask of the groups each document matches,
    /// then BM25F over the documents that can still be hits.
    private func evaluateGeneral(_ query: Query, segment s: Int, options: SearchOptions, context: Context, relax: Bool,
                                 into out: inout TopK) throws {
        let params = options.ranking
        let distinct = context.distinct, resolved = context.resolved, idf = context.idf
        let avg = Float(reader.averageLength), avgTitle = Float(reader.averageTitleLength)
        let avgF = avg + params.titleWeight * avgTitle
        let groups = query.required
        let phraseGroups = groups.indices.filter { g in groups[g].allSatisfy(\.isPhrase) }
        let seg = reader.segments[s]
        let state = segmentState[s]
        // Dense accumulators reused across queries; only `touched` entries are visited and reset.
        let sc = state.scratch
        defer { sc.reset() }
        let table = seg.docTable
        // With every group required, groups go smallest first and later groups only add their bit
        // to documents holding every earlier one: the others can never match, so they are not touched.
        let requireAll = !relax && options.match == .all && groups.count > 1
        var order = Array(groups.indices)
        if requireAll {
            let size = groups.map { group in
                group.reduce(0) { n, item in
                    switch item {
                    case .term(let t): return n + (resolved[s][t].map { $0.docs.count + $0.titleDocs.count } ?? 0)
                    case .phrase(let ts): return n + (ts.map { resolved[s][$0]?.docs.count ?? 0 }.min() ?? 0)
                    }
                }
            }
            order.sort { (size[$0], $0) < (size[$1], $1) }
        }
        var need: UInt64 = 0
        for (rank, g) in order.enumerated() {
            let group = groups[g]
            // One bit per group; with --match any (the only mode allowed more than 62 groups) the
            // groups from the 62nd on share bit 61, since only "some group matched" counts there.
            // Bit 63 marks exclusions.
            let bit: UInt64 = 1 << UInt64(min(g, Self.maxGroupsAll - 1))
            let narrow = requireAll && rank > 0
            let req = need
            @inline(__always) func add(_ d: Int32) {
                if narrow { if sc.mask[Int(d)] & req == req { sc.mask[Int(d)] |= bit } } else { sc.mark(Int(d), bit) }
            }
            for item in group {
                if case .term(let t) = item {
                    // A term matches in the body or the title: mark both lists, no union needed.
                    if let r = resolved[s][t] {
                        for d in r.docs { add(d) }
                        for d in r.titleDocs { add(d) }
                    }
                } else {
                    for d in try docs(of: item, segment: s, resolved: resolved[s]) { add(d) }
                }
            }
            need |= bit
        }
        for item in query.excluded {
            for d in try docs(of: item, segment: s, resolved: resolved[s]) { sc.mark(Int(d), 1 << 63) }
        }
        let all: UInt64 = (1 << UInt64(min(groups.count, Self.maxGroupsAll))) - 1
        // Only documents that can still be hits are scored.
        let scoreAll = !relax && options.match == .all
        @inline(__always) func wanted(_ m: UInt64) -> Bool {
            m != 0 && m & (1 << 63) == 0 && (!scoreAll || m & all == all)
        }
        // BM25F over each distinct term: body tf + weighted title tf.
        let postings = distinct.reduce(0) { $0 &+ (resolved[s][$1]?.docs.count ?? 0) }
        let norms = self.norms(segment: s, params, average: avgF, postings: postings)
        for t in distinct {
            guard let r = resolved[s][t], let w = idf[t] else { continue }
            let hasTitle = !r.titleDocs.isEmpty
            if hasTitle { for k in 0..<r.titleDocs.count { sc.titleTF[Int(r.titleDocs[k])] = r.titleFreqs[k] } }
            var k = 0
            for i in 0..<r.docs.count {
                let d = Int(r.docs[i])
                if !wanted(sc.mask[d]) { continue }
                var tf = Float(r.freqs[i])
                if hasTitle { tf += params.titleWeight * Float(sc.titleTF[d]) }
                sc.score[d] += w * params.saturate(tf, norm: norms?[d] ?? params.lengthNorm(of: d, in: table, average: avgF))
            }
            // Title-only occurrences (the term is not in the body).
            for i in 0..<r.titleDocs.count {
                let d = Int(r.titleDocs[i])
                while k < r.docs.count && r.docs[k] < r.titleDocs[i] { k += 1 }
                if k < r.docs.count && r.docs[k] == r.titleDocs[i] { continue }
                if !wanted(sc.mask[d]) { continue }
                let tf = params.titleWeight * Float(r.titleFreqs[i])
                sc.score[d] += w * params.saturate(tf, norm: norms?[d] ?? params.lengthNorm(of: d, in: table, average: avgF))
            }
            if hasTitle { for i in 0..<r.titleDocs.count { sc.titleTF[Int(r.titleDocs[i])] = 0 } }
        }
        var phraseMask: UInt64 = 0
        for g in phraseGroups where g < Self.maxGroupsAll { phraseMask |= 1 << UInt64(g) }
        let deletions = reader.deletions[s]
        let filtered = options.kind != nil || options.since != nil || options.until != nil
        var docs: [Int32] = [], scores: [Float] = [], tiers: [UInt8] = []
        defer {
            if relax {
                // Documents matching more of the groups first.
                out.push(tiered: docs.indices.map { i in
                    var c = Candidate(segment: s, doc: docs[i], score: scores[i]); c.tier = tiers[i]; return c
                })
            } else {
                docs.withUnsafeBufferPointer { d in scores.withUnsafeBufferPointer { out.push(segment: s, docs: d, scores: $0) } }
            }
        }
        for k in 0..<sc.touchedCount {
            let d32 = sc.touched[k], d = Int(d32)
            let m = sc.mask[d]
            if m == 0 || m & (1 << 63) != 0 { continue }
            let ok: Bool
            // Relaxed: every phrase, the plain words as they come (m ≠ 0: at least one group, so
            // one word when there is no phrase); `"Thủy Dương" karaoke` lists the phrase's documents.
            if relax { ok = m & phraseMask == phraseMask }
            else { ok = options.match == .all ? m & all == all : true }
            if !ok || deletions?.contains(d) == true { continue }
            if filtered {
                let (kind, date) = seg.kindAndDate(d)
                if let k = options.kind, kind != k.code { continue }
                if let since = options.since, date == 0 || date < since.ordinal { continue }
                if let until = options.until, date == 0 || date > until.ordinal { continue }
            }
            docs.append(d32); scores.append(sc.score[d])
            if relax { tiers.append(UInt8(min(255, (m & all).nonzeroBitCount))) }
        }
    }

    /// Candidates of one segment when every group is one item that must match (the common AND
    /// query): the groups' documents intersected as sorted lists, smallest first, then scored only
    /// where they match, in the general path's order of terms (so the scores are the same bits) —
    /// no pass marking or scoring every posting of the larger lists.
    private func evaluateConjunction(_ query: Query, segment s: Int, options: SearchOptions, context: Context,
                                     into out: inout TopK) throws {
        let seg = reader.segments[s]
        let resolved = context.resolved[s]
        let params = options.ranking
        let avgF = Float(reader.averageLength) + params.titleWeight * Float(reader.averageTitleLength)
        // Each group's documents: a term's in its body or title lists, a phrase's matches.
        // `union`: the size of body ∪ title when known (a term's df in this segment), else -1.
        var lists: [(body: [Int32], title: [Int32], union: Int)] = []
        for group in query.required {
            switch group[0] {
            case .term(let t):
                guard let r = resolved[t], !(r.docs.isEmpty && r.titleDocs.isEmpty) else { return }
                lists.append((r.docs, r.titleDocs, r.documentFrequency))
            case .phrase:
                let d = try docs(of: group[0], segment: s, resolved: resolved)
                if d.isEmpty { return }
                lists.append((d, [], d.count))
            }
        }
        lists.sort { $0.body.count + $0.title.count < $1.body.count + $1.title.count }
        // Every title document also in the body (the usual case) makes the body list the union.
        var candidates = lists[0].union == lists[0].body.count ? lists[0].body : Self.union(lists[0].body, lists[0].title)
        for l in lists.dropFirst() where !candidates.isEmpty {
            // A title list inside its body list adds nothing to "in either".
            candidates = keep(candidates, inEither: l.body, l.union == l.body.count ? [] : l.title, segment: s)
        }
        for item in query.excluded where !candidates.isEmpty {
            candidates = keep(candidates, inEither: try docs(of: item, segment: s, resolved: resolved), [], negate: true, segment: s)
        }
        let deletions = reader.deletions[s]
        if deletions != nil || options.kind != nil || options.since != nil || options.until != nil {
            candidates.removeAll { d in
                if deletions?.contains(Int(d)) == true { return true }
                let (kind, date) = seg.kindAndDate(Int(d))
                if let k = options.kind, kind != k.code { return true }
                if let since = options.since, date == 0 || date < since.ordinal { return true }
                if let until = options.until, date == 0 || date > until.ordinal { return true }
                return false
            }
        }
        if candidates.isEmpty { return }
        // One word, its candidates its whole body list (no exclusion, filter or deletion): scored
        // in one pass in C with the formulas below, in their order (the same bits). The title
        // list lies inside the body list when their union is the body's size.
        if context.distinct.count == 1, let t = context.distinct.first, let r = resolved[t], let w = context.idf[t],
           r.documentFrequency == r.docs.count, candidates.count == r.docs.count {
            let table = seg.docTable
            var score = [Float](repeating: 0, count: candidates.count)
            r.docs.withUnsafeBufferPointer { body in r.freqs.withUnsafeBufferPointer { bodyTF in
                r.titleDocs.withUnsafeBufferPointer { title in r.titleFreqs.withUnsafeBufferPointer { titleTF in
                    score.withUnsafeMutableBufferPointer { score in
                        let best: Float
                        if let norms = norms(segment: s, params, average: avgF, postings: body.count) {
                            best = cvnrank_bm25_norms(body.baseAddress, bodyTF.baseAddress, body.count, title.baseAddress, titleTF.baseAddress,
                                                   title.count, norms, segmentState[s].frequencySlots, params.titleWeight, params.k1, w,
                                                   score.baseAddress)
                        } else {
                            best = cvnrank_bm25_list(body.baseAddress, bodyTF.baseAddress, body.count, title.baseAddress, titleTF.baseAddress,
                                                  title.count, table.base.assumingMemoryBound(to: UInt8.self), params.titleWeight,
                                                  params.k1, params.b, avgF, w, score.baseAddress)
                        }
                        out.push(segment: s, docs: body, scores: UnsafeBufferPointer(score), best: best)
                    }
                } }
            } }
            return
        }
        // BM25F: body tf + weighted title tf, the length counting the weighted title.
        var score = [Float](repeating: 0, count: candidates.count)
        let table = seg.docTable
        let norm: [Float]
        if let norms = norms(segment: s, params, average: avgF, postings: candidates.count) {
            norm = candidates.map { norms[Int($0)] }
        } else {
            norm = candidates.map { params.lengthNorm(of: Int($0), in: table, average: avgF) }
        }
        let titleWeight = params.titleWeight
        let state = segmentState[s]
        for t in context.distinct {
            guard let r = resolved[t], let w = context.idf[t] else { continue }
            r.docs.withUnsafeBufferPointer { body in r.freqs.withUnsafeBufferPointer { bodyTF in
                r.titleDocs.withUnsafeBufferPointer { title in r.titleFreqs.withUnsafeBufferPointer { titleTF in
                    candidates.withUnsafeBufferPointer { cand in norm.withUnsafeBufferPointer { norm in
                        score.withUnsafeMutableBufferPointer { score in
                            if body.count + title.count <= 8 * cand.count {
                                // Lists not much longer than the candidates: each document's BM25F
                                // frequency laid in a slot (the same additions, in the same order, as
                                // below), read once per candidate, then the slots cleared.
                                let slots = state.frequencySlots
                                for i in 0..<body.count { slots[Int(body[i])] = Float(bodyTF[i]) }
                                for j in 0..<title.count { slots[Int(title[j])] += titleWeight * Float(titleTF[j]) }
                                cvnrank_bm25_gather(cand.baseAddress, cand.count, slots, norm.baseAddress, params.k1, w, score.baseAddress)
                                for i in 0..<body.count { slots[Int(body[i])] = 0 }
                                for j in 0..<title.count { slots[Int(title[j])] = 0 }
                                return
                            }
                            var i = 0, j = 0
                            for k in 0..<cand.count {
                                let d = cand[k]
                                i = Self.seek(body, from: i, to: d)
                                let inBody = i < body.count && body[i] == d
                                var tf: Float = inBody ? Float(bodyTF[i]) : 0
                                if !title.isEmpty {
                                    j = Self.seek(title, from: j, to: d)
                                    if j < title.count && title[j] == d { tf += titleWeight * Float(titleTF[j]) }
                                }
                                if tf == 0 { continue }
                                score[k] += w * params.saturate(tf, norm: norm[k])
                            }
                        }
                    } }
                } }
            } }
        }
        candidates.withUnsafeBufferPointer { docs in
            score.withUnsafeBufferPointer { out.push(segment: s, docs: docs, scores: $0) }
        }
    }

    /// Segment `s`'s length norms when a query scores `postings` documents there, an eighth of
    /// its documents or more (computed once, reused by later queries); else nil: computing every
    /// document's would cost more than the few being scored.
    private func norms(segment s: Int, _ params: RankingParameters, average: Float, postings: Int) -> UnsafePointer<Float>? {
        guard postings &* 8 >= reader.segments[s].documentCount else { return nil }
        return segmentState[s].norms(reader.segments[s].docTable, params, average: average)
    }

    /// a ∪ b of two ascending lists.
    static func union(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        var out: [Int32] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 } else if a[i] > b[j] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        out.append(contentsOf: a[i...]); out.append(contentsOf: b[j...])
        return out
    }

    /// Documents holding `r` in the body or the title: |body ∪ title| — the body's count where every
    /// title of the segment lies in its body (the indexer's flag), else the title documents looked
    /// up in the body by galloping when they are few, as bits when they are many.
    private func documentFrequency(_ r: ResolvedTerm, segment s: Int) -> Int {
        if r.titleDocs.isEmpty || segmentState[s].everyDocument(has: DocEntry.flagTitleInBody, reader.segments[s].docTable) { return r.docs.count }
        if r.titleDocs.count * 16 < r.docs.count { return Self.unionCount(r.docs, r.titleDocs) }
        let bits = bitmap(segment: s)
        r.docs.withUnsafeBufferPointer { bits.insertIntoCleared($0) }
        return r.docs.count + r.titleDocs.reduce(0) { $0 + (bits.contains($1) ? 0 : 1) }
    }

    /// The segment's reusable bitmap, cleared.
    private func bitmap(segment s: Int) -> DocBitmap { segmentState[s].clearedBitmap }

    /// `keep(_:inEither:_:negate:)` choosing its method: when the lists are not much longer than
    /// the candidates, they are set as bits and each candidate is one bit test (a walk with
    /// searches mispredicts a branch at almost every step); otherwise galloping through the lists.
    private func keep(_ candidates: [Int32], inEither a: [Int32], _ b: [Int32], negate: Bool = false, segment s: Int) -> [Int32] {
        guard a.count + b.count <= 16 * candidates.count else { return Self.keep(candidates, inEither: a, b, negate: negate) }
        let bits = bitmap(segment: s)
        a.withUnsafeBufferPointer { bits.insertIntoCleared($0) }
        b.withUnsafeBufferPointer { bits.insert($0) }
        // Branch-free compaction: every candidate is written, the count advances only for kept ones.
        return [Int32](unsafeUninitializedCapacity: candidates.count) { out, kept in
            candidates.withUnsafeBufferPointer { c in
                var n = 0
                for i in 0..<c.count {
                    let d = c[i]
                    out[n] = d
                    n &+= bits.contains(d) != negate ? 1 : 0
                }
                kept = n
            }
        }
    }

    /// The documents of `candidates` (ascending) found in `a` or `b` (ascending); with `negate`,
    /// those found in neither.
    static func keep(_ candidates: [Int32], inEither a: [Int32], _ b: [Int32], negate: Bool = false) -> [Int32] {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var i = 0, j = 0
                return candidates.filter { d in
                    i = seek(a, from: i, to: d); j = seek(b, from: j, to: d)
                    let found = (i < a.count && a[i] == d) || (j < b.count && b[j] == d)
                    return found != negate
                }
            }
        }
    }

    /// First index ≥ `from` where `a[index] >= target` (a.count when none): a few steps one by one
    /// (intersected lists are often dense, and then the next match is near), then galloping, so a
    /// short list walked against a long one costs its length times a logarithm, not the long one's.
    @inline(__always)
    static func seek(_ a: UnsafeBufferPointer<Int32>, from: Int, to target: Int32) -> Int {
        var lo = from
        let near = min(a.count, lo &+ 4)
        while lo < near { if a[lo] >= target { return lo }; lo &+= 1 }
        if lo >= a.count || a[lo] >= target { return lo }
        // a[lo] < target: widen the step until passing it, then bisect.
        var step = 1, hi = lo + 1
        while hi < a.count && a[hi] < target { lo = hi; step <<= 1; hi = lo + step }
        var l = lo + 1, h = min(hi, a.count)
        while l < h { let m = (l + h) >> 1; if a[m] < target { l = m + 1 } else { h = m } }
        return l
    }

    /// Documents (ascending) matching one item in a segment; phrases are checked on positions.
    private func docs(of item: QueryItem, segment s: Int, resolved: [TermKey: ResolvedTerm]) throws -> [Int32] {
        let seg = reader.segments[s]
        switch item {
        case .term(let t):
            guard let r = resolved[t] else { return [] }
            return TermResolver.union([(r.docs, r.freqs), (r.titleDocs, r.titleFreqs)]).0
        case .phrase(let ts):
            let terms = ts.compactMap { resolved[$0] }
            guard terms.count == ts.count else { return [] }
            // Docs holding every term, then positions adjacent and in order.
            // Smallest list first, each other list intersected once (a syllable repeated in the
            // phrase is one list).
            let order = terms.indices.sorted { terms[$0].docs.count < terms[$1].docs.count }
            var common = terms[order[0]].docs
            for (n, i) in order.enumerated().dropFirst() where !common.isEmpty && ts[i] != ts[order[n - 1]] {
                common = Self.intersect(common, terms[i].docs)
            }
            // Positions streamed doc by doc, term by term, and matched by marks.
            let inText = common.isEmpty ? [] : try PhraseFilter.documents(common, terms: terms, marks: segmentState[s].marks, in: seg)
            let inTitle = try titleDocs(holding: ts, terms: terms, besides: inText, segment: s)
            return inTitle.isEmpty ? inText : Self.union(inText, inTitle)
        }
    }

    /// Documents (ascending) whose title holds the phrase `ts` and whose text does not (`besides`):
    /// an HTML page's `<title>` that its text does not repeat. Titles are indexed without
    /// positions, so where the title lists hold every syllable the stored title is analysed —
    /// unless the indexer found the title standing in the text (`DocEntry.flagTitleInText`).
    private func titleDocs(holding ts: [TermKey], terms: [ResolvedTerm], besides inText: [Int32], segment s: Int) throws -> [Int32] {
        let seg = reader.segments[s]
        let table = seg.docTable
        guard terms.allSatisfy({ !$0.titleDocs.isEmpty }),
              !segmentState[s].everyDocument(has: DocEntry.flagTitleInText, table) else { return [] }
        var common = terms.map(\.titleDocs).min { $0.count < $1.count }!
        for t in terms where !common.isEmpty { common = Self.intersect(common, t.titleDocs) }
        common.removeAll { table.flags(Int($0)) & DocEntry.flagTitleInText != 0 }
        if common.isEmpty { return [] }
        if !inText.isEmpty { common = Self.keep(common, inEither: inText, [], negate: true) }
        let analyzer = segmentState[s].analyzer
        return try common.filter { d in
            guard var title = try seg.docInfo(Int(d)).title else { return false }
            let unaccented = seg.docEntry(Int(d)).flags & DocEntry.flagUnaccented != 0
            return title.withUTF8 { !PhraseScan.occurrences(in: $0, terms: ts, unaccented: unaccented, analyzer: analyzer).isEmpty }
        }
    }

    /// |a ∪ b| of two ascending lists, `b` the short one (a title list beside its body list): b's
    /// documents are looked up in `a` by galloping, so the long list is not walked.
    static func unionCount(_ a: [Int32], _ b: [Int32]) -> Int {
        a.withUnsafeBufferPointer { a in
            var i = 0, missing = 0
            for d in b {
                i = seek(a, from: i, to: d)
                if i >= a.count || a[i] != d { missing += 1 }
            }
            return a.count + missing
        }
    }

    /// a ∩ b of two ascending lists: the short one's documents looked up in the long one by
    /// galloping when it is much longer, else one merge without branches (the lists of a phrase's
    /// common syllables interleave unpredictably) into storage sized once.
    static func intersect(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        if short.isEmpty { return [] }
        return [Int32](unsafeUninitializedCapacity: short.count) { out, count in
            short.withUnsafeBufferPointer { s in long.withUnsafeBufferPointer { l in
                var k = 0
                if s.count &* 16 < l.count {
                    var j = 0
                    for x in s {
                        j = seek(l, from: j, to: x)
                        if j >= l.count { break }
                        if l[j] == x { out[k] = x; k &+= 1 }
                    }
                } else {
                    var i = 0, j = 0
                    while i < s.count && j < l.count {
                        let x = s[i], y = l[j]
                        out[k] = x
                        k &+= x == y ? 1 : 0
                        i &+= x <= y ? 1 : 0
                        j &+= x >= y ? 1 : 0
                    }
                }
                count = k
            } }
        }
    }

    // MARK: Ranking

    /// BM25 for all candidates, then for the best `rerankDepth`: adjacent query syllables found
    /// adjacent (bigram bonus) and, for plain multi-word queries, the whole query as a phrase (those
    /// documents come first); then the requested page.
    private func rank(_ candidates: [Candidate], query: Query, options: SearchOptions, context: Context,
                      wholePhraseTier: Bool, parallel: Bool) throws -> (page: [Candidate], positions: PoolPositions?) {
        let params = options.ranking
        let want = Self.pageEnd(options)
        guard want > 0, !candidates.isEmpty else { return ([], nil) }
        var kept: PoolPositions? = nil
        let depth = min(candidates.count, max(params.rerankDepth, want))
        var pool = Self.top(candidates, depth)
        for i in pool.indices { pool[i].date = reader.segments[pool[i].segment].kindAndDate(Int(pool[i].doc)).date }
        let terms = query.terms
        let distinct = context.distinct
        let tierOn = wholePhraseTier && distinct.count > 1 && query.required.allSatisfy { $0.count == 1 }
        if terms.count > 1 && (params.pairWeight > 0 || tierOn) {
            // Pairs of syllables that follow each other in the query: inside an item, and between
            // consecutive groups that have one item each (never between OR alternatives).
            var pairs: [(Int, Int)] = []  // indexes into `distinct`
            var previous: TermKey? = nil
            for group in query.required {
                guard group.count == 1 else { previous = nil; continue }
                for t in group[0].terms {
                    if let p = previous, p != t { pairs.append((distinct.firstIndex(of: p)!, distinct.firstIndex(of: t)!)) }
                    previous = t
                }
            }
            let sequence = terms.map { distinct.firstIndex(of: $0)! }
            // Each pair's weight, looked up once rather than per pool document.
            let pairIDF = pairs.map { ((context.idf[distinct[$0.0]] ?? 0) + (context.idf[distinct[$0.1]] ?? 0)) / 2 }
            let avg = Float(reader.averageLength)
            // The pool's documents per segment, in doc order (positions are streamed in doc order).
            var bySegment = [[Int]](repeating: [], count: reader.segments.count)
            for i in pool.indices { bySegment[pool[i].segment].append(i) }
            for s in bySegment.indices { bySegment[s].sort { pool[$0].doc < pool[$1].doc } }
            let work = pool.count >= 16 ? bySegment.reduce(0) { $1.isEmpty ? $0 : $0 + 1 } : 0
            var positions = PoolPositions(segments: reader.segments.count)
            try positions.segments.withUnsafeMutableBufferPointer { keep in
                nonisolated(unsafe) let keep = keep
                try pool.withUnsafeMutableBufferPointer { pool in
                    nonisolated(unsafe) let pool = pool
                    try forEachSegment(parallel: parallel && work > 1) { s in
                        let inSeg = bySegment[s]
                        if inSeg.isEmpty { return }
                        let marks = segmentState[s].marks
                        let docs = inSeg.map { pool[$0].doc }
                        let read = try self.positions(of: docs, segment: s, context: context)
                        let n = docs.count, start = read.start
                        let table = reader.segments[s].docTable
                        do throws(PhraseMarks.PositionPastEnd) {
                            try read.flat.withUnsafeBufferPointer { f throws(PhraseMarks.PositionPastEnd) in
                                func list(_ t: Int, _ k: Int) -> UnsafeBufferPointer<Int32> {
                                    UnsafeBufferPointer(rebasing: f[start[t * n + k]..<start[t * n + k + 1]])
                                }
                                var lists: [UnsafeBufferPointer<Int32>] = []
                                lists.reserveCapacity(sequence.count)
                                for (k, pi) in inSeg.enumerated() {
                                    let tokens = table.tokenCount(Int(docs[k]))
                                    let len = Float(tokens)
                                    var bonus: Float = 0
                                    for (p, (a, b)) in pairs.enumerated() {
                                        let pf = try marks.count(list(a, k), list(b, k), length: tokens)
                                        if pf > 0 {
                                            bonus += params.pairWeight * pairIDF[p] * params.saturate(Float(pf), length: len, average: avg)
                                        }
                                    }
                                    pool[pi].score += bonus
                                    if tierOn {
                                        lists.removeAll(keepingCapacity: true)
                                        for t in sequence { lists.append(list(t, k)) }
                                        if try marks.count(lists, length: tokens) > 0 { pool[pi].tier = 1 }
                                    }
                                }
                            }
                        } catch {
                            throw IndexError.corrupted(file: reader.segments[s].path, reason: "a position lies past its document's end")
                        }
                        keep[s] = read
                    }
                }
            }
            kept = positions
        }
        // Order by tier, score, date; ids (which cost a record decode) only inside runs of equal
        // keys that reach into the requested page.
        pool = Self.ordered(pool, first: want)
        let pageEnd = min(pool.count, want)
        var runStart = 0
        while runStart < pageEnd {
            var runEnd = runStart + 1
            while runEnd < pool.count && pool[runEnd].tier == pool[runStart].tier && pool[runEnd].score == pool[runStart].score
                    && pool[runEnd].date == pool[runStart].date { runEnd += 1 }
            if runEnd - runStart > 1 {
                let ids = pool[runStart..<runEnd].map { (try? reader.segments[$0.segment].docIdentity(Int($0.doc)).id) ?? "" }
                let order = ids.indices.sorted { ids[$0] < ids[$1] }
                let run = order.map { pool[runStart + $0] }
                pool.replaceSubrange(runStart..<runEnd, with: run)
            }
            runStart = runEnd
        }
        return (Array(pool.dropFirst(max(0, options.offset)).prefix(max(0, options.limit))), kept)
    }

    /// Each distinct query term's positions in `docs` (ascending) of segment `s`, streamed in doc
    /// order by the reader the phrase matcher uses, back to back in one buffer: term t in
    /// document k at flat[start[t * n + k] ..< start[t * n + k + 1]] (empty where absent).
    private func positions(of docs: [Int32], segment s: Int, context: Context) throws -> PoolPositions.Segment {
        let seg = reader.segments[s]
        let distinct = context.distinct
        let n = docs.count
        var flat: [Int32] = []
        var start = [Int](repeating: 0, count: distinct.count * n + 1)
        var bounds: [Int] = []
        for (ti, t) in distinct.enumerated() {
            if let r = context.resolved[s][t] {
                try docs.withUnsafeBufferPointer { try r.positions(of: $0, in: seg, into: &flat, bounds: &bounds) }
                for k in 0..<n { start[ti * n + k + 1] = bounds[k + 1] }
            } else {
                for k in 0..<n { start[ti * n + k + 1] = flat.count }
            }
        }
        return PoolPositions.Segment(docs: docs, flat: flat, start: start, terms: distinct.count)
    }

    /// offset + limit, saturating (a page past every document is empty, not a trap).
    static func pageEnd(_ options: SearchOptions) -> Int {
        let (end, overflow) = options.offset.addingReportingOverflow(options.limit)
        return overflow ? Int.max : end
    }

    /// Best `k` by tier and score (ties: segment and doc order, for determinism).
    static func top(_ c: [Candidate], _ k: Int) -> [Candidate] {
        if c.count <= k { return c }
        var t = TopK(k)
        if c.contains(where: { $0.tier != 0 }) { t.push(tiered: c) } else { t.push(c) }
        return t.best
    }

    /// The pool's order: tier, score, date (descending), then segment and document.
    @inline(__always)
    static func before(_ x: Candidate, _ y: Candidate) -> Bool {
        if x.tier != y.tier { return x.tier > y.tier }
        if x.score != y.score { return x.score > y.score }
        if x.date != y.date { return x.date > y.date }
        return (x.segment, x.doc) < (y.segment, y.doc)
    }

    /// The beginning of `pool` in `before` order: its `n` first, then every other candidate whose
    /// tier, score and date equal the n-th's (the run that crosses the page's end, which ids
    /// order). Only a page is ever shown, so the rest of the pool is not sorted.
    static func ordered(_ pool: [Candidate], first n: Int) -> [Candidate] {
        guard n > 0 && n <= 64 && pool.count > 4 * n else { return pool.sorted(by: before) }
        var page: [Candidate] = []
        page.reserveCapacity(n + 1)
        for x in pool {
            if page.count == n {
                if !before(x, page[n - 1]) { continue }
                page.removeLast()
            }
            var i = page.count
            page.append(x)
            while i > 0 && before(x, page[i - 1]) { page[i] = page[i - 1]; i -= 1 }
            page[i] = x
        }
        let last = page[page.count - 1]
        let run = pool.filter { $0.tier == last.tier && $0.score == last.score && $0.date == last.date && before(last, $0) }
        return page + run.sorted(by: before)
    }

}
