import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Contract 7: bad files are reported with their path and reason; the rest is indexed.
@Suite("Bad input")
struct BadInputTests {
    /// A corpus of three small good documents (under 1000 bytes) and one of each bad kind.
    static func makeCorpus() throws -> Scratch {
        let s = try Scratch(copyCorpus: false)
        try s.write("corpus/good/tin-1.txt", "Phường Thủy Dương tiếp xúc cử tri\n\nNgày 5/3/2024, HĐND phường Thủy Dương tổ chức tiếp xúc cử tri. Các kiến nghị cử tri về đường giao thông được ghi nhận.\n")
        try s.write("corpus/good/bao-cao.md", "# Báo cáo\n\n**Số: 03/BC-UBND**\n\nKết quả giải quyết kiến nghị cử tri phường Thủy Châu năm 2023.\n")
        try s.write("corpus/good/trang.html", "<html><head><title>Tin</title></head><body><div class=\"content\"><article><h1>Thủy Bằng giao ban thôn</h1><p>UBND xã Thủy Bằng tổ chức giao ban các thôn quý I.</p></article></div></body></html>\n")
        try s.write("corpus/bad/empty.txt", Data())
        try s.write("corpus/bad/binary.txt", Data([0x50, 0x4B, 0x00, 0x00, 0x01, 0x02, 0x00, 0x41, 0x42, 0x00, 0xFF, 0x00]))
        // Latin-1 French, not UTF-8 and not Vietnamese.
        let french = "Le château de la république française est très élégant. Où est la bibliothèque? C'est là-bas, près du café; l'hôtel de ville ferme à midi.\n"
        try s.write("corpus/bad/latin1.txt", try #require(french.data(using: .isoLatin1)))
        try s.write("corpus/bad/big.txt", Data(String(repeating: "Thủy Dương kiến nghị. ", count: 90).utf8.prefix(2048)))
        try FileManager.default.createDirectory(at: s.corpusDir.appendingPathComponent("bad/dir"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: s.corpusDir.appendingPathComponent("bad/dir/loop").path, withDestinationPath: "..")
        try #require(mkfifo(s.corpusDir.appendingPathComponent("bad/x.txt").path, 0o644) == 0)
        return s
    }

    static let expected: [(path: String, reason: String)] = [
        ("corpus/bad/big.txt", "too-large"),
        ("corpus/bad/binary.txt", "binary"),
        ("corpus/bad/dir/loop", "symlink-loop"),
        ("corpus/bad/empty.txt", "empty"),
        ("corpus/bad/latin1.txt", "encoding"),
        ("corpus/bad/x.txt", "not-a-file"),
    ]

    @Test("index --max-file-size 1000 skips each bad file with its path and reason and indexes the rest")
    func badFiles() throws {
        let s = try Self.makeCorpus(); defer { s.remove() }
        let r = try s.run("index", "--max-file-size", "1000", "--json", timeout: 20)
        #expect(r.exited(0), "\(r)")
        let o = try r.json()
        #expect(o["documents"] as? Int == 3 && o["added"] as? Int == 3, "\(o)")
        let files = try #require(o["skipped_files"] as? [[String: Any]])
        let got = files.map { ($0["path"] as? String ?? "", $0["reason"] as? String ?? "") }.sorted { $0.0 < $1.0 }
        #expect(got.map(\.0) == Self.expected.map(\.path), "\(got)")
        #expect(got.map(\.1) == Self.expected.map(\.reason), "\(got)")
        #expect(files.allSatisfy { !($0["detail"] as? String ?? "").isEmpty })
        #expect(r.stderr.contains("big.txt: too large (2048 bytes > 1000-byte limit)"), "the limit is not named: \(r)")
        for (path, _) in Self.expected {
            #expect(r.stderrLines.contains { $0.hasPrefix("vnsearch: skipped \(path): ") }, "\(path) not reported on stderr: \(r)")
        }
        #expect(try s.hitIDs(kienNghi).sorted() == ["good/bao-cao.md", "good/tin-1.txt"])
        #expect(try s.hitIDs("giao ban") == ["good/trang.html"])

        // Without --json the same lines are printed, and a second run reports them again.
        let again = try s.run("index", "--max-file-size", "1000")
        #expect(again.exited(0) && again.stdout.isEmpty, "\(again)")
        for (path, _) in Self.expected {
            #expect(again.stderr.contains("vnsearch: skipped \(path): "), "\(path) not reported: \(again)")
        }
        #expect(again.stderr.contains("added 0") && again.stderr.contains("unchanged 3"), "\(again)")
    }

    @Test("index --quiet (the nightly jobs) still names every bad file, and only those")
    func quietReportsProblems() throws {
        let s = try Self.makeCorpus(); defer { s.remove() }
        try s.write("corpus/good/scan.png", Data([0x89, 0x50, 0x4E, 0x47]))
        let r = try s.run("index", "--quiet")
        #expect(r.exited(0) && r.stdout.isEmpty, "\(r)")
        let lines = r.stderrLines.filter { $0.hasPrefix("vnsearch: skipped ") }
        let bad = Self.expected.filter { $0.reason != "too-large" }  // big.txt is within the default limit
        #expect(lines.count == bad.count && r.stderrLines.count == lines.count, "\(r)")
        for e in bad { #expect(lines.contains { $0.contains(e.path) && $0.contains(":") }, "\(e.path) not reported: \(r)") }
        #expect(!r.stderr.contains("scan.png"), "another file type is not a problem: \(r)")
    }

    @Test("a file name that is not UTF-8 is reported with its bytes escaped, each one apart")
    func undecodableNamesAreNamed() throws {
        let s = try Scratch(copyCorpus: false); defer { s.remove() }
        try s.write("corpus/ok.txt", "Phường Thủy Dương")
        for name in [[0x63, 0x61, 0x66, 0xE9, 0x2E, 0x74, 0x78, 0x74], [0x42, 0xE1, 0x6F]] as [[UInt8]] {
            let path = s.corpusDir.path + "/"
            let full = Array(path.utf8) + name + [0]
            let fd = full.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
            #expect(fd >= 0); _ = write(fd, "x", 1); close(fd)
        }
        let r = try s.run("index", "--json")
        #expect(r.exited(0), "\(r)")
        let paths = ((try r.json()["skipped_files"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }
        #expect(paths == ["corpus/B\\xE1o", "corpus/caf\\xE9.txt"], "\(paths)")
        #expect(try r.json()["documents"] as? Int == 1)
    }

    @Test("a UTF-8 file with a stray byte is indexed, counted as repaired, and its note says where")
    func strayByteInUTF8() throws {
        let s = try Scratch(copyCorpus: false); defer { s.remove() }
        var bytes = Array("Kế hoạch tiếp xúc cử tri\n\nHĐND phường Thủy Dương tổ chức tiếp xúc cử tri để nghe kiến nghị cử tri về đường giao thông.\n".utf8)
        bytes.insert(0x92, at: 10)   // a Windows-1252 apostrophe pasted in
        try s.write("corpus/tin.txt", Data(bytes))
        let r = try s.run("index", "--json", "--verbose")
        #expect(r.exited(0), "\(r)")
        let o = try r.json()
        #expect(o["documents"] as? Int == 1 && (o["skipped_files"] as? [Any])?.isEmpty == true, "\(o)")
        #expect((o["converted"] as? [String: Int])?["invalid-utf8-replaced"] == 1, "\(o)")
        #expect(r.stderr.contains("vnsearch: converted tin.txt: UTF-8 — not valid UTF-8 at 1 byte (first: line 1, column 7,"), "\(r)")
        #expect(try s.hitIDs(kienNghi) == ["tin.txt"])
    }

    @Test("an index folder inside the corpus folder is left out of the scan, silently")
    func indexInsideTheCorpus() throws {
        let s = try Scratch(); defer { s.remove() }
        for args in [["index", "--index", "corpus/idx", "--json"], ["index", "--index", "corpus/idx", "--json"],
                     ["index", "--index", "./corpus/../corpus/idx/", "--full", "--json"]] {
            let r = try s.run(args: args)
            #expect(r.exited(0) && !r.stderr.contains("idx"), "\(r)")
            let o = try r.json()
            #expect(o["documents"] as? Int == 68 && o["skipped_by_reason"] as? [String: Int] == ["unsupported-type": 2], "\(o)")
        }
    }

    @Test("a malformed .vnsearchignore pattern is named with its line, once; the other patterns still apply")
    func malformedIgnorePattern() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write("corpus/.vnsearchignore", "# drafts\nREADME.md\n\ntin-tuc/html/[giam-sat*\nbao-cao/2020/*\n")
        let r = try s.run("index", "--json")
        #expect(r.exited(0), "\(r)")
        let o = try r.json()
        let warnings = o["warnings"] as? [String] ?? []
        #expect(warnings.count == 1 && warnings[0].contains("corpus/.vnsearchignore' line 4") && warnings[0].contains("'tin-tuc/html/[giam-sat*'"), "\(o)")
        #expect(r.stderrLines.filter { $0.hasPrefix("vnsearch: warning: ") && $0.contains("[giam-sat*") }.count == 1, "\(r)")
        let skipped = (o["skipped_files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(o["ignored"] as? Int ?? 0 > 1 && !skipped.contains { $0.contains("bao-cao/2020/") }, "\(o)")
    }

    @Test("hidden files are counted as skipped (hidden), not as problems; a hidden index folder is left out silently")
    func hiddenFilesAreCounted() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write("corpus/.DS_Store", "x")
        try s.write("corpus/tin-tuc/.git/HEAD.txt", "ref: refs/heads/main")
        let r = try s.run("index", "--index", "corpus/.idx", "--json")
        #expect(r.exited(0), "\(r)")
        let o = try r.json()
        #expect(o["documents"] as? Int == 68 && o["skipped_by_reason"] as? [String: Int] == ["hidden": 2, "unsupported-type": 2], "\(o)")
        let hidden = (o["skipped_files"] as? [[String: Any]] ?? []).filter { $0["reason"] as? String == "hidden" }.compactMap { $0["path"] as? String }
        #expect(hidden == ["corpus/.DS_Store", "corpus/tin-tuc/.git"], "\(o)")
        let quiet = try s.run("index", "--index", "corpus/.idx", "--quiet")
        #expect(quiet.exited(0) && quiet.stderr.isEmpty, "\(quiet)")
    }

    @Test("files listed in .vnsearchignore are never reported as skipped")
    func ignoredFilesNotReported() throws {
        let s = try Scratch(); defer { s.remove() }
        // corpus/README.md (10 KB) is in the corpus's .vnsearchignore; with a 5000-byte limit the
        // scanner rejects it as too large before the ignore list is applied.
        let r = try s.run("index", "--max-file-size", "5000", "--json")
        #expect(r.exited(0), "\(r)")
        let paths = ((try r.json()["skipped_files"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }
        #expect(!paths.contains { $0.hasSuffix("/README.md") }, "an ignored file is reported as skipped")
    }
}

@Suite("A mistyped index path")
struct MissingIndexTests {
    /// Reading commands build a missing index from the corpus; with no corpus either they say so,
    /// naming both paths, and leave no folder behind.
    @Test(arguments: [["search", "kiến"], ["mentions", "Thủy Dương"], ["show", "x.txt"], ["stats"]])
    func namesTheIndexAndCreatesNothing(_ command: [String]) throws {
        let s = try Scratch(copyCorpus: false)
        defer { s.remove() }
        let r = try s.run(args: command + ["--index", "typo", "--corpus", "nowhere"])
        #expect(r.exited(1) && r.stderrLines.count == 1, "\(r)")
        #expect(r.stderr.contains("'typo'") && r.stderr.contains("'nowhere'"), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: s.url.appendingPathComponent("typo").path), "a folder was created")
        let index = try s.run("index", "--index", "typo", "--corpus", "nowhere")
        #expect(index.exited(1) && index.stderr.contains("'nowhere'"), "\(index)")
        #expect(!FileManager.default.fileExists(atPath: s.url.appendingPathComponent("typo").path), "index created a folder")
    }
}

@Suite("Unreadable parts of the corpus")
struct UnreadableCorpusTests {
    /// A permission fault on a folder or a file keeps what the index held of it (reported, not
    /// removed); a corpus folder that cannot be listed fails the run and leaves the index serving.
    /// A folder of the corpus that is a symbolic link to a share: unmounted on one night, its
    /// documents are kept (with a warning); the link removed, they go.
    @Test func aLinkedShareThatIsNotMountedLosesNothing() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.write("nas/archive/nq-cau.txt", "Nghị quyết về cầu Trường Tiền của thành phố Huế, xây dựng năm 1899.")
        let share = s.url.appendingPathComponent("nas/archive")
        try FileManager.default.createSymbolicLink(at: s.corpusDir.appendingPathComponent("archive"), withDestinationURL: share)
        try s.buildIndex()
        let found = { try s.run("search", "\"Trường Tiền\"", "--json").json()["total"] as? Int }
        #expect(try found() == 1)
        try FileManager.default.moveItem(at: s.url.appendingPathComponent("nas"), to: s.url.appendingPathComponent("nas.off"))
        let night = try s.run("index", "--json")
        #expect(night.exited(0), "\(night)")
        let o = try night.json()
        #expect(o["removed"] as? Int == 0 && (o["warnings"] as? [String] ?? []).contains { $0.contains("kept the previous version of 1 document") }, "\(o)")
        #expect(try found() == 1)
        try FileManager.default.removeItem(at: s.corpusDir.appendingPathComponent("archive"))
        let unlinked = try s.run("index", "--json")
        let removed = try unlinked.json()["removed"] as? Int
        #expect(unlinked.exited(0) && removed == 1, "\(unlinked)")
        #expect(try found() == 0)
    }

    /// A kept document is counted once: its file among the skipped, the document as kept (not
    /// unchanged: it could not be read to tell).
    @Test func aKeptDocumentIsCountedOnce() throws {
        let s = try Scratch(); defer { s.remove() }
        #expect(chmod(s.path, 0o777) == 0)
        let first = try CLI.run(["index", "--json"], in: s.url, unprivileged: true)
        let documents = try #require(try first.json()["documents"] as? Int)
        let file = s.corpusDir.appendingPathComponent("ke-hoach/2018/kh-05-tthdnd-thuy-duong.txt").path
        #expect(chmod(file, 0) == 0)
        defer { _ = chmod(file, 0o644) }
        let r = try CLI.run(["index", "--json"], in: s.url, unprivileged: true)
        #expect(r.exited(0), "\(r)")
        let o = try r.json()
        #expect(o["documents"] as? Int == documents && o["kept"] as? Int == 1 && o["unchanged"] as? Int == documents - 1, "\(o)")
        #expect(o["skipped_by_reason"] as? [String: Int] == ["unreadable": 1, "unsupported-type": 2], "\(o)")
    }

    /// A full build has no previous version to keep: an unreadable file is named on stderr (with
    /// --quiet too), counted as unreadable, and the rest is indexed (exit 0), as in an update.
    @Test func aFullBuildNamesAnUnreadableFile() throws {
        let s = try Scratch(); defer { s.remove() }
        #expect(chmod(s.path, 0o777) == 0)
        let id = "ke-hoach/2018/kh-05-tthdnd-thuy-duong.txt"
        let file = s.corpusDir.appendingPathComponent(id).path
        #expect(chmod(file, 0) == 0)
        defer { _ = chmod(file, 0o644) }
        for args in [["index", "--full", "--json"], ["index", "--full", "--quiet"]] {
            let r = try CLI.run(args, in: s.url, unprivileged: true)
            #expect(r.exited(0) && r.stderr.contains("vnsearch: skipped corpus/\(id): unreadable: "), "\(r)")
            if args.contains("--json") {
                let o = try r.json()
                #expect(o["documents"] as? Int == 67 && o["skipped_by_reason"] as? [String: Int] == ["unreadable": 1, "unsupported-type": 2], "\(o)")
            }
        }
    }

    /// An index built once by root (`sudo vnsearch index`), then updated by its usual user: the
    /// kernel refuses to hard-link root's segments into the new generation (protected_hardlinks),
    /// so they are copied. As a user who owns the files, links are made and nothing changes.
    @Test func anUpdateCarriesOverSegmentsItMayNotLink() throws {
        let s = try Scratch(); defer { s.remove() }
        let asRoot = try CLI.run(["index", "--json"], in: s.url)
        #expect(asRoot.exited(0), "\(asRoot)")
        // The folders and the lock opened to everyone; the segments stay root's own (0644).
        for path in [s.path, s.url.appendingPathComponent("index").path] { #expect(chmod(path, 0o777) == 0) }
        #expect(chmod(s.url.appendingPathComponent("index/writer.lock").path, 0o666) == 0)
        try s.write("corpus/tin-tuc/them.txt", "Phường Thủy Dương thêm tin zebrabiet.\n")
        let update = try CLI.run(["index", "--json"], in: s.url, unprivileged: true)
        #expect(update.exited(0), "\(update)")
        #expect(try update.json()["added"] as? Int == 1, "\(update)")
        let found = try CLI.run(["search", "zebrabiet", "--json"], in: s.url, unprivileged: true)
        #expect(try found.json()["total"] as? Int == 1, "\(found)")
        let all = try CLI.run(["search", "kế hoạch", "--json"], in: s.url, unprivileged: true)
        #expect((try all.json()["total"] as? Int ?? 0) > 0, "\(all)")
        let verified = try CLI.run(["verify"], in: s.url, unprivileged: true)
        #expect(verified.exited(0), "\(verified)")
    }

    @Test func aPassingPermissionFaultLosesNothing() throws {
        let s = try Scratch(); defer { _ = chmod(s.corpusDir.path, 0o755); s.remove() }
        #expect(chmod(s.path, 0o777) == 0)
        func run(_ args: String...) throws -> RunResult { try CLI.run(args, in: s.url, unprivileged: true) }
        let first = try run("index", "--json")
        #expect(first.exited(0), "\(first)")
        let documents = try #require(try first.json()["documents"] as? Int)
        let folder = s.corpusDir.appendingPathComponent("bao-cao/2018").path
        let file = s.corpusDir.appendingPathComponent("ke-hoach/2018/kh-05-tthdnd-thuy-duong.txt").path
        #expect(chmod(folder, 0) == 0 && chmod(file, 0) == 0)
        defer { _ = chmod(folder, 0o755); _ = chmod(file, 0o644) }

        let second = try run("index", "--json")
        #expect(second.exited(0), "\(second)")
        let o = try second.json()
        #expect(o["documents"] as? Int == documents && o["removed"] as? Int == 0, "\(o)")
        let skipped = (o["skipped_files"] as? [[String: Any]] ?? []).filter { $0["reason"] as? String == "unreadable" }
        #expect(skipped.count == 2, "\(skipped)")
        #expect((o["warnings"] as? [String] ?? []).contains { $0.contains("kept the previous version of 4 documents") }, "\(o)")
        let shown = try run("show", "ke-hoach/2018/kh-05-tthdnd-thuy-duong.txt", "--json")
        #expect(shown.exited(0), "\(shown)")

        // Every folder denied (a share mounted with the wrong owner): nothing is scanned, all is kept.
        let folders = try FileManager.default.contentsOfDirectory(atPath: s.corpusDir.path)
            .map { s.corpusDir.appendingPathComponent($0).path }.filter { var dir: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &dir) && dir.boolValue }
        for f in folders { #expect(chmod(f, 0) == 0) }
        let denied = try run("index", "--json")
        for f in folders { _ = chmod(f, 0o755) }
        #expect(denied.exited(0), "\(denied)")
        let d = try denied.json()
        #expect(d["documents"] as? Int == documents && d["removed"] as? Int == 0, "\(d)")

        // The corpus folder itself: the run fails and the published generation stays.
        let before = try s.indexListing().current
        #expect(chmod(s.corpusDir.path, 0) == 0)
        let third = try run("index", "--json")
        #expect(third.exited(1) && third.stderr.contains("cannot be read") && third.stdout.isEmpty, "\(third)")
        let after = try s.indexListing().current
        #expect(after == before)
        let search = try run("search", "kế hoạch", "--json")
        let total = try search.json()["total"] as? Int ?? 0
        #expect(search.exited(0) && total > 0, "\(search)")
    }
}

@Suite("An emptied corpus folder")
struct EmptiedCorpusTests {
    /// An unmounted share looks like an empty folder: an update refuses to empty the index (exit 1,
    /// the published generation stays); `--full` empties it when that is what is meant.
    @Test func anUpdateNeverEmptiesTheIndex() throws {
        let s = try Scratch(); defer { s.remove() }
        try s.buildIndex()
        let before = try s.indexListing().current
        try FileManager.default.removeItem(at: s.corpusDir)
        try FileManager.default.createDirectory(at: s.corpusDir, withIntermediateDirectories: true)
        let update = try s.run("index")
        #expect(update.exited(1) && update.stderr.contains("holds no document") && update.stderr.contains("--full"), "\(update)")
        let after = try s.indexListing().current
        #expect(after == before)
        let search = try s.run("search", "kiến", "--json")
        let total = try search.json()["total"] as? Int ?? 0
        #expect(search.exited(0) && total > 0, "\(search)")
        let full = try s.run("index", "--full", "--json")
        let documents = try full.json()["documents"] as? Int
        #expect(full.exited(0) && documents == 0, "\(full)")
    }
}
