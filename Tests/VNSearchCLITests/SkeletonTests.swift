import Foundation
import Testing

/// Contract 1: every command end to end on the bundled corpus, stdout/stderr discipline, JSON
/// shapes and exit statuses.
@Suite("Walking skeleton")
struct SkeletonTests {
    @Test("--help of the root and of every subcommand exits 0 and shows an example",
          arguments: [[], ["index"], ["search"], ["mentions"], ["show"], ["stats"], ["verify"]])
    func help(_ command: [String]) throws {
        let s = try Scratch(copyCorpus: false); defer { s.remove() }
        let r = try s.run(args: command + ["--help"])
        #expect(r.exited(0), "\(r)")
        #expect(r.stdout.contains("Example"), "no example in help: \(r)")
        #expect(r.stdout.contains("vnsearch \(command.first ?? "search")"), "no example invocation: \(r)")
    }

    @Test("search on a folder with no index builds it first, then prints ranked hits with snippets on stdout")
    func searchBuildsIndexFirst() throws {
        let s = try Scratch(); defer { s.remove() }
        let r = try s.run("search", kienNghi)
        #expect(r.exited(0), "\(r)")
        #expect(r.stderr.contains("building"), "no 'building' note on stderr: \(r)")
        #expect(!r.stdout.contains("building"), "progress leaked onto stdout: \(r)")
        #expect(FileManager.default.fileExists(atPath: s.index.appendingPathComponent("CURRENT").path))
        // Ranked, numbered hits with the id line and a snippet; piped output marks matches with [brackets].
        #expect(r.stdout.hasPrefix("1. "), "\(r)")
        #expect(r.stdout.contains("\n2. "), "\(r)")
        #expect(r.stdout.contains("[kiến nghị cử tri]"), "no bracketed match in a snippet: \(r)")
        #expect(!r.stdout.contains("\u{1B}["), "colour escapes in piped output: \(r)")
        #expect(r.stdout.contains("of 30 documents"), "\(r)")
        // Results only on stdout: stderr holds the build notes, never a hit.
        #expect(!r.stderr.contains("[kiến]"), "\(r)")

        // Second run: the index exists, nothing is built, stderr stays empty.
        let again = try s.run("search", kienNghi, "--no-color")
        #expect(again.exited(0) && again.stderr.isEmpty, "\(again)")
        func untimed(_ s: String) -> String { s.replacingOccurrences(of: #"\([0-9.]+ ms\)"#, with: "", options: .regularExpression) }
        #expect(untimed(again.stdout) == untimed(r.stdout), "--no-color and piped output differ")
        #expect(again.stdout.contains("[kiến nghị cử tri]"), "\(again)")
        // A page past the last hit says how many match, not that none do.
        let past = try s.run("search", kienNghi, "--offset", "100")
        #expect(past.exited(0) && past.stdout.hasPrefix("30 documents match; none on this page"), "\(past)")
    }

    @Test("a word only in an HTML page's <title> is found there and counted with the texts holding it; titles taken from the text need no merge")
    func titleOnlyWordsCount() throws {
        let s = try Scratch(copyCorpus: false); defer { s.remove() }
        try s.write("corpus/a.html", "<html><head><title>Thông báo xyzzy</title></head><body><p>Nội dung cuộc họp tổ dân phố số 3.</p></body></html>")
        try s.write("corpus/b.txt", "Biên bản họp\nTừ xyzzy được nhắc trong biên bản này.\n")
        try s.write("corpus/c.txt", "Thông báo xyzzy\nThông báo xyzzy cho tổ dân phố.\n")
        try s.buildIndex()
        for (query, total) in [("xyzzy", 3), ("thông báo", 2), ("họp", 2), ("biên bản", 1)] {
            let r = try s.run("search", query, "--json")
            #expect(r.exited(0), "\(r)")
            #expect(try r.json()["total"] as? Int == total, "\(query): \(r.stdout)")
        }
        let titled = try s.run("search", "xyzzy", "--json", "--limit", "5")
        let ids = try #require(try titled.json()["hits"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(Set(ids) == ["a.html", "b.txt", "c.txt"])
    }

    @Test("a phrase only in an HTML page's <title> is found, with the phrase rules: in order, adjacent, the diacritics typed; excluded as well")
    func titleOnlyPhrases() throws {
        let s = try Scratch(copyCorpus: false); defer { s.remove() }
        try s.write("corpus/a.html", "<html><head><title>Tin tức phường Thủy Dương</title></head><body><p>Dương và Thủy họp tổ dân phố số 3.</p></body></html>")
        try s.write("corpus/b.html", "<html><head><title>Dương Thủy tin tức</title></head><body><p>Tổ dân phố số 4.</p></body></html>")
        try s.write("corpus/c.html", "<html><head><title>Phường Thùy Dương</title></head><body><p>Tổ dân phố số 5.</p></body></html>")
        try s.write("corpus/d.txt", "Báo cáo\nPhường Thủy Dương tổ chức họp tổ dân phố.\n")
        try s.buildIndex()
        for (query, ids) in [(#""Thủy Dương""#, ["a.html", "d.txt"]), (#""thuy duong""#, ["a.html", "c.html", "d.txt"]),
                             (#""Dương Thủy""#, ["b.html"]), (#""tin tức phường Thủy Dương""#, ["a.html"]),
                             (#"tổ dân phố -"Thủy Dương""#, ["b.html", "c.html"]), (#""thủy dương" "tổ dân phố""#, ["a.html", "d.txt"])] {
            let r = try s.run("search", query, "--json")
            #expect(r.exited(0), "\(r)")
            let hits = try #require(try r.json()["hits"] as? [[String: Any]])
            #expect(Set(hits.compactMap { $0["id"] as? String }) == Set(ids), "\(query): \(r.stdout)")
            #expect(try r.json()["total"] as? Int == ids.count, "\(query)")
        }
    }

    @Test("control characters in a document (escape sequences of a scraped page) reach the terminal as �, the JSON escaped")
    func controlCharactersAreNotPrinted() throws {
        let s = try Scratch(copyCorpus: false); defer { s.remove() }
        try s.write("corpus/a.txt", "Tin \u{1B}]0;pwned\u{07} tức\nPhường Thủy Dương \u{1B}[2J họp \u{9B}31m tổ dân phố.\r\n")
        try s.write("corpus/new\nline.txt", "Phường Thủy Dương, một tệp tên có dấu xuống dòng.\n")
        try s.buildIndex()
        let outputs = [try s.run("search", "Thủy Dương", "--no-color"), try s.run("mentions", "Thủy Dương", "--no-color"),
                       try s.run("show", "a.txt")]
        // The file whose name holds a line feed is listed on one line.
        #expect(outputs[0].stdout.contains("new\u{FFFD}line.txt") && outputs[1].stdout.contains("new\u{FFFD}line.txt:1:8: "), "\(outputs[1])")
        for r in outputs {
            #expect(r.exited(0), "\(r)")
            #expect(!r.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F..<0xA0).contains($0.value) }, "\(r.stdout)")
            #expect(r.stdout.contains("\u{FFFD}"), "\(r.stdout)")
        }
        let json = try s.run("search", "Thủy Dương", "--json")
        let hit = try #require((try json.json()["hits"] as? [[String: Any]])?.first { $0["id"] as? String == "a.txt" })
        #expect((hit["title"] as? String)?.contains("\u{1B}]0;pwned\u{07}") == true)
    }

    @Test("search --json prints one object with the documented keys")
    func searchJSON() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let r = try s.run("search", kienNghi, "--json", "--limit", "40")
        #expect(r.exited(0) && r.stderr.isEmpty, "\(r)")
        #expect(r.stdoutLines.count == 1, "not one line: \(r)")
        let o = try r.json()
        #expect(Set(o.keys) == ["query", "total", "relaxed", "took_ms", "hits"])
        #expect(o["query"] as? String == kienNghi)
        #expect(o["total"] as? Int == 30)  // 21 phrase + 1 typed without diacritics + 8 with the words apart
        #expect(o["relaxed"] as? Bool == false)
        #expect(o["took_ms"] is Double || o["took_ms"] is Int)
        let hits = try #require(o["hits"] as? [[String: Any]])
        #expect(hits.count == 30)
        for h in hits {
            #expect(Set(h.keys) == ["id", "title", "kind", "date", "number", "score", "snippets"], "\(h.keys)")
            // Scores are not monotonic in rank: documents holding the whole phrase rank first.
            #expect(((h["score"] as? NSNumber)?.doubleValue ?? -1) >= 0)
            #expect(["plan", "report", "resolution", "news", "other"].contains(h["kind"] as? String ?? ""))
            if let d = h["date"] as? String { #expect(d.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil) }
            let snippets = try #require(h["snippets"] as? [[String: Any]])
            #expect(!snippets.isEmpty, "hit without a snippet: \(h["id"] ?? "?")")
            for sn in snippets {
                #expect(Set(sn.keys) == ["text", "highlights"])
                let text = try #require(sn["text"] as? String)
                let n = text.unicodeScalars.count
                for hl in try #require(sn["highlights"] as? [[Int]]) {
                    #expect(hl.count == 2 && 0 <= hl[0] && hl[0] < hl[1] && hl[1] <= n, "highlight \(hl) outside '\(text)'")
                }
            }
        }
    }

    @Test("--queries FILE (or - for standard input) prints one JSON object per line, in order; a bad or blank line gets an error field")
    func queriesFile() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        // A byte order mark, blank lines, CRLF, a bad line, no final newline.
        try s.write("q.txt", "\u{FEFF}kiến nghị cử tri\n\n   \nThủy Dương\r\n\"abc\nHĐND")
        for r in [try s.run("search", "--queries", "q.txt", "--json"), try s.run(args: ["search", "--queries", "-", "--json"], stdin: "q.txt")] {
            #expect(r.exited(0), "\(r)")
            let objects = try r.stdoutLines.map { line -> [String: Any] in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
            #expect(objects.map { $0["query"] as? String } == ["kiến nghị cử tri", "", "", "Thủy Dương", "\"abc", "HĐND"])
            guard objects.count == 6 else { continue }
            #expect(objects[0]["total"] as? Int == 30)
            #expect(objects[1]["error"] is String && objects[2]["error"] is String, "a blank line answers with an error: \(objects[1])")
            #expect((objects[3]["total"] as? Int ?? 0) > 0)
            #expect(objects[4]["error"] is String, "a malformed line should carry an error: \(objects[4])")
            #expect((objects[5]["total"] as? Int ?? 0) > 0)
        }
        // Words no document holds: no promise of partial matches that then do not come.
        let none = try s.run("search", "zzzz yyyy")
        #expect(none.exited(0) && none.stdout.contains("No documents match") && !none.stdout.contains("partial"), "\(none)")
        let missing = try s.run("search", "--queries", "nope.txt")
        #expect(missing.exited(1) && missing.stderrLines.count == 1 && missing.stderr.contains("nope.txt"), "\(missing)")
        // A folder opens but cannot be read: an error naming it, not an empty success.
        try s.write("folder/q.txt", "kiến")
        for command in ["search", "mentions"] {
            let folder = try s.run(command, "--queries", "folder", "--json")
            #expect(folder.exited(1) && folder.stderr.contains("'folder'") && folder.stdout.isEmpty, "\(folder)")
        }
    }

    @Test("a mention across a line break is shown whole in text output, the break marked ⏎")
    func mentionAcrossALineBreak() throws {
        let s = try Scratch(copyCorpus: false); defer { s.remove() }
        try s.write("corpus/a.txt", "Phường Thủy\nDương tổ chức kỳ họp.\nHĐND phường Thủy Dương.\n")
        let r = try s.run("mentions", "Thủy Dương", "--no-color")
        #expect(r.exited(0), "\(r)")
        #expect(r.stdout.contains("a.txt:1:8: Phường [Thủy ⏎ Dương]\n"), "\(r.stdout)")
        #expect(r.stdout.contains("a.txt:3:13: HĐND phường [Thủy Dương].\n"), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("2 mentions in 1 document\n"), "\(r.stdout)")
    }

    @Test("a text that is one long line: each mention shows a stretch of it around the match, marked … where cut")
    func mentionsOnALongLine() throws {
        let s = try Scratch(copyCorpus: false); defer { s.remove() }
        try s.write("corpus/a.txt", Array(repeating: "văn bản đệm Thủy Dương của phường", count: 2_000).joined(separator: " ") + "\n")
        let r = try s.run("mentions", "Thủy Dương", "--no-color")
        #expect(r.exited(0), "\(r)")
        let lines = r.stdoutLines.dropLast()
        #expect(lines.count == 2_000 && r.stdout.hasSuffix("2000 mentions in 1 document\n"))
        #expect(lines.allSatisfy { $0.utf8.count < 800 && $0.contains("[Thủy Dương]") })
        #expect(lines.first?.hasPrefix("a.txt:1:13: văn bản đệm [Thủy Dương]") == true && lines.first?.hasSuffix("…") == true)
        #expect(lines.dropFirst(20).first?.contains(": …") == true)
    }

    @Test("mentions --json has the documented shape; line and column point into `show`'s text")
    func mentionsJSON() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let r = try s.run("mentions", "Thủy Dương", "--json")
        #expect(r.exited(0) && r.stdoutLines.count == 1, "\(r)")
        let o = try r.json()
        #expect(Set(o.keys) == ["query", "total", "documents", "mentions"])
        let mentions = try #require(o["mentions"] as? [[String: Any]])
        #expect(o["total"] as? Int == mentions.count)
        let ids = Set(mentions.compactMap { $0["id"] as? String })
        #expect(o["documents"] as? Int == ids.count)
        // 22 documents name Thủy Dương (corpus/README.md), plus the one typed without diacritics.
        #expect(ids.count == 23, "\(ids.sorted())")
        #expect(!ids.contains("tin-tuc/2021/phu-bai-truong-to-dan-pho-tan-tuy.txt"), "Thùy Dương (a person) is not Thủy Dương")
        for m in mentions {
            #expect(Set(m.keys) == ["id", "line", "column", "match", "context", "context_column"], "\(m.keys)")
            #expect((m["line"] as? Int ?? 0) >= 1 && (m["column"] as? Int ?? 0) >= 1)
        }
        // Line/column of a mention in a plain NFC file land on the match in `show --json`'s text.
        let id = "bao-cao/2018/bc-33-ubnd-thuy-duong.txt"
        let m = try #require(mentions.first { $0["id"] as? String == id && $0["line"] as? Int ?? 0 > 2 })
        let shown = try s.run("show", id, "--json")
        #expect(shown.exited(0), "\(shown)")
        let text = try #require(try shown.json()["text"] as? String)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.dropFirst((m["line"] as! Int) - 1).first)
        let rest = String(String.UnicodeScalarView(line.unicodeScalars.dropFirst((m["column"] as! Int) - 1)))
        #expect(rest.hasPrefix(m["match"] as! String), "line \(m["line"]!) column \(m["column"]!) of \(id) is '\(rest.prefix(20))', not '\(m["match"]!)'")

        let human = try s.run("mentions", "Thủy Dương", "--no-color")
        #expect(human.exited(0) && human.stdout.contains("[Thủy Dương]") && human.stdout.contains("mentions in 23 documents"), "\(human)")
    }

    @Test("show ID prints metadata and text; an unknown id exits 1 with a one-line message")
    func show() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let id = "ke-hoach/2019/kh-07-tthdnd-thi-xa-huong-thuy.txt"
        let r = try s.run("show", id)
        #expect(r.exited(0) && r.stderr.isEmpty, "\(r)")
        #expect(r.stdout.hasPrefix("id:       \(id)\n"), "\(r)")
        #expect(r.stdout.contains("kind:     plan") && r.stdout.contains("number:   07/KH-TTHĐND") && r.stdout.contains("date:     2019-09-24"), "\(r)")
        let original = try String(contentsOf: CLI.corpus.appendingPathComponent(id), encoding: .utf8)
        let firstBodyLine = try #require(original.split(separator: "\n").first { $0.count > 40 })
        #expect(r.stdout.contains(firstBodyLine), "the document text is not printed")

        // The document's path as pasted from a shell names it too.
        for path in ["./" + id, "corpus/" + id, "./corpus/" + id, s.url.appendingPathComponent("corpus/" + id).path] {
            let byPath = try s.run("show", path)
            #expect(byPath.exited(0) && byPath.stdout.hasPrefix("id:       \(id)\n"), "\(path): \(byPath)")
        }

        let missing = try s.run("show", "no/such/doc.txt")
        #expect(missing.exited(1), "\(missing)")
        #expect(missing.stdout.isEmpty && missing.stderrLines.count == 1 && missing.stderr.contains("no/such/doc.txt"), "\(missing)")
    }

    @Test("a document id or phrase beginning with '-' is given after --; without it the error says so (exit 64)")
    func leadingDashAfterTerminator() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write("corpus/-dash.txt", "Phường Thủy Dương tiếp xúc cử tri")
        try s.buildIndex()
        let shown = try s.run("show", "--json", "--", "-dash.txt")
        #expect(shown.exited(0) && (try? shown.json()["id"] as? String) == "-dash.txt", "\(shown)")
        let show = try s.run("show", "-dash.txt")   // -d -a -s -h… printed help, exit 0
        #expect(show.exited(64) && show.stdout.isEmpty && show.stderr.contains("vnsearch show -- -dash.txt"), "\(show)")
        let mentions = try s.run("mentions", "-dash")
        #expect(mentions.exited(64) && mentions.stderr.contains("vnsearch mentions -- -dash"), "\(mentions)")
        let found = try s.run("mentions", "--json", "--", "-Thủy Dương")
        #expect(found.exited(0) && (try? found.json()["total"] as? Int ?? 0) ?? 0 > 0, "\(found)")
    }

    @Test("stats --json")
    func stats() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let r = try s.run("stats", "--json")
        #expect(r.exited(0) && r.stdoutLines.count == 1, "\(r)")
        let o = try r.json()
        for k in ["generation", "documents", "deleted", "segments", "terms", "tokens", "index_bytes", "stored_bytes", "corpus", "analyzer"] {
            #expect(o[k] != nil, "stats --json lacks \(k)")
        }
        #expect(o["documents"] as? Int == 68)
        #expect((o["terms"] as? Int ?? 0) > 0 && (o["tokens"] as? Int ?? 0) > 0)
        let human = try s.run("stats")
        #expect(human.exited(0) && human.stdout.contains("documents:   68"), "\(human)")
    }

    @Test("a malformed query exits 2 with one line on stderr that shows how to write a query",
          arguments: ["\"abc", "-word", "-\"tổ dân phố\"", "", "   ", "a OR"])
    func malformedQuery(_ query: String) throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let r = try s.run("search", query)
        #expect(r.exited(2), "\(r)")
        #expect(r.stdout.isEmpty, "\(r)")
        #expect(r.stderrLines.count == 1, "not one line: \(r)")
        #expect(r.stderr.hasPrefix("vnsearch: error:"), "\(r)")
        #expect(r.stderr.contains("\"quotes\"") && r.stderr.contains("kiến nghị cử tri"), "no example of a query: \(r)")
        // The same in JSON mode: still exit 2 and nothing on stdout.
        let j = try s.run("search", query, "--json")
        #expect(j.exited(2) && j.stdout.isEmpty, "\(j)")
    }

    @Test("a leading exclusion is part of the query, not an unknown option")
    func leadingExclusion() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let r = try s.run("search", "kiến", "nghị", "-\"cử tri\"", "--json")
        #expect(r.exited(0), "\(r)")
        #expect(try r.json()["query"] as? String == "kiến nghị -\"cử tri\"")
        let unknown = try s.run("search", "--bogus", "x")
        #expect(unknown.exited(64) && unknown.stderr.contains("--bogus"), "\(unknown)")
    }

    @Test("bad option values are usage errors (exit 64)",
          arguments: [["--since", "2020-13-45"], ["--until", "yesterday"], ["--since", "2020-02-30"], ["--until", "2021-04-31"],
                       ["--since", "2020-1-5"], ["--limit", "-1"], ["--kind", "memo"], ["--threads", "0"], ["--threads", "3"],
                       ["--since", "2300-01-01"], ["--until", "1800-12-31"], ["--until", "9999-02-30"],
                       ["--since", "2100-02-29"], ["--since", "+999-01-01"], ["--since", "2023-01-01", "--until", "2020-01-01"]])
    func usageErrors(_ options: [String]) throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let r = try s.run(args: ["search", "kiến"] + options)
        #expect(r.exited(64), "\(r)")
        #expect(r.stdout.isEmpty, "\(r)")
    }

    @Test("index: bad option values are usage errors with their reason (exit 64)",
          arguments: [["--threads", "0"], ["--threads", "-1"], ["--max-file-size", "-5"]])
    func indexUsageErrors(_ options: [String]) throws {
        let s = try Scratch(); defer { s.remove() }
        let r = try s.run(args: ["index"] + options)
        #expect(r.exited(64) && r.stderr.contains(options[0] + " must be"), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: s.index.path), "\(r)")
    }

    @Test("an index in the corpus folder itself is refused (exit 64), saying where to keep it")
    func indexInTheCorpusFolderItself() throws {
        let s = try Scratch(); defer { s.remove() }
        for index in ["corpus", "./corpus/", s.corpusDir.path] {
            let r = try s.run("index", "--corpus", "corpus", "--index", index)
            #expect(r.exited(64) && r.stderr.contains("same folder") && r.stderr.contains("--index index"), "\(r)")
        }
        #expect(!FileManager.default.fileExists(atPath: s.corpusDir.appendingPathComponent("CURRENT").path))
    }

    @Test("a corpus path that is a file says so")
    func corpusIsAFile() throws {
        let s = try Scratch(copyCorpus: false); defer { s.remove() }
        try s.write("notes.txt", "x")
        let r = try s.run("index", "--corpus", "notes.txt")
        #expect(r.exited(1) && r.stderr.contains("is a file, not a folder"), "\(r)")
    }

    @Test("a date bound beyond the span documents are dated in, on its open side, filters nothing")
    func openEndedDates() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let all = try s.run("search", "kiến", "--json")
        let wide = try s.run("search", "kiến", "--since", "1066-10-14", "--until", "9999-12-31", "--json")
        #expect(all.exited(0) && wide.exited(0), "\(wide)")
        #expect(try wide.json()["total"] as? Int == all.json()["total"] as? Int)
        #expect((try all.json()["total"] as? Int ?? 0) > 0)
    }
}

/// Contract 2: the `index` summary.
@Suite("Index summary")
struct IndexSummaryTests {
    @Test("index --json prints one summary object; .docx and .png are skipped as unsupported-type")
    func summaryJSON() throws {
        let s = try Scratch(); defer { s.remove() }
        let r = try s.run("index", "--json")
        #expect(r.exited(0), "\(r)")
        #expect(r.stdoutLines.count == 1, "\(r)")
        let o = try r.json()
        for k in ["generation", "full", "documents", "added", "updated", "removed", "unchanged", "skipped", "skipped_by_reason", "skipped_files", "tokens", "seconds"] {
            #expect(o[k] != nil, "index --json lacks \(k)")
        }
        #expect(o["documents"] as? Int == 68)
        #expect(o["added"] as? Int == 68)
        #expect(o["updated"] as? Int == 0 && o["removed"] as? Int == 0 && o["unchanged"] as? Int == 0)
        #expect(o["skipped_by_reason"] as? [String: Int] == ["unsupported-type": 2])
        let files = try #require(o["skipped_files"] as? [[String: Any]])
        #expect(files.compactMap { $0["path"] as? String }.sorted() == ["corpus/bao-cao/2020/bien-ban-hop-to-dai-bieu.docx", "corpus/tin-tuc/html/logo.png"])
        #expect(files.allSatisfy { $0["reason"] as? String == "unsupported-type" })
        // The skipped files are also named on stderr, never on stdout.
        #expect(r.stderr.contains("bien-ban-hop-to-dai-bieu.docx") && r.stderr.contains("logo.png"), "\(r)")
    }

    @Test("index without --json: summary on stderr, nothing on stdout; --quiet prints nothing when no file is bad")
    func quiet() throws {
        let s = try Scratch(); defer { s.remove() }
        let plain = try s.run("index")
        #expect(plain.exited(0) && plain.stdout.isEmpty, "\(plain)")
        #expect(plain.stderr.contains("68 documents") && plain.stderr.contains("unsupported-type"), "\(plain)")
        for args in [["index", "--quiet"], ["index", "--quiet", "--full"]] {
            let r = try s.run(args: args)
            #expect(r.exited(0) && r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
        }
    }
}
