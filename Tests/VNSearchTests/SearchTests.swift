import Foundation
import Testing
import VNIngest
import VNIndex
@testable import VNSearch

@Suite("Search on the bundled corpus")
struct SearchTests {
    @Test(arguments: ["kiến nghị cử tri", "kien nghi cu tri", "KIẾN NGHỊ CỬ TRI", "kien nghị cử tri", "Thủy Dương", "thuy duong", "Thuỷ Dương"])
    func everyDocumentHoldingTheWordsIsFound(query: String) throws {
        let r = try search(query)
        let ids = Set(r.hits.map(\.id))
        // Every document holding the exact phrase is found, and ranks above the others.
        let phrase = bruteForcePhrase(query)
        #expect(!phrase.isEmpty)
        #expect(phrase.isSubset(of: ids), "missing: \(phrase.subtracting(ids).sorted())")
        let firstNonPhrase = r.hits.firstIndex { !phrase.contains($0.id) } ?? r.hits.count
        let lastPhrase = r.hits.lastIndex { phrase.contains($0.id) } ?? -1
        #expect(lastPhrase < firstNonPhrase, "phrase documents should come first")
        #expect(r.total == r.hits.count)
        #expect(!r.relaxed)
    }

    /// With --match any as well, the documents holding the query as a phrase come first.
    @Test(arguments: ["kiến nghị cử tri", "thuy duong", "kỳ họp thứ"])
    func anyModeRanksThePhraseFirst(query: String) throws {
        let r = try search(query) { $0.match = .any }
        let phrase = bruteForcePhrase(query)
        #expect(!phrase.isEmpty && r.hits.count > phrase.count)
        let firstNonPhrase = r.hits.firstIndex { !phrase.contains($0.id) } ?? r.hits.count
        let lastPhrase = r.hits.lastIndex { phrase.contains($0.id) } ?? -1
        #expect(lastPhrase < firstNonPhrase, "phrase documents should come first")
    }

    /// The AND path (sorted lists intersected with galloping) against a brute-force scan: exactly
    /// the documents holding every word, in the body or the title, minus those holding an excluded one.
    @Test(arguments: ["kiến nghị cử tri", "thuy duong", "Thủy Dương giao thông", "báo cáo kết quả năm",
                      "kỳ họp HĐND -tổ", "cử tri -Thủy", "ke hoach", "nghị quyết 2023", "phường"])
    func andQueriesFindExactlyTheDocumentsHoldingEveryWord(query: String) throws {
        let analyzer = Analyzer()
        let words = query.split(separator: " ")
        let required = words.filter { !$0.hasPrefix("-") }.flatMap { analyzer.analyze(String($0)).map(\.key) }
        let excluded = words.filter { $0.hasPrefix("-") }.flatMap { analyzer.analyze(String($0.dropFirst())).map(\.key) }
        var expected = Set<String>()
        for doc in bundledDocuments {
            let body = analyzer.analyze(doc.text)
            let unaccented = isTypedWithoutDiacritics(body)
            let keys = (body + analyzer.analyze(doc.title ?? "")).map(\.key)
            func holds(_ q: TermKey) -> Bool { keys.contains { keyMatches($0, q, unaccented: unaccented) } }
            if required.allSatisfy(holds) && !excluded.contains(where: holds) { expected.insert(doc.id) }
        }
        #expect(!expected.isEmpty && expected.count < bundledDocuments.count)
        let r = try search(query)
        #expect(Set(r.hits.map(\.id)) == expected, "extra: \(Set(r.hits.map(\.id)).subtracting(expected).sorted()), missing: \(expected.subtracting(r.hits.map(\.id)).sorted())")
        #expect(r.total == expected.count)
        // A filter keeps exactly the matching documents of that kind.
        let reports = try search(query) { $0.kind = .report }
        #expect(Set(reports.hits.map(\.id)) == Set(r.hits.filter { $0.kind == .report }.map(\.id)))
    }

    @Test func diacriticsTypedAreRespected() throws {
        // The news item about chị Nguyễn Thùy Dương never mentions the ward Thủy Dương.
        let person = "tin-tuc/2021/phu-bai-truong-to-dan-pho-tan-tuy.txt"
        #expect(!(try search("\"Thủy Dương\"")).hits.map(\.id).contains(person))
        #expect((try search("\"Thùy Dương\"")).hits.map(\.id).contains(person))
        #expect((try search("\"thuy duong\"")).hits.map(\.id).contains(person))
        // "thủy" typed with its tone never matches "thúy" or "thùy" alone.
        for hit in try search("thủy").hits {
            let doc = try #require(bundledDocuments.first { $0.id == hit.id })
            #expect(bruteForcePhrase("thủy").contains(doc.id) || hit.title.map { VNAnalysisFold.keys($0).contains("thuy·3") } == true)
        }
    }

    @Test func aDocumentTypedWithoutDiacriticsIsFoundByAccentedQueries() throws {
        let plain = "tin-tuc/2020/tt-hdnd-thuy-duong-lam-viec-ubnd-khong-dau.txt"
        #expect((try search("Thủy Dương")).hits.map(\.id).contains(plain))
        #expect((try search("\"kiến nghị cử tri\"")).hits.map(\.id).contains(plain))
    }

    @Test func nfdAndOldToneDocumentsAreFound() throws {
        let ids = Set(try search("\"Thủy Dương\"").hits.map(\.id))
        #expect(ids.contains("nghi-quyet/2021/nq-12-hdnd-thuy-duong-nfd.txt"))       // NFD
        #expect(ids.contains("bao-cao/2019/bc-15-ubnd-thuy-duong-win1258-style.txt")) // decomposed tones, thuỷ
    }

    @Test func quotedPhraseRequiresAdjacency() throws {
        let and = Set(try search("kiến nghị cử tri").hits.map(\.id))
        let phrase = Set(try search("\"kiến nghị cử tri\"").hits.map(\.id))
        #expect(phrase == bruteForcePhrase("kiến nghị cử tri"))
        #expect(phrase.isSubset(of: and))
        #expect(phrase.count < and.count, "the corpus has documents with the words apart")
    }

    @Test func exclusionsRemoveDocuments() throws {
        let all = Set(try search("\"kỳ họp\" HĐND").hits.map(\.id))
        let without = Set(try search("\"kỳ họp\" HĐND -\"tổ dân phố\"").hits.map(\.id))
        let excluded = bruteForcePhrase("tổ dân phố")
        #expect(without == all.subtracting(excluded))
        #expect(without.count < all.count)
    }

    @Test func orTakesEitherSide() throws {
        let a = Set(try search("\"lụt bão\"").hits.map(\.id))
        let b = Set(try search("\"chuyển đổi số\"").hits.map(\.id))
        let either = Set(try search("\"lụt bão\" OR \"chuyển đổi số\"").hits.map(\.id))
        #expect(either == a.union(b))
    }

    @Test func filtersByKindAndDate() throws {
        let plans = try search("kiến nghị") { $0.kind = .plan }
        #expect(!plans.hits.isEmpty)
        #expect(plans.hits.allSatisfy { $0.kind == .plan })
        let since = DocumentDate(year: 2021, month: 1, day: 1)!, until = DocumentDate(year: 2022, month: 12, day: 31)!
        let dated = try search("kiến nghị") { $0.since = since; $0.until = until }
        #expect(!dated.hits.isEmpty)
        #expect(dated.hits.allSatisfy { $0.date != nil && $0.date! >= since && $0.date! <= until })
    }

    @Test func pagingSlicesTheRanking() throws {
        let all = try search("kiến nghị cử tri")
        let page = try search("kiến nghị cử tri") { $0.limit = 3; $0.offset = 2 }
        #expect(page.hits.map(\.id) == Array(all.hits.map(\.id)[2..<5]))
        #expect(page.total == all.total)
    }

    @Test func tiesBreakByDateThenId() throws {
        let r = try search("HĐND")
        for (a, b) in zip(r.hits, r.hits.dropFirst()) where a.score == b.score {
            let da = a.date?.ordinal ?? 0, db = b.date?.ordinal ?? 0
            #expect(da > db || (da == db && a.id < b.id))
        }
    }

    @Test func noDocumentWithEveryWordRelaxes() throws {
        let r = try search("kiến nghị zzzyyyxxx")
        #expect(r.relaxed)
        #expect(!r.hits.isEmpty)
        // Phrases are never relaxed.
        let p = try search("\"kiến nghị zzzyyyxxx\"")
        #expect(!p.relaxed && p.hits.isEmpty)
        // A phrase beside a word no document holds: the phrase's documents are the partial matches.
        let phrase = try search("\"Thủy Dương\"")
        let beside = try search("\"Thủy Dương\" zzzyyyxxx")
        #expect(phrase.total > 0 && beside.relaxed)
        #expect(Set(beside.hits.map(\.id)) == Set(phrase.hits.map(\.id)) && beside.total == phrase.total)
        // Nothing held even in part: no match, not relaxed.
        for q in ["xyzabc qwerty", "\"xyz abc\" thủy"] {
            let none = try search(q)
            #expect(none.total == 0 && !none.relaxed, "\(q)")
        }
    }

    /// Relaxed results list documents holding more of the query's words first, whatever their
    /// scores: every hit holds at least as many of the words as the next one.
    @Test(arguments: ["ngân sách thiên tai chuyển đổi số xyzabc", "thúy hòa lý quý xyzabc", "kiến nghị cử tri HĐND phường xã zzzyyyxxx"])
    func relaxedResultsRankMoreMatchedWordsFirst(query: String) throws {
        let r = try search(query)
        #expect(r.relaxed && r.hits.count > 3)
        let terms = try QueryParser.parse(query, analyzer: Analyzer()).terms
        let matchers = terms.map(TermMatcher.init)
        var unaccented: [String: Bool] = [:]
        for seg in bundledIndex.segments {
            for d in 0..<seg.documentCount { unaccented[try seg.docInfo(d).id] = seg.docEntry(d).flags & DocEntry.flagUnaccented != 0 }
        }
        func held(_ id: String) throws -> Int {
            let doc = try #require(bundledDocuments.first { $0.id == id })
            let plain = try #require(unaccented[id])
            var found = Set<Int>()
            for text in [doc.text, doc.title ?? ""] {
                var t = text
                t.withUTF8 { Analyzer().analyze($0) { tok in
                    for k in matchers.indices where matchers[k].matches(term: tok.term, foldedCount: tok.foldedCount, unaccented: plain) { found.insert(k) }
                } }
            }
            return found.count
        }
        let counts = try r.hits.map { try held($0.id) }
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 >= $1 }, "\(counts)")
        #expect(Set(counts).count > 1, "\(counts)")
    }

    /// Documents drop tokens longer than the analyzer's limit, so such a query word is held by no
    /// document: it is not silently dropped from "all words must occur".
    @Test func aWordTooLongToIndexMatchesNothing() throws {
        let long = String(repeating: "a", count: Analyzer.maxTokenBytes + 10)
        let plain = try search("kiến")
        let beside = try search("\(long) kiến")
        #expect(plain.total > 0 && !plain.relaxed)
        #expect(beside.relaxed && beside.total == plain.total)
        #expect(try search(long).total == 0)
        #expect(try search("\"kiến \(long)\"").total == 0)
        #expect(try search("kiến -\(long)").total == plain.total)
    }

    @Test(arguments: ["", "   ", "\"kiến nghị", "-kiến", "-\"tổ dân phố\"", "kiến OR", "OR kiến"])
    func malformedQueriesAreErrors(q: String) {
        #expect(throws: SearchError.self) { try search(q) }
    }

    @Test func anyModeRanksPartialMatches() throws {
        let all = try search("kiến nghị cử tri ngân sách")
        let any = try search("kiến nghị cử tri ngân sách") { $0.match = .any }
        #expect(any.total > all.total)
        #expect(Set(all.hits.map(\.id)).isSubset(of: Set(any.hits.map(\.id))))
    }

    /// A one-word query's candidates are scored in one pass (CVNRank); `--match any` scores the
    /// same word through the general evaluator: the same documents, order and score bits.
    @Test(arguments: ["phường", "thuy", "Thủy", "hoạch", "nghị", "HĐND", "cử"])
    func oneWordScoresAsTheGeneralEvaluatorDoes(word: String) throws {
        let all = try search(word)
        let any = try search(word) { $0.match = .any }
        #expect(all.total > 0 && all.total == any.total)
        #expect(all.hits.map(\.id) == any.hits.map(\.id))
        #expect(all.hits.map(\.score) == any.hits.map(\.score))
    }

    @Test func titleMatchesWeighMore() throws {
        // Same words: a document whose title holds them ranks above one that only mentions them.
        let r = try search("chuyển đổi số")
        let first = try #require(r.hits.first)
        #expect(first.title.map { Analyzer_folded($0).contains("chuyen doi so") } == true)
    }
}

func Analyzer_folded(_ s: String) -> String {
    VNAnalysisFold.fold(s)
}

import VNAnalysis
enum VNAnalysisFold {
    static func fold(_ s: String) -> String { Analyzer().analyze(s).map(\.key.folded).joined(separator: " ") }
    static func keys(_ s: String) -> [String] { Analyzer().analyze(s).map(\.key.description) }
}

@Suite("Documents typed without diacritics")
struct UnaccentedDocumentTests {
    @Test func onlyDocumentsTypedWithoutDiacriticsMatchAccentedQueriesByFoldedKey() throws {
        let corpus = temporaryFolder("unaccented-corpus")
        let index = temporaryFolder("unaccented-index")
        // Ordinary: fully accented, with one stray unaccented "thuy duong".
        let ordinary = "Báo cáo của Ủy ban nhân dân phường về tình hình kinh tế xã hội năm nay. "
            + String(repeating: "Hội đồng nhân dân phường đã họp và thông qua nghị quyết. ", count: 5) + "Ghi chú: thuy duong."
        // Typed without diacritics: at least 20 word syllables, none marked.
        let plain = "Thuong truc HDND phuong Thuy Duong lam viec voi UBND phuong ve ket qua giai quyet kien nghi cu tri "
            + "sau cac ky hop nam 2020 tai hoi truong phuong."
        try ordinary.write(toFile: corpus + "/ordinary.txt", atomically: true, encoding: .utf8)
        try plain.write(toFile: corpus + "/plain.txt", atomically: true, encoding: .utf8)
        var options = BuildOptions(corpus: corpus, index: index)
        options.full = true
        _ = try IndexBuilder.build(options)
        let searcher = Searcher(reader: try IndexReader(directory: IndexDirectory(path: index)))
        #expect(try searcher.search("\"Thủy Dương\"").hits.map(\.id) == ["plain.txt"])
        #expect(Set(try searcher.search("\"thuy duong\"").hits.map(\.id)) == ["ordinary.txt", "plain.txt"])
        #expect(try searcher.search("\"kiến nghị cử tri\"").hits.map(\.id) == ["plain.txt"])
        // The snippet of the plain document highlights what it says.
        let hit = try #require(try searcher.search("\"Thủy Dương\"").hits.first)
        let s = try #require(hit.snippets.first)
        let scalars = Array(s.text.unicodeScalars)
        let marked = s.highlights.map { h -> String in var v = String.UnicodeScalarView(); v.append(contentsOf: scalars[h[0]..<h[1]]); return String(v) }
        #expect(marked == ["Thuy Duong"])
    }

    /// A short note is typed without diacritics when five word syllables or more carry no mark at
    /// all; fewer, or one mark among them, and it keeps its exact keys.
    @Test func shortNotesWithoutAnyMarkAreTypedWithoutDiacritics() throws {
        let reader = try temporaryIndex("short-unaccented", [("six.txt", "Thuy Duong kien nghi cu tri"), ("four.txt", "Thuy Duong kien nghi"),
                                                             ("marked.txt", "Thuy Duong kiến nghi cu tri")])
        #expect(try Searcher(reader: reader).search("\"Thủy Dương\"").hits.map(\.id) == ["six.txt"])
        #expect(try Searcher(reader: reader).search("\"thuy duong\"").total == 3)
        #expect(try MentionFinder(reader: reader).find("Thủy Dương").mentions.map(\.id) == ["six.txt"])
    }
}

@Suite("Nightly updates keep the index small and right")
struct MergePolicyTests {
    /// Documents deleted by an update wait for a merge, but ranking no longer counts them: an
    /// updated index scores every hit as a full build of the same files does (df and the average
    /// lengths are the live documents').
    @Test func scoresAfterAnUpdateAreAFullBuilds() throws {
        let corpus = temporaryFolder("live-stats-corpus"), updated = temporaryFolder("live-stats-updated")
        func write(_ name: String, _ text: String) throws { try text.write(toFile: corpus + "/" + name, atomically: true, encoding: .utf8) }
        for i in 0..<400 {
            let rare = i % 10 == 0 ? " Từ hiếmgặp xuất hiện ở đây." : ""
            try write("d\(i).txt", "Báo cáo số \(i) của phường Thủy Dương về kiến nghị cử tri." + rare
                      + String(repeating: " Hội đồng nhân dân phường họp.", count: i % 7))
        }
        var options = BuildOptions(corpus: corpus, index: updated)
        options.full = true
        _ = try IndexBuilder.build(options)
        for i in stride(from: 10, to: 400, by: 10) { try FileManager.default.removeItem(atPath: corpus + "/d\(i).txt") }
        options.full = false
        _ = try IndexBuilder.build(options)
        let after = try IndexReader(directory: IndexDirectory(path: updated))
        #expect(after.deletions.contains { ($0?.count ?? 0) > 0 }, "the deletions should await a merge here")
        let full = temporaryFolder("live-stats-full")
        var fresh = BuildOptions(corpus: corpus, index: full)
        fresh.full = true
        _ = try IndexBuilder.build(fresh)
        let rebuilt = try IndexReader(directory: IndexDirectory(path: full))
        for q in ["hiếmgặp", "phường họp", "kiến nghị cử tri", "\"hội đồng\" -hiếmgặp"] {
            var o = SearchOptions(); o.limit = 1000
            let a = try Searcher(reader: after).search(q, options: o), b = try Searcher(reader: rebuilt).search(q, options: o)
            #expect(a.total == b.total, "\(q)")
            let scores = Dictionary(uniqueKeysWithValues: b.hits.map { ($0.id, $0.score) })
            for h in a.hits { #expect(abs(h.score - (scores[h.id] ?? -1)) < 1e-4, "\(q): \(h.id) \(h.score) vs \(scores[h.id] ?? -1)") }
        }
    }

    @Test func manyIncrementalRunsStayBelowTheSegmentLimitAndFindEverything() throws {
        let corpus = temporaryFolder("tiered-corpus")
        let index = temporaryFolder("tiered-index")
        func write(_ name: String, _ text: String) throws { try text.write(toFile: corpus + "/" + name, atomically: true, encoding: .utf8) }
        for i in 0..<30 { try write("base-\(i).txt", "Báo cáo số \(i) của Ủy ban nhân dân phường Thủy Dương về kiến nghị cử tri.") }
        var options = BuildOptions(corpus: corpus, index: index)
        options.full = true
        _ = try IndexBuilder.build(options)
        options.full = false
        for night in 0..<14 {
            try write("night-\(night).txt", "Tin tức đêm \(night): Hội đồng nhân dân họp bàn kế hoạch zebra\(night).")
            try FileManager.default.removeItem(atPath: corpus + "/base-\(night).txt")
            let s = try IndexBuilder.build(options)
            #expect(s.added == 1 && s.removed == 1, "night \(night): \(s.added) added, \(s.removed) removed")
            #expect(s.segments <= IndexBuilder.maxSegments, "night \(night): \(s.segments) segments")
        }
        let reader = try IndexReader(directory: IndexDirectory(path: index))
        #expect(reader.documentCount == 30)
        let searcher = Searcher(reader: reader)
        for night in 0..<14 { #expect(try searcher.search("zebra\(night)").hits.map(\.id) == ["night-\(night).txt"]) }
        #expect(try searcher.search("\"báo cáo số 3\"").hits.isEmpty)     // deleted on night 3
        #expect(try searcher.search("\"báo cáo số 20\"").total == 1)
    }
}

@Suite("Random queries")
struct RandomQueryTests {
    /// Whatever a user types, a query either parses and runs, or is a SearchError (exit 2) — never a crash.
    @Test func randomQueriesNeverCrash() throws {
        let pieces = ["kiến", "nghị", "cử", "tri", "\"", "-", "OR", "or", " ", "  ", "Thủy", "thuy", "Dương", "“", "”",
                      "07/KH-TTHĐND", "(", ")", "*", "HĐND", "-\"", "\"\"", "ǹ", "\u{301}", "\u{AD}", "1.030", "đ"]
        var rng = SystemRandomNumberGenerator()
        let searcher = Searcher(reader: bundledIndex)
        for _ in 0..<300 {
            let q = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            var options = SearchOptions()
            options.match = Bool.random(using: &rng) ? .all : .any
            do {
                let r = try searcher.search(q, options: options)
                #expect(r.hits.count <= 10 && r.total >= r.hits.count)
            } catch is SearchError {
                // a malformed query: reported to the user with exit status 2
            }
        }
    }
}

@Suite("Touched files")
struct TouchedFileTests {
    @Test func aTouchedFileIsReadOnceThenSkipped() throws {
        let corpus = temporaryFolder("touch-corpus")
        let index = temporaryFolder("touch-index")
        for i in 0..<5 { try "Kế hoạch số \(i) về kiến nghị cử tri".write(toFile: corpus + "/kh-\(i).txt", atomically: true, encoding: .utf8) }
        var options = BuildOptions(corpus: corpus, index: index)
        options.full = true
        _ = try IndexBuilder.build(options)
        options.full = false
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: corpus + "/kh-2.txt")
        let first = try IndexBuilder.build(options)
        #expect(first.unchanged == 5 && first.added == 0 && first.updated == 0 && first.removed == 0)
        #expect(first.bytesRead > 0)   // the touched file was read to compare its content
        let second = try IndexBuilder.build(options)
        #expect(second.unchanged == 5 && second.bytesRead == 0, "the refreshed record should make the file skip unread")
        let r = try Searcher(reader: try IndexReader(directory: IndexDirectory(path: index))).search("\"kế hoạch số 2\"")
        #expect(r.hits.map(\.id) == ["kh-2.txt"])
    }
}

@Suite("Phrase marks")
struct PhraseMarksTests {
    /// Brute force: starts p of the first list with list k holding p + k for every k.
    private func occurrences(_ lists: [[Int32]]) -> Int {
        guard let first = lists.first else { return 0 }
        return first.filter { p in lists.indices.allSatisfy { lists[$0].contains(p + Int32($0)) } }.count
    }

    private func withBuffers<R>(_ arrays: [[Int32]], _ body: ([UnsafeBufferPointer<Int32>]) throws -> R) rethrows -> R {
        func go(_ i: Int, _ acc: [UnsafeBufferPointer<Int32>]) throws -> R {
            if i == arrays.count { return try body(acc) }
            return try arrays[i].withUnsafeBufferPointer { try go(i + 1, acc + [$0]) }
        }
        return try go(0, [])
    }

    /// Random documents, each term's positions shuffled (variants arrive in any order), one marks
    /// object reused across documents as search reuses it: the count is the brute-force count.
    @Test func countsEveryPlaceThePhraseOccursWhateverTheOrder() {
        let marks = PhraseMarks(capacity: 8)  // small, so that growing is exercised
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let length = Int.random(in: 1...300, using: &rng)
            let vocabulary = Int.random(in: 1...4, using: &rng)
            let doc = (0..<length).map { _ in Int.random(in: 0..<vocabulary, using: &rng) }
            let phrase = (0..<Int.random(in: 1...4, using: &rng)).map { _ in Int.random(in: 0..<vocabulary, using: &rng) }
            let lists = phrase.map { t in doc.indices.filter { doc[$0] == t }.map(Int32.init).shuffled(using: &rng) }
            let got = withBuffers(lists) { try? marks.count($0, length: length) }
            #expect(got == occurrences(lists), "doc \(doc) phrase \(phrase)")
            if lists.count == 2 {
                let pairs = withBuffers(lists) { try? marks.count($0[0], $0[1], length: length) }
                #expect(pairs == occurrences(lists), "doc \(doc) pair \(phrase)")
            }
        }
    }

    /// Damaged positions (one past the document's end, however far) are reported, and the marks
    /// never grow towards them.
    @Test func aPositionPastTheDocumentIsDamage() {
        let marks = PhraseMarks(capacity: 8)
        for bad: Int32 in [10, 1_000, Int32.max - 1] {
            #expect(throws: PhraseMarks.PositionPastEnd.self) { try withBuffers([[1, bad], [2]]) { try marks.count($0, length: 10) } }
            #expect(throws: PhraseMarks.PositionPastEnd.self) { try withBuffers([[bad], [2]]) { try marks.count($0[0], $0[1], length: 10) } }
        }
        #expect(marks.raw.capacity == 8)
        #expect(withBuffers([[1, 9], [2, 10]]) { try? marks.count($0, length: 11) } == 2)
    }
}

@Suite("Matching on two threads")
struct ParallelSearchTests {
    /// The bundled corpus indexed into two segments and a deletion, whatever the scheduling: a
    /// copy without every fifth file indexed in full (under 64 files: one writer, one segment),
    /// then those files put back and another removed, indexed incrementally (a second segment).
    static let segmented: IndexReader = {
        let fm = FileManager.default
        let corpus = temporaryFolder("segmented-corpus") + "/corpus", dir = temporaryFolder("segmented-index")
        try! fm.copyItem(atPath: corpusPath, toPath: corpus)
        let files = CorpusScanner(root: corpus).scan().files.map(\.id).filter { $0 != "README.md" }.sorted()
        let held = stride(from: 0, to: files.count, by: 5).map { files[$0] }
        let stash = temporaryFolder("segmented-held")
        for (k, id) in held.enumerated() { try! fm.moveItem(atPath: corpus + "/" + id, toPath: stash + "/\(k)") }
        var options = BuildOptions(corpus: corpus, index: dir)
        options.full = true
        _ = try! IndexBuilder.build(options)
        for (k, id) in held.enumerated() { try! fm.moveItem(atPath: stash + "/\(k)", toPath: corpus + "/" + id) }
        try! fm.removeItem(atPath: corpus + "/" + files[1])
        options.full = false
        _ = try! IndexBuilder.build(options)
        return try! IndexReader(directory: IndexDirectory(path: dir))
    }()

    /// Segments matched and re-ranked on two threads give exactly what one thread gives: the same
    /// total, the same hits in the same order with the same scores and snippets, for every kind of
    /// query (AND, phrases, OR, exclusions, --match any, relaxed, filters, paging).
    @Test func twoThreadsAnswerExactlyAsOne() throws {
        let index = Self.segmented
        #expect(index.segments.count >= 2 && index.deletions.contains { $0 != nil },
                "the test needs several segments and a deletion, got \(index.segments.count) segments")
        let queries = ["kiến nghị cử tri", "kien nghi cu tri", "\"kiến nghị cử tri\"", "Thủy Dương", "thuy duong",
                       "\"kỳ họp\" HĐND -\"tổ dân phố\"", "hội nghị OR hội thảo", "phường -Thủy", "ủy ban nhân dân",
                       "kế hoạch zzzz", "nghị quyết", "tổ chức", "\"tổ dân phố\" ngày"]
        let one = Searcher(reader: index), two = Searcher(reader: index)
        for q in queries {
            for match in MatchMode.allCases {
                for (kind, offset) in [(nil, 0), (DocumentKind.plan, 0), (nil, 3)] as [(DocumentKind?, Int)] {
                    var o = SearchOptions()
                    o.match = match; o.kind = kind; o.offset = offset; o.limit = 20
                    o.threads = 1
                    let a = try one.search(q, options: o)
                    o.threads = 2; o.parallelMinimumDocuments = 0
                    let b = try two.search(q, options: o)
                    let label = "\(q) \(match) \(String(describing: kind)) offset \(offset)"
                    #expect(a.total == b.total && a.relaxed == b.relaxed, "\(label)")
                    #expect(a.hits.map(\.id) == b.hits.map(\.id), "\(label)")
                    #expect(a.hits.map(\.score) == b.hits.map(\.score), "\(label)")
                    #expect(a.hits.map(\.snippets) == b.hits.map(\.snippets), "\(label)")
                }
            }
        }
    }
}

@Suite("Merging a syllable's variants")
struct VariantUnionTests {
    /// Distinct ascending ordinals below 3,000, as many as drawn from `sizes`.
    static func randomDocs(_ sizes: ClosedRange<Int>, _ rng: inout SystemRandomNumberGenerator) -> [Int32] {
        Array(Set((0..<Int.random(in: sizes, using: &rng)).map { _ in Int32.random(in: 0..<3_000, using: &rng) })).sorted()
    }

    /// Postings lists, as many as drawn from `lists`: each `randomDocs(sizes)` with frequencies
    /// from 1 to `maxFrequency`.
    static func randomLists(_ lists: ClosedRange<Int>, sizes: ClosedRange<Int>, maxFrequency: Int32,
                            _ rng: inout SystemRandomNumberGenerator) -> [([Int32], [Int32])] {
        (0..<Int.random(in: lists, using: &rng)).map { _ in
            let docs = randomDocs(sizes, &rng)
            return (docs, docs.map { _ in Int32.random(in: 1...maxFrequency, using: &rng) })
        }
    }

    /// Random postings lists (ascending documents, frequencies ≥ 1): the one-pass union through
    /// per-document slots equals pairwise merging, and leaves its scratch clean for the next use.
    @Test func slotsMergeLikePairwiseMerges() {
        var rng = SystemRandomNumberGenerator()
        let scratch = UnionScratch(documents: 3_000)
        for _ in 0..<200 {
            let lists = Self.randomLists(3...12, sizes: 0...400, maxFrequency: 9, &rng)
            let merged = TermResolver.union(lists)  // no scratch: pairwise merges
            let slotted = scratch.union(lists.filter { !$0.0.isEmpty })
            #expect(slotted.0 == merged.0 && slotted.1 == merged.1)
        }
    }

    /// The union counts the documents of another list outside it (a title list: the term's df is
    /// the body's union plus those), and still leaves its scratch clean.
    @Test func unionCountsTheOtherListOutsideIt() {
        var rng = SystemRandomNumberGenerator()
        let scratch = UnionScratch(documents: 3_000)
        for _ in 0..<200 {
            let lists = Self.randomLists(3...6, sizes: 1...300, maxFrequency: 1, &rng)
            let title = Self.randomDocs(0...100, &rng)
            let (docs, _, outside) = scratch.union(lists, counting: title)
            #expect(outside == Set(title).subtracting(docs).count)
            #expect(scratch.union(lists).0 == docs)
        }
    }
}

@Suite("Intersecting postings lists")
struct IntersectTests {
    /// Random ascending lists of every size ratio (galloping when one is 16 times longer, else the
    /// branch-free merge, either argument the short one): exactly the common documents, ascending.
    @Test func intersectionIsTheCommonDocuments() {
        var rng = SystemRandomNumberGenerator()
        func list(_ n: Int, below limit: Int32) -> [Int32] {
            Array(Set((0..<n).map { _ in Int32.random(in: 0..<limit, using: &rng) })).sorted()
        }
        for _ in 0..<500 {
            let limit = Int32.random(in: 1...5_000, using: &rng)
            let a = list(Int.random(in: 0...40, using: &rng), below: limit)
            let b = list(Int.random(in: 0...(Bool.random(using: &rng) ? 40 : 3_000), using: &rng), below: limit)
            let expected = Set(a).intersection(b).sorted()
            #expect(Searcher.intersect(a, b) == expected)
            #expect(Searcher.intersect(b, a) == expected)
        }
    }
}

@Suite("Document bitmaps")
struct DocBitmapTests {
    /// Ascending lists set into a cleared bitmap a word at a time hold exactly their documents —
    /// sparse, dense (many in one word), at both ends — and a second list ORed in keeps both.
    @Test func aListSetIntoAClearedBitmapHoldsItsDocuments() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let documents = Int.random(in: 1...3_000, using: &rng)
            let density = [0.002, 0.1, 0.6, 1.0].randomElement(using: &rng)!
            let a = (0..<Int32(documents)).filter { _ in Double.random(in: 0..<1, using: &rng) < density }
            let b = (0..<Int32(documents)).filter { _ in Int.random(in: 0..<50, using: &rng) == 0 }
            let bits = DocBitmap(documents: documents)
            a.withUnsafeBufferPointer { bits.insertIntoCleared($0) }
            #expect((0..<Int32(documents)).filter { bits.contains($0) } == a)
            b.withUnsafeBufferPointer { bits.insert($0) }
            #expect((0..<Int32(documents)).filter { bits.contains($0) } == Set(a).union(b).sorted())
            bits.clear()
            #expect(!(0..<Int32(documents)).contains { bits.contains($0) })
        }
    }
}

@Suite("Positions of the re-ranked documents")
struct PoolPositionTests {
    /// Positions read for a few documents by galloping through each variant give, document by
    /// document, the same positions (as a set: variants come one after another) as the phrase
    /// matcher's stream that walks every document — for syllables with many variants, and for
    /// documents that hold several of them.
    @Test(arguments: ["co", "thuy", "hoa", "nghi", "dan", "kiến", "ke"])
    func poolPositionsMatchTheStreamedOnes(_ syllable: String) throws {
        let key = try #require(Analyzer().analyze(syllable).first).key
        var checked = 0, absent = 0
        for segment in bundledIndex.segments {
            let term = try TermResolver.resolve(key, in: segment)
            for stride in [1, 3, 7] {
                // Some of the term's documents, and between them documents that hold none of its
                // variants (the pool has both).
                let held = Set(term.docs)
                let docs = term.docs.enumerated().filter { $0.offset % stride == stride / 2 }.map(\.element)
                    .flatMap { d in held.contains(d + 1) ? [d] : [d, d + 1] }
                    .filter { $0 < Int32(segment.documentCount) }
                var flat: [Int32] = [], bounds: [Int] = []
                flat.append(contentsOf: [-7, -7])  // the lists are appended after what is there
                try docs.withUnsafeBufferPointer { try term.positions(of: $0, in: segment, into: &flat, bounds: &bounds) }
                #expect(bounds.count == docs.count + 1 && bounds.first == 2 && bounds.last == flat.count)
                let stream = TermPositions(term, in: segment)
                for (k, d) in docs.enumerated() {
                    let expected = try stream.unsortedPositions(of: d).sorted()
                    #expect(flat[bounds[k]..<bounds[k + 1]].sorted() == expected, "\(syllable) doc \(d)")
                    #expect(expected.isEmpty == !held.contains(d))
                    checked += held.contains(d) ? 1 : 0
                    absent += held.contains(d) ? 0 : 1
                }
            }
        }
        #expect(checked > 0 && absent > 0)
    }
}

@Suite("Top k")
struct TopKTests {
    /// Random scores (many ties, some zero) in several segments pushed in bulk: the kept set is
    /// the first k by score, then segment, then document, and every candidate is counted —
    /// however many share the k-th score (lists of up to 900, so the histogram's cut is taken).
    @Test func keepsTheBestKLikeASort() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let k = Int.random(in: 1...60, using: &rng)
            var top = TopK(k)
            var all: [Searcher.Candidate] = []
            for segment in 0..<Int.random(in: 1...4, using: &rng) {
                let n = Int.random(in: 0...900, using: &rng)
                let docs = (0..<n).map { Int32($0 * 3) }
                let levels = Float(Int.random(in: 1...50, using: &rng))
                let scores = docs.map { _ in Float(Int.random(in: 0...Int(levels), using: &rng)) / levels * 7.5 }
                // The best score given (as the one-word kernel returns it) or found by the top k.
                let best = Bool.random(using: &rng) ? scores.max() : nil
                docs.withUnsafeBufferPointer { d in scores.withUnsafeBufferPointer { top.push(segment: segment, docs: d, scores: $0, best: best) } }
                all += zip(docs, scores).map { Searcher.Candidate(segment: segment, doc: $0.0, score: $0.1) }
            }
            let expected = all.sorted { TopK.worse($1, $0) }.prefix(k)
            let key = { (c: Searcher.Candidate) in "\(c.segment)/\(c.doc)" }
            #expect(Set(top.best.map(key)) == Set(expected.map(key)))
            #expect(top.count == all.count)
            // The segments' candidates together (as the pool is chosen from the segments' bests).
            var pooled = TopK(k)
            pooled.push(all.shuffled(using: &rng))
            #expect(Set(pooled.best.map(key)) == Set(expected.map(key)))
            #expect(pooled.count == all.count)
        }
    }

    /// Ordering only the page of a pool (ties in tier, score and date common) gives the sorted
    /// pool's beginning through the run of equal keys that crosses the page's end.
    @Test func orderingThePageIsTheSortedPoolsBeginning() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let pool: [Searcher.Candidate] = (0..<Int.random(in: 0...300, using: &rng)).map { i in
                var c = Searcher.Candidate(segment: Int.random(in: 0...3, using: &rng), doc: Int32(i),
                                           score: Float(Int.random(in: 0...6, using: &rng)) / 2)
                c.tier = UInt8.random(in: 0...1, using: &rng)
                c.date = [0, 20240101, 20250101][Int.random(in: 0...2, using: &rng)]
                return c
            }
            let n = Int.random(in: 1...80, using: &rng)
            let got = Searcher.ordered(pool, first: n)
            let sorted = pool.sorted(by: Searcher.before)
            var end = min(n, sorted.count)
            if end > 0 {
                let last = sorted[end - 1]
                while end < sorted.count && sorted[end].tier == last.tier && sorted[end].score == last.score
                        && sorted[end].date == last.date { end += 1 }
            }
            let key = { (c: Searcher.Candidate) in "\(c.segment)/\(c.doc)" }
            #expect(got.prefix(end).map(key) == sorted.prefix(end).map(key), "n \(n) of \(pool.count)")
            #expect(got.count >= end)
        }
    }
}

@Suite("Paging at the extremes")
struct PagingExtremesTests {
    /// An offset and limit whose sum overflows: no hits, the total still counted, no trap.
    @Test func overflowingPagesAreEmpty() throws {
        let all = try search("thủy dương")
        for (offset, limit) in [(Int.max, 10), (10, Int.max), (Int.max - 5, 6)] {
            let r = try search("thủy dương") { $0.offset = offset; $0.limit = limit }
            #expect(r.total == all.total && r.total > 0)
            #expect(offset == 10 ? r.hits.count == max(0, all.total - 10) : r.hits.isEmpty)
        }
    }
}

@Suite("Two threads")
struct TwoThreadsTests {
    /// Each run calls both parts exactly once, and what the helper wrote is seen when run returns —
    /// over many runs back to back and after pauses, with the helper spinning between runs or not.
    @Test(arguments: [true, false])
    func bothPartsRunOnceAndTheirWritesAreSeen(stayReady: Bool) {
        let two = TwoThreads(stayReady: stayReady)
        var slots = [Int](repeating: 0, count: 2)
        for round in 1...3_000 {
            slots.withUnsafeMutableBufferPointer { s in
                nonisolated(unsafe) let s = s
                two.run { part in s[part] += round * (part + 1) }
            }
            #expect(slots[0] == round * (round + 1) / 2 && slots[1] == round * (round + 1), "round \(round)")
            if round % 1_000 == 0 { usleep(300_000) }
        }
    }

    /// A helper that has not begun its part when the caller's is done (here: asleep between runs,
    /// and the caller's part empty) does not hold the caller up: the caller runs part 1 itself.
    /// Without the take-over, part 1 would always run on the helper thread.
    @Test func theCallerTakesOverAPartTheHelperHasNotBegun() {
        let two = TwoThreads(stayReady: false)
        let caller = pthread_self()
        var onCaller = 0
        for _ in 0..<200 {
            var ranHere = false
            withUnsafeMutablePointer(to: &ranHere) { p in
                nonisolated(unsafe) let p = p
                two.run { part in if part == 1 { p.pointee = pthread_equal(pthread_self(), caller) != 0 } }
            }
            if ranHere { onCaller += 1 }
        }
        #expect(onCaller > 0)
    }

    /// Items claimed by both parts of a run are each claimed exactly once, and numbering starts
    /// again at 0 with every run.
    @Test(arguments: [true, false])
    func everyItemIsClaimedOnce(stayReady: Bool) {
        let two = TwoThreads(stayReady: stayReady)
        for _ in 0..<500 {
            var claimed = [Int](repeating: 0, count: 40)
            claimed.withUnsafeMutableBufferPointer { c in
                nonisolated(unsafe) let c = c
                two.run { _ in
                    while true {
                        let i = two.claim()
                        if i >= c.count { break }
                        c[i] += 1
                    }
                }
            }
            #expect(claimed.allSatisfy { $0 == 1 })
        }
    }
}
