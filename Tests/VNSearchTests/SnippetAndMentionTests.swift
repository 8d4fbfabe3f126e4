import Foundation
import Testing
import VNAnalysis
import VNIngest
import VNIndex
@testable import VNSearch

@Suite("Snippets show the original text with the matches marked")
struct SnippetTests {
    /// The highlighted slices of a snippet, as text.
    func marked(_ s: Snippet) -> [String] {
        let scalars = Array(s.text.unicodeScalars)
        return s.highlights.map { h in
            var v = String.UnicodeScalarView(); v.append(contentsOf: scalars[h[0]..<h[1]]); return String(v)
        }
    }

    @Test func highlightsCoverExactlyTheMatchedSyllables() throws {
        let r = try search("kiến nghị cử tri")
        for hit in r.hits.prefix(10) {
            #expect(!hit.snippets.isEmpty && hit.snippets.count <= 2)
            for s in hit.snippets {
                #expect(s.text.unicodeScalars.count <= 220)
                for m in marked(s) {
                    let keys = Analyzer().analyze(m).map(\.key.folded)
                    #expect(!keys.isEmpty && keys.allSatisfy { ["kien", "nghi", "cu", "tri"].contains($0) }, "\(m) in \(hit.id)")
                    #expect(m.first?.isWhitespace == false && m.last?.isWhitespace == false)
                }
            }
        }
    }

    @Test func nfdDocumentsAreHighlightedInTheirOwnForm() throws {
        let id = "nghi-quyet/2021/nq-12-hdnd-thuy-duong-nfd.txt"
        let hit = try #require(try search("\"Thủy Dương\"").hits.first { $0.id == id })
        let text = try #require(bundledDocuments.first { $0.id == id }).text
        let marks = hit.snippets.flatMap(marked)
        #expect(!marks.isEmpty)
        for m in marks {
            #expect(text.unicodeScalars.count > 0)
            #expect(m.unicodeScalars.contains { $0.properties.canonicalCombiningClass.rawValue > 0 } || m.allSatisfy(\.isASCII), "NFD marks kept in \(m)")
            // The slice is really in the document, byte for byte.
            #expect(text.utf8.count >= m.utf8.count && String(text).contains(m))
        }
    }

    @Test func oldTonePlacementIsShownAsWritten() throws {
        let id = "bao-cao/2019/bc-15-ubnd-thuy-duong-win1258-style.txt"
        let hit = try #require(try search("\"Thủy Dương\"").hits.first { $0.id == id })
        let marks = hit.snippets.flatMap(marked)
        // Written "Thuỷ" with a decomposed tone on the y: shown exactly so, as one run with "Dương".
        #expect(marks.contains { $0.unicodeScalars.starts(with: "Thuy\u{309} ".unicodeScalars) })
    }

    /// A match near the end (or start) of a document still gets a fragment of about 200
    /// characters, reaching back (or forward) for context, and "…" marks only text left out.
    @Test func fragmentsAtTheEdgesOfATextKeepTheirLength() throws {
        var edges = 0
        for q in ["\"Thúy Hằng\"", "ngân sách", "Thủy Dương", "kiến nghị cử tri"] {
            for hit in try search(q).hits {
                let doc = try #require(bundledDocuments.first { $0.id == hit.id })
                let whole = doc.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                for s in hit.snippets {
                    let core = String(s.text.trimmingCharacters(inSet: ["…"]))
                    #expect(whole.contains(core), "\(hit.id): \(s.text)")
                    #expect(whole.hasSuffix(core) != s.text.hasSuffix("…"), "\(hit.id): \(s.text)")
                    #expect(whole.hasPrefix(core) != s.text.hasPrefix("…"), "\(hit.id): \(s.text)")
                    if whole.hasSuffix(core) && hit.snippets.count == 1 {
                        edges += 1
                        #expect(core.unicodeScalars.count >= min(150, whole.unicodeScalars.count), "\(hit.id): \(s.text)")
                    }
                }
            }
        }
        #expect(edges > 0)
    }

    /// A syllable typed only inside a quoted phrase is highlighted where the phrase stands, never
    /// alone; a query typed without quotes shows the fragment where its words stand in order.
    @Test func phraseSyllablesAreMarkedOnlyInsideThePhrase() throws {
        let pad = Array(repeating: "văn bản đệm", count: 40).joined(separator: " ")
        let scattered = "Ý kiến của cử tri, nghị quyết và kiến thức, cử nhân, tri thức. Cuộc họp bàn kỳ sau. "
        let text = scattered + pad + " " + scattered + pad + " Cuối cùng: tổng hợp kiến nghị cử tri gửi kỳ họp. " + pad + "\n"
        let searcher = Searcher(reader: try temporaryIndex("phrase-snippet", [("p.txt", text)]))
        func marks(_ q: String) throws -> [String] { try #require(try searcher.search(q).hits.first).snippets.flatMap(marked) }

        #expect(try marks("\"kiến nghị cử tri\"") == ["kiến nghị cử tri"])
        let mixed = try marks("\"kỳ họp\" kiến")
        #expect(mixed.contains("kỳ họp") && mixed.filter { $0 == "kiến" }.count >= 2, "\(mixed)")
        #expect(!mixed.contains("họp") && !mixed.contains("kỳ"), "\(mixed)")
        #expect(try marks("kiến nghị cử tri").contains("kiến nghị cử tri"))
    }

    /// A match a few words into a text: its fragment opens at the text's start, not "…" a word in.
    @Test func aFragmentNearTheStartOpensAtIt() {
        let text = "Thường trực HĐND thị xã Hương Thủy tổ chức đoàn giám sát việc giải quyết kiến nghị cử tri tại phường Thủy Dương. "
            + String(repeating: "Nội dung khác của báo cáo. ", count: 30)
        let terms = Analyzer().analyze("giám sát").map(\.key)
        let s = SnippetGenerator().snippets(text: Array(text.utf8), terms: terms, unaccented: false)
        #expect(s.first?.text.hasPrefix("Thường trực HĐND thị xã Hương Thủy tổ chức đoàn giám sát") == true, "\(s.first?.text ?? "")")
    }

    @Test func fragmentsAreCutAtWordBoundaries() throws {
        for hit in try search("ngân sách").hits.prefix(5) {
            for s in hit.snippets {
                let t = s.text
                if t.hasPrefix("…") { #expect(!t.dropFirst().hasPrefix(" ")) }
                let doc = try #require(bundledDocuments.first { $0.id == hit.id })
                let core = t.trimmingCharacters(inSet: ["…"])
                let words = core.split(separator: " ")
                if let first = words.first, t.hasPrefix("…") {
                    #expect(doc.text.contains(" " + first) || doc.text.contains("\n" + first) || doc.text.contains("\t" + first), "starts mid-word: \(first)")
                }
            }
        }
    }
}

@Suite("Mentions: every occurrence, nothing else")
struct MentionTests {
    /// Brute force over every document with the analyzer alone.
    func bruteForceCount(_ phrase: String) -> (mentions: Int, documents: Int) {
        let analyzer = Analyzer()
        let terms = analyzer.analyze(phrase).map(\.key)
        var mentions = 0, docs = 0
        for doc in bundledDocuments {
            let tokens = analyzer.analyze(doc.text)
            let unaccented = isTypedWithoutDiacritics(tokens)
            var here = 0
            if tokens.count >= terms.count {
                for i in 0...(tokens.count - terms.count)
                where (0..<terms.count).allSatisfy({ keyMatches(tokens[i + $0].key, terms[$0], unaccented: unaccented) }) { here += 1 }
            }
            mentions += here
            if here > 0 { docs += 1 }
        }
        return (mentions, docs)
    }

    @Test(arguments: ["Thủy Dương", "thuy duong", "Thuỷ Dương", "kiến nghị cử tri", "HĐND", "Dương Hòa"])
    func recallIsCompleteAgainstABruteForceScan(phrase: String) throws {
        let r = try MentionFinder(reader: bundledIndex).find(phrase)
        let expected = bruteForceCount(phrase)
        #expect(r.mentions.count == expected.mentions)
        #expect(r.documents == expected.documents)
        #expect(expected.mentions > 0)
    }

    @Test func linesAndColumnsPointAtTheMatch() throws {
        let r = try MentionFinder(reader: bundledIndex).find("Thủy Dương")
        for m in r.mentions {
            let doc = try #require(bundledDocuments.first { $0.id == m.id })
            // Lines split at LF only (a CRLF file keeps its CR at the end of each line).
            let lines = Array(doc.text.unicodeScalars).split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(lines[m.line - 1])
            var v = String.UnicodeScalarView(); v.append(contentsOf: line[(m.column - 1)..<(m.column - 1 + m.match.unicodeScalars.count)])
            #expect(String(v) == m.match)
            #expect(Analyzer().analyze(m.match).map(\.key.folded) == ["thuy", "duong"])
        }
    }

    /// A text that is one long line: every mention is found, each with a stretch of the line as its
    /// context (a few hundred bytes, cut at spaces), which stands in the line at `contextColumn`
    /// and holds the match at `column - contextColumn`; a short line is its whole context. And an
    /// old Mac text (lines ending in CR alone) has its lines.
    @Test func longLinesGiveBoundedContextsAndCarriageReturnsEndLines() throws {
        let long = Array(repeating: "văn bản đệm kiến nghị cử tri của phường", count: 3_000).joined(separator: " ")
        let finder = MentionFinder(reader: try temporaryIndex("long-line", [("long.txt", long + "\nDòng ngắn về kiến nghị cử tri.\n"),
                                                                            ("mac.txt", "Dòng một\rPhường Thủy Dương họp\rDòng ba, kiến nghị cử tri\r")]))
        let r = try finder.find("kiến nghị cử tri")
        let inLong = r.mentions.filter { $0.id == "long.txt" }
        #expect(inLong.count == 3_001)
        let lines = [Array(long.unicodeScalars), Array("Dòng ngắn về kiến nghị cử tri.".unicodeScalars)]
        for m in inLong {
            let line = lines[m.line - 1]
            let context = Array(m.context.unicodeScalars), match = Array(m.match.unicodeScalars)
            #expect(Array(line[(m.contextColumn - 1)..<(m.contextColumn - 1 + context.count)]) == context)
            let at = m.column - m.contextColumn
            #expect(Array(context[at..<(at + match.count)]) == match)
            #expect(m.context.utf8.count <= 2 * TextPositions.contextReach + m.match.utf8.count)
        }
        let short = try #require(inLong.last)
        #expect(short.line == 2 && short.context == "Dòng ngắn về kiến nghị cử tri." && short.contextColumn == 1)
        let mac = try finder.find("Thủy Dương").mentions
        #expect(mac.map { [$0.line, $0.column] } == [[2, 8]] && mac.first?.context == "Phường Thủy Dương họp")
        #expect(r.mentions.filter { $0.id == "mac.txt" }.map(\.line) == [3])
    }

    /// Documents drop words longer than 120 bytes, so a phrase holding one occurs nowhere, as in
    /// search: leaving the word out would report the shorter phrase around it.
    @Test func aWordTooLongToIndexMatchesNothing() throws {
        let long = String(repeating: "a", count: Analyzer.maxTokenBytes + 1)
        let finder = MentionFinder(reader: bundledIndex)
        #expect(try finder.find("Thủy Dương").mentions.count > 0)
        #expect(try finder.find("thủy \(long) dương").mentions.isEmpty)
        #expect(try finder.find(long).mentions.isEmpty)
        #expect(try search("\"thủy \(long) dương\"").total == 0)
    }

    /// A pasted passage longer than 64 syllables is found where it stands, as search finds it.
    @Test func longPassagesAreFound() throws {
        let doc = try #require(bundledDocuments.first { Analyzer().analyze($0.text).count > 120 })
        let passage = doc.text.split(whereSeparator: \.isWhitespace).prefix(90).joined(separator: " ")
        #expect(Analyzer().analyze(passage).count > 64)
        let r = try MentionFinder(reader: bundledIndex).find(passage)
        #expect(r.mentions.contains { $0.id == doc.id && $0.line == 1 })
        #expect(r.mentions.count == bruteForceCount(passage).mentions)
    }

    @Test func jsonShapeIsTheContract() throws {
        let json = try MentionFinder(reader: bundledIndex).find("Thủy Dương").json.text
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(obj.keys) == ["query", "total", "documents", "mentions"])
        let first = try #require((obj["mentions"] as? [[String: Any]])?.first)
        #expect(Set(first.keys) == ["id", "line", "column", "match", "context", "context_column"])
    }
}

@Suite("JSON contract of search")
struct SearchJSONTests {
    @Test func shape() throws {
        let json = try search("kiến nghị cử tri") { $0.limit = 3 }.json.text
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(obj.keys) == ["query", "total", "relaxed", "took_ms", "hits"])
        #expect(obj["total"] as? Int ?? 0 > 3)
        let hits = try #require(obj["hits"] as? [[String: Any]])
        #expect(hits.count == 3)
        for h in hits {
            #expect(Set(h.keys) == ["id", "title", "kind", "date", "number", "score", "snippets"])
            #expect(["plan", "report", "resolution", "news", "other"].contains(h["kind"] as? String ?? ""))
            if let d = h["date"] as? String { #expect(DocumentDate(iso: d) != nil) }
            let snippets = try #require(h["snippets"] as? [[String: Any]])
            for s in snippets {
                let text = try #require(s["text"] as? String)
                let n = text.unicodeScalars.count
                for pair in try #require(s["highlights"] as? [[Int]]) { #expect(pair.count == 2 && 0 <= pair[0] && pair[0] < pair[1] && pair[1] <= n) }
            }
        }
    }

    @Test func escapesControlCharactersAndQuotes() {
        #expect(JSON.string("a\"b\\c\nd\u{1}").text == #""a\"b\\c\nd\u0001""#)
        #expect(JSON.string("Thủy\u{2028}Dương\t").text == #""Thủy\u2028Dương\t""#)
        #expect(JSON.string("").text == #""""#)
        // Snippets are written from their bytes, escaped alike.
        #expect(JSON.utf8(Array("a\"b\\c\nd\u{1} Thủy\u{2028}".utf8)).text == #""a\"b\\c\nd\u0001 Thủy\u2028""#)
        #expect(JSON.object([("k\"", .utf8([])), ("n", .array([.int(-3), .double(1.5), .null, .bool(true)]))]).text
                == #"{"k\"":"","n":[-3,1.5,null,true]}"#)
    }
}

@Suite("Counting characters")
struct ScalarCountTests {
    /// Random Vietnamese, NFD marks, emoji and ASCII: the count of scalars starting in any byte range
    /// (counted eight bytes at a time) is what walking the range byte by byte gives.
    @Test func countsScalarsLikeAWalk() {
        let pieces = ["a", " ", "đ", "Thủy", "ệ", "e\u{302}\u{301}", "😀", "中", "\n", "\u{AD}"]
        var rng = SystemRandomNumberGenerator()
        for round in 0..<300 {
            // Some texts past 255 words of 8 bytes (the counter's inner run).
            let pieceCount = round % 10 == 0 ? Int.random(in: 600...2_000, using: &rng) : Int.random(in: 0...40, using: &rng)
            // And some of emoji alone: three bytes in four continue a scalar.
            let text = round % 50 == 5 ? String(repeating: "😀", count: 1_500)
                                       : (0..<pieceCount).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8)
            let from = Int.random(in: 0...bytes.count, using: &rng), to = Int.random(in: from...bytes.count, using: &rng)
            let walked = bytes[from..<to].filter { $0 & 0xC0 != 0x80 }.count
            let counted = bytes.withUnsafeBufferPointer { SnippetGenerator.scalarCount($0, from: from, to: to) }
            #expect(counted == walked, "\(text) [\(from), \(to))")
        }
    }

    /// Advancing n scalars (eight bytes at a time where it can) lands where a byte walk does: on
    /// the first byte of the (n + 1)-th scalar, or at the end.
    @Test func advancesLikeAWalk() {
        let pieces = ["a", " ", "đ", "Thủy", "ệ", "e\u{302}\u{301}", "😀", "中", "\n", "\u{AD}"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...60, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8)
            let leads = bytes.indices.filter { bytes[$0] & 0xC0 != 0x80 } + [bytes.count]
            let from = leads.randomElement(using: &rng)!, n = Int.random(in: 0...50, using: &rng)
            let after = leads.filter { $0 >= from }
            let walked = n < after.count ? after[n] : bytes.count
            let advanced = bytes.withUnsafeBufferPointer { SnippetGenerator.advance($0, from, n) }
            #expect(advanced == walked, "\(text) from \(from) by \(n)")
        }
    }
}

@Suite("Snippets find their matches from the index's positions")
struct SnippetFromPositionsTests {
    /// Every token of a text: position, byte range.
    func tokens(_ bytes: [UInt8]) -> [(position: Int, start: Int, end: Int)] {
        var out: [(position: Int, start: Int, end: Int)] = []
        bytes.withUnsafeBufferPointer { b in Analyzer().analyze(b) { t in out.append((t.position, t.start, t.end)) } }
        return out
    }

    /// Each bundled document's flags, with its title's and its text's keys (folded, in a document
    /// typed without diacritics) and their positions.
    func forEachBundledDocument(_ body: (_ id: String, _ flags: UInt8, _ title: [(key: [UInt8], position: Int)],
                                         _ text: [(key: [UInt8], position: Int)]) -> Void) throws {
        func keyed(_ text: String, folded: Bool) -> [(key: [UInt8], position: Int)] {
            var out: [(key: [UInt8], position: Int)] = []
            var t = text
            t.withUTF8 { Analyzer().analyze($0) { out.append((Array(folded ? $0.foldedPrefix : $0.term), $0.position)) } }
            return out
        }
        for seg in bundledIndex.segments {
            for d in 0..<seg.documentCount {
                let entry = seg.docEntry(d), info = try seg.docInfo(d)
                let folded = entry.flags & DocEntry.flagUnaccented != 0
                body(info.id, entry.flags, keyed(info.title ?? "", folded: folded), keyed(try seg.text(d), folded: folded))
            }
        }
    }

    /// A bundled document is marked "title in body" exactly when every key of its title is a key
    /// of its text. (Every bundled title lies in its text — first lines, `<h1>` headings; a
    /// `<title>` outside the text is the skeleton test's.)
    @Test func titleInBodyFlagMatchesTheKeys() throws {
        var flagged = 0
        try forEachBundledDocument { id, flags, title, text in
            let inBody = Set(title.map(\.key)).isSubset(of: Set(text.map(\.key)))
            #expect((flags & DocEntry.flagTitleInBody != 0) == inBody, "\(id)")
            if inBody { flagged += 1 }
        }
        #expect(flagged > 0)
    }

    /// A bundled document is marked "title in text" exactly when its title's keys stand in its
    /// text as a run at adjacent positions, or it has no title.
    @Test func titleInTextFlagMatchesTheKeys() throws {
        var flagged = 0
        try forEachBundledDocument { id, flags, title, text in
            let adjacent = title.indices.allSatisfy { title[$0].position == $0 }
            let inText = title.isEmpty || adjacent && text.indices.contains { k in
                k + title.count <= text.count && title.indices.allSatisfy { j in
                    text[k + j].key == title[j].key && text[k + j].position == text[k].position + j
                }
            }
            #expect((flags & DocEntry.flagTitleInText != 0) == inText, "\(id)")
            if inText { flagged += 1 }
        }
        #expect(flagged > 0)
    }

    /// The indexer's "title in text" flag on titles of every kind: a first line, an HTML `<title>`
    /// repeated in the text, one whose words the text has apart or in another order, a title in
    /// a document typed without diacritics, and no title.
    @Test func titleInTextFlagOnCraftedDocuments() throws {
        let plain = "Thuong truc HDND phuong Thuy Duong lam viec voi UBND phuong ve ket qua giai quyet kien nghi cu tri "
            + "sau cac ky hop nam 2020 tai hoi truong phuong."
        let files: [(name: String, text: String, inText: Bool)] = [
            ("first-line.txt", "Kế hoạch số 12\nKế hoạch số 12 về tổ dân phố.\n", true),
            ("repeated.html", "<html><head><title>Phường Thủy Dương họp</title></head><body><p>Hôm nay phường Thủy Dương họp.</p></body></html>", true),
            ("apart.html", "<html><head><title>Phường Thủy Dương</title></head><body><p>Dương và Thủy ở phường.</p></body></html>", false),
            ("other-tone.html", "<html><head><title>Phường Thùy Dương</title></head><body><p>Phường Thủy Dương họp.</p></body></html>", false),
            ("plain.html", "<html><head><title>Phuong Thuy Duong</title></head><body><p>\(plain)</p></body></html>", true),
            ("untitled.html", "<html><body><p>Không có tiêu đề.</p></body></html>", true),
        ]
        let reader = try temporaryIndex("title-flag", files.map { ($0.name, $0.text) })
        var seen: [String: Bool] = [:]
        for seg in reader.segments {
            for d in 0..<seg.documentCount { seen[try seg.docInfo(d).id] = seg.docEntry(d).flags & DocEntry.flagTitleInText != 0 }
        }
        #expect(seen == Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.inText) }))
    }

    /// The stored marks are exact, and walking from them finds every token of every bundled
    /// document at its position.
    @Test func storedMarksLeadToEveryToken() throws {
        let interval = DocInfo.tokenMarkInterval
        var marked = 0
        for seg in bundledIndex.segments {
            for d in 0..<seg.documentCount {
                let text = try seg.textBytes(d), info = try seg.docInfo(d)
                #expect(DocEntry.exactMarkInterval(flags: seg.docEntry(d).flags) == interval, "\(info.id)")
                #expect(seg.docEntry(d).flags & DocEntry.flagExactMarks == 0, "readers before marks every 8 must not follow them")
                let all = tokens(text)
                let last = all.last?.position ?? 0
                // Short documents need no mark; every other one has one per interval.
                #expect(info.tokenMarks.count == last / interval, "\(info.id)")
                if !info.tokenMarks.isEmpty { marked += 1 }
                for (k, m) in info.tokenMarks.enumerated() {
                    #expect(all.first { $0.position == (k + 1) * interval }?.start == m, "mark \(k) of \(info.id)")
                }
                var got: [(Int, Int)] = []
                text.withUnsafeBufferPointer { b in
                    all.map { Int32($0.position) }.withUnsafeBufferPointer { p in
                        info.tokenMarks.withUnsafeBufferPointer { m in
                            Analyzer().tokenSpans(in: b, at: p, marks: m, interval: interval) { _, s, e in got.append((s, e)) }
                        }
                    }
                }
                #expect(got.map(\.0) == all.map(\.start) && got.map(\.1) == all.map(\.end), "\(info.id)")
            }
        }
        #expect(marked > 40)
    }

    /// A mark must start the token at its position: where an overlong (dropped) token stands at a
    /// mark's position, the document gets no marks rather than one past it.
    @Test func marksAreExactOrNone() {
        #expect(DocInfo.tokenMarkInterval == 8)
        var marks = TokenMarks()
        for p in 0..<40 { marks.add(position: p, start: 10 * p) }
        #expect(marks.exact == [80, 160, 240, 320])
        var skipped = TokenMarks()
        for p in 0..<40 where p != 16 { skipped.add(position: p, start: 10 * p) }
        #expect(skipped.exact.isEmpty)
        var other = TokenMarks()
        for p in 0..<40 where p != 17 { other.add(position: p, start: 10 * p) }
        #expect(other.exact == [80, 160, 240, 320])
    }

    /// Records written before marks came every 8 tokens (flag bit 1, every 16) still give the
    /// whole text's snippets: their marks are followed at their own interval. Bit 3 takes
    /// precedence; no flag, no marks followed.
    @Test func marksEvery16AreReadAtTheirInterval() throws {
        #expect(DocEntry.exactMarkInterval(flags: DocEntry.flagExactMarks) == 16)
        #expect(DocEntry.exactMarkInterval(flags: DocEntry.flagExactMarksEvery8 | DocEntry.flagExactMarks) == 8)
        #expect(DocEntry.exactMarkInterval(flags: DocEntry.flagUnaccented) == nil)
        let query = "cử tri"
        let r = try search(query) { $0.limit = 20 }
        let terms = try QueryParser.parse(query, analyzer: Analyzer()).terms
        var checked = 0
        for hit in r.hits {
            let (seg, d) = try #require(locate(hit.id))
            let text = try seg.textBytes(d)
            let all = tokens(text)
            let matchers = terms.map(TermMatcher.init)
            // The hit's matches as the index gives them: positions and the term each matches.
            var positions: [Int32] = [], which: [Int] = []
            var bytes = text
            bytes.withUnsafeMutableBufferPointer { b in
                Analyzer().analyze(UnsafeBufferPointer(b)) { t in
                    if let k = matchers.firstIndex(where: { $0.matches(term: t.term, foldedCount: t.foldedCount, unaccented: false) }) {
                        positions.append(Int32(t.position)); which.append(k)
                    }
                }
            }
            var marks16: [Int] = []
            var p = 16
            while let t = all.first(where: { $0.position == p }) { marks16.append(t.start); p += 16 }
            let got = SnippetGenerator().snippets(text: text, matches: MatchPositions(positions: positions, terms: which),
                                                  marks: marks16, interval: 16)
            #expect(got == SnippetGenerator().snippets(text: text, terms: terms, unaccented: false), "\(hit.id)")
            if marks16.count > 2 { checked += 1 }
        }
        #expect(checked > 3)
    }

    @Test(arguments: ["kiến nghị cử tri", "\"Thủy Dương\" HĐND", "thuy duong", "kỳ họp thứ", "ngân sách OR dự toán", "cử tri -\"tổ dân phố\"",
                      "hoa", "thu", "nhan dan", "cu tri", "\"kiến nghị cử tri\"", "thuy \"Thủy Dương\"", "\"kỳ họp\" kỳ", "\"cử tri\" OR \"tiếp xúc\""])
    func snippetsFromPositionsAreThoseOfTheWholeText(query: String) throws {
        let r = try search(query) { $0.limit = 20 }
        #expect(!r.hits.isEmpty)
        let parsed = try QueryParser.parse(query, analyzer: Analyzer())
        for hit in r.hits {
            let (seg, d) = try #require(locate(hit.id))
            let whole = SnippetGenerator().snippets(text: try seg.textBytes(d), terms: parsed.terms,
                                                    unaccented: seg.docEntry(d).flags & DocEntry.flagUnaccented != 0, phrases: parsed.phraseRanges)
            #expect(hit.snippets == whole, "\(hit.id)")
        }
    }

    func locate(_ id: String) -> (SegmentReader, Int)? {
        for seg in bundledIndex.segments {
            for d in 0..<seg.documentCount where (try? seg.docInfo(d).id) == id { return (seg, d) }
        }
        return nil
    }
}
