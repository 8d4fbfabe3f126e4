import Foundation
import Testing
import VNEncoding
@testable import VNIngest

/// A corpus folder in /tmp with every kind of good and bad entry; removed by `remove()`.
struct TempCorpus {
    let root: String

    init() throws {
        let template = NSTemporaryDirectory() + "vningest-XXXXXX"
        var chars = Array(template.utf8CString)
        guard mkdtemp(&chars) != nil else { throw CocoaError(.fileWriteUnknown) }
        root = String(cString: chars)
    }

    func write(_ rel: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: root + "/" + rel)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }
    func write(_ rel: String, _ text: String) throws { try write(rel, Array(text.utf8)) }
    func link(_ rel: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/" + rel, withDestinationPath: target)
    }
    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

@Suite(.serialized) struct CorpusScannerTests {
    @Test func theFileListKeepsIdsPackedAndGivesEachFileBackWhole() {
        var list = CorpusFileList(root: "/data/corpus")
        for (id, size) in [("b/thủy-dương.txt", 3), ("a.txt", 1), ("b/a.md", 2)] {
            list.append(CorpusFile(root: "/data/corpus", id: id, size: size, modified: Double(size) * 10))
        }
        #expect(list.map(\.id) == ["b/thủy-dương.txt", "a.txt", "b/a.md"])
        #expect(list[0].path == "/data/corpus/b/thủy-dương.txt")
        #expect(list[2] == CorpusFile(root: "/data/corpus", id: "b/a.md", size: 2, modified: 20))
        list.sortByID()
        #expect(list.map(\.id) == ["a.txt", "b/a.md", "b/thủy-dương.txt"])
        #expect(list.map(\.size) == [1, 2, 3])
        list.filter { $0.id.hasPrefix("b/") }
        #expect(list.map(\.id) == ["b/a.md", "b/thủy-dương.txt"])
        #expect(list.map(\.modified) == [20, 30])
    }

    @Test func walksNestedFoldersAndReportsEveryBadEntry() throws {
        let c = try TempCorpus()
        defer { c.remove() }
        try c.write("a.txt", "Báo cáo số 1")
        try c.write("ke-hoach/2019/b.md", "# Kế hoạch")
        try c.write("tin-tuc/c.HTML", "<p>Tin</p>")
        try c.write("tin-tuc/d.htm", "<p>Tin</p>")
        try c.write("scan.pdf", "%PDF-1.4")
        try c.write("README", "no extension")
        try c.write(".hidden.txt", "hidden")
        try c.write(".git/config.txt", "hidden folder")
        try c.write(".vnsearchignore", "README")             // read by the indexer: not counted
        try c.write("tin-tuc/.vnsearchignore", "d.htm")      // only the corpus's own is read
        try c.write("empty.txt", [])
        try c.write("big.txt", String(repeating: "x", count: 2000))
        try c.link("tin-tuc/loop", to: "..")          // folder loop
        try c.link("self", to: "self")                // link to itself (ELOOP)
        try c.link("broken.txt", to: "missing.txt")
        try c.link("alias.txt", to: "a.txt")          // link to a file: followed
        #expect(mkfifo(c.root + "/pipe.txt", 0o644) == 0)

        let scan = CorpusScanner(root: c.root + "/", maxFileSize: 1000).scan()
        #expect(scan.files.map(\.id) == ["a.txt", "alias.txt", "ke-hoach/2019/b.md", "tin-tuc/c.HTML", "tin-tuc/d.htm"])
        #expect(scan.files[0].path == c.root + "/a.txt")
        #expect(scan.files[0].size == "Báo cáo số 1".utf8.count)
        #expect(scan.files[0].modified > 1_600_000_000)
        #expect(scan.files[3].fileExtension == "html")

        let reasons = Dictionary(uniqueKeysWithValues: scan.skipped.map { (String($0.path.dropFirst(c.root.count + 1)), $0.reason) })
        #expect(reasons == [
            "scan.pdf": .unsupportedType("pdf"),
            "README": .unsupportedType(""),
            "empty.txt": .empty,
            "big.txt": .tooLarge(2000, limit: 1000),
            "tin-tuc/loop": .symlinkLoop,
            "self": .symlinkLoop,
            "broken.txt": .unreadable("broken symbolic link"),
            "pipe.txt": .notAFile,
            ".hidden.txt": .hidden,
            ".git": .hidden,
            "tin-tuc/.vnsearchignore": .hidden,
        ])
        #expect(scan.skipped.map(\.path) == scan.skipped.map(\.path).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })

        // Without stat (a full build): regular files are told apart by the folder listing; their size,
        // emptiness and size limit are left to the loader (which reports them the same way).
        var quick = CorpusScanner(root: c.root + "/", maxFileSize: 1000)
        quick.statFiles = false
        let fast = quick.scan()
        #expect(fast.files.map(\.id) == ["a.txt", "alias.txt", "big.txt", "empty.txt", "ke-hoach/2019/b.md", "tin-tuc/c.HTML", "tin-tuc/d.htm"])
        #expect(fast.files.allSatisfy { $0.size == -1 || $0.id == "alias.txt" })  // a link is still stat'ed
        #expect(Set(fast.skipped.map { String($0.path.dropFirst(c.root.count + 1)) }) == Set(reasons.keys).subtracting(["empty.txt", "big.txt"]))
        for (file, reason) in [(fast.files[2], SkipReason.tooLarge(2000, limit: 1000)), (fast.files[3], .empty)] {
            do { _ = try DocumentLoader.load(file, maxFileSize: 1000); Issue.record("\(file.id) loaded") }
            catch { #expect(error.skipped.reason == reason) }
        }
        let a = try DocumentLoader.load(fast.files[0])
        #expect(a.fileSize == "Báo cáo số 1".utf8.count && a.modified > 1_600_000_000)
    }

    /// A folder big enough to be listed and stat'ed on two threads at once (over 4,096 entries):
    /// the same result as a small one — every file once, in byte order, bad entries reported —
    /// with and without the per-file stat.
    @Test func aBigFolderIsScannedCompletelyAndInOrder() throws {
        let c = try TempCorpus()
        defer { c.remove() }
        var files: [String] = [], written = 0
        try c.write("big/0.txt", "Văn bản số 0")
        for i in (1..<4600).shuffled() {
            let name = "big/0100\(i % 7)0000\(String(i, radix: 7)).txt"
            let fd = open(c.root + "/" + name, O_WRONLY | O_CREAT, 0o644)
            if fd >= 0 && write(fd, "Văn bản số \(i)", 16) == 16 { written += 1 }
            close(fd)
            files.append(name)
        }
        #expect(written == 4599)
        for i in 0..<5 { try c.write("big/scan-\(i).pdf", "%PDF") }
        try c.write("big/0-sub/tin.md", "Tin")
        try c.write("big/empty.txt", [])
        files += ["big/0.txt", "big/0-sub/tin.md"]
        for statFiles in [true, false] {
            var scanner = CorpusScanner(root: c.root)
            scanner.statFiles = statFiles
            let scan = scanner.scan()
            let expected = files + (statFiles ? [] : ["big/empty.txt"])  // without stat, the loader finds it empty
            #expect(scan.files.map(\.id) == expected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(scan.files.allSatisfy { statFiles ? $0.size > 0 && $0.modified > 0 : $0.size == -1 })
            let reasons = scan.skipped.map { String($0.path.dropFirst(c.root.count + 1)) + " " + $0.reason.code }
            #expect(reasons == (statFiles ? ["big/empty.txt empty"] : []) + (0..<5).map { "big/scan-\($0).pdf unsupported-type" })
        }
    }

    /// A folder linked into the corpus is walked once: by its real path when it is in the corpus
    /// (even when the link sorts first), by the first link when it is outside.
    @Test func aFolderReachedTwiceIsWalkedOnce() throws {
        let c = try TempCorpus()
        let outside = try TempCorpus()
        defer { c.remove(); outside.remove() }
        try c.write("real/a.txt", "Phường Thủy Dương")
        try c.write("real/sub/b.txt", "Thủy Châu")
        try c.link("alias", to: "real")                  // sorts before "real"
        try c.link("real/sub/up", to: "../../real/sub")   // still a loop
        try outside.write("c.txt", "Hương Thủy")
        try c.link("ext", to: outside.root)
        try c.link("ext2", to: outside.root)
        let scan = CorpusScanner(root: c.root).scan()
        #expect(scan.files.map(\.id) == ["ext/c.txt", "real/a.txt", "real/sub/b.txt"])
        #expect(scan.skipped.map { String($0.path.dropFirst(c.root.count + 1)) + " " + $0.reason.code } == ["real/sub/up symlink-loop"])
    }

    @Test func unreadableFolderIsReportedAndTheWalkGoesOn() throws {
        let c = try TempCorpus()
        defer { chmod(c.root + "/locked", 0o755); c.remove() }
        try c.write("locked/secret.txt", "bí mật")
        try c.write("open/ok.txt", "được")
        chmod(c.root + "/locked", 0)
        let scan = CorpusScanner(root: c.root).scan()
        if geteuid() == 0 {
            // root reads everything: permission denial cannot be provoked here.
            #expect(scan.files.map(\.id) == ["locked/secret.txt", "open/ok.txt"])
        } else {
            #expect(scan.files.map(\.id) == ["open/ok.txt"])
            #expect(scan.skipped.first?.reason.code == "unreadable")
        }
    }

    @Test func missingRootIsReported() {
        let scan = CorpusScanner(root: "/nonexistent/vnsearch-corpus").scan()
        #expect(scan.files.isEmpty)
        #expect(scan.skipped.map(\.reason.code) == ["unreadable"])
    }

    @Test(arguments: [
        (SkipReason.unsupportedType("pdf"), "unsupported-type"), (.unreadable("x"), "unreadable"),
        (.symlinkLoop, "symlink-loop"), (.tooLarge(2, limit: 1), "too-large"), (.empty, "empty"), (.binary, "binary"),
        (.encoding("x"), "encoding"), (.notAFile, "not-a-file"),
    ])
    func stableCodes(reason: SkipReason, code: String) {
        #expect(reason.code == code)
        #expect(!reason.description.isEmpty)
    }
}

@Suite(.serialized) struct DocumentLoaderTests {
    func file(_ c: TempCorpus, _ id: String) -> CorpusFile {
        CorpusFile(root: c.root, id: id, size: 0, modified: 0)
    }

    @Test func loadsEveryEncodingAndFormat() throws {
        let c = try TempCorpus()
        defer { c.remove() }
        try c.write("ke-hoach/plan.txt", formalPlan)
        try c.write("bom.txt", [0xEF, 0xBB, 0xBF] + Array("Báo cáo quý I\nSố 15/BC-UBND".utf8))
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in "Nghị quyết số 12/2020/NQ-HĐND\nngày 5/3/2021".utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        try c.write("nq.txt", utf16)
        try c.write("tin-tuc/news.html", HTMLTextExtractorTests.councilPage)

        let plan = try DocumentLoader.load(file(c, "ke-hoach/plan.txt"))
        #expect(plan.id == "ke-hoach/plan.txt")
        #expect(plan.text == formalPlan)
        #expect(plan.number == "07/KH-TTHĐND")
        #expect(plan.date?.iso == "2019-09-24")
        #expect(plan.kind == .plan)
        #expect(plan.title?.hasPrefix("Kế hoạch Làm việc với Thường trực HĐND") == true)
        #expect(plan.encoding == .utf8)

        let bom = try DocumentLoader.load(file(c, "bom.txt"))
        #expect(bom.encoding == .utf8BOM)
        #expect(bom.text.hasPrefix("Báo cáo"))
        #expect(bom.kind == .report && bom.number == "15/BC-UBND" && bom.title == "Báo cáo quý I")

        let nq = try DocumentLoader.load(file(c, "nq.txt"))
        #expect(nq.encoding == .utf16LE)
        #expect(nq.kind == .resolution && nq.date?.iso == "2021-03-05")

        let news = try DocumentLoader.load(file(c, "tin-tuc/news.html"))
        #expect(news.kind == .news)
        #expect(news.title == "Thường trực HĐND thị xã làm việc với Thường trực HĐND các phường, xã")
        #expect(news.date?.iso == "2019-10-11")
        #expect(news.number == nil)  // it mentions plan 07/KH-TTHĐND; a news item has no number of its own
        #expect(!news.text.contains("Trang chủ") && !news.text.contains("<p>"))
    }

    @Test func badFilesThrowWithPathAndReason() throws {
        let c = try TempCorpus()
        defer { c.remove() }
        try c.write("empty.txt", [])
        try c.write("blank.html", "<html><head><title>Trống</title><script>x()</script></head><body> </body></html>")
        try c.write("binary.txt", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x01])
        try c.write("latin1.txt", Array("Ph".utf8) + [0xE1, 0xBA] + Array(" xx ".utf8) + [0xFF, 0x28])
        try c.write("odd16.txt", [0xFF, 0xFE, 0x41])
        try c.write("big.txt", String(repeating: "a", count: 5000))
        try FileManager.default.createDirectory(atPath: c.root + "/dir.txt", withIntermediateDirectories: true)

        let cases: [(String, String)] = [
            ("empty.txt", "empty"), ("blank.html", "empty"), ("binary.txt", "binary"),
            ("latin1.txt", "encoding"), ("odd16.txt", "encoding"), ("missing.txt", "unreadable"),
            ("dir.txt", "not-a-file"),
        ]
        for (id, code) in cases {
            let error = #expect(throws: IngestError.self) { try DocumentLoader.load(file(c, id)) }
            #expect(error?.reason.code == code, "\(id)")
            #expect(error?.path == c.root + "/" + id)
            #expect(error?.description.contains(id) == true)
        }
        let big = #expect(throws: IngestError.self) { try DocumentLoader.load(file(c, "big.txt"), maxFileSize: 4096) }
        #expect(big?.reason == .tooLarge(5000, limit: 4096))
    }

    /// The skip reason names the limit: in MB as the default one is written, in bytes when MB
    /// would show the two sizes as equal.
    @Test(arguments: [(SkipReason.tooLarge(75 << 20, limit: CorpusScanner.defaultMaxFileSize), "too large (75 MB > 64 MB limit)"),
                      (.tooLarge(70_000_000, limit: 64 << 20), "too large (66.8 MB > 64 MB limit)"),
                      (.tooLarge((64 << 20) + 1, limit: 64 << 20), "too large (67108865 bytes > 67108864-byte limit)"),
                      (.tooLarge(2048, limit: 1000), "too large (2048 bytes > 1000-byte limit)")])
    func tooLargeNamesTheLimit(reason: SkipReason, text: String) {
        #expect(reason.description == text)
    }

    @Test func scanThenLoadEndToEnd() throws {
        let c = try TempCorpus()
        defer { c.remove() }
        try c.write("nghi-quyet/2020/nq-12.txt", "HỘI ĐỒNG NHÂN DÂN\nTỈNH THỪA THIÊN HUẾ\nSố: 12/2020/NQ-HĐND\nHuế, ngày 10 tháng 12 năm 2020\nNGHỊ QUYẾT\nVề dự toán ngân sách năm 2021\n")
        try c.write("tin-tuc/tin.txt", scrapedNewsItem)
        try c.write("tin-tuc/rac.txt", [0x00, 0x01, 0x02])
        try c.write("khac/ghi-chu.md", "Ghi chú họp tổ")
        let scan = CorpusScanner(root: c.root).scan()
        var docs: [Document] = []
        var skipped = scan.skipped
        for f in scan.files {
            do { docs.append(try DocumentLoader.load(f)) } catch { skipped.append(error.skipped) }
        }
        #expect(docs.map(\.id) == ["khac/ghi-chu.md", "nghi-quyet/2020/nq-12.txt", "tin-tuc/tin.txt"])
        #expect(docs.map(\.kind) == [.other, .resolution, .news])
        #expect(docs[1].title == "Nghị quyết về dự toán ngân sách năm 2021")
        #expect(docs[1].date?.iso == "2020-12-10")
        #expect(skipped.map(\.reason) == [.binary])
    }
}

@Suite("Scanner order")
struct ScannerOrderTests {
    @Test func namesSortInByteOrder() {
        let names = ["b", "a-b.txt", "a", "ab", "abcdefghij2", "abcdefghij1", "Ă.txt", "Z", "abcdefgh"]
        #expect(CorpusScanner.sortedByBytes(names) == names.sorted { CorpusScanner.bytesPrecede($0, $1) })
    }

    /// Numbered files sharing long prefixes, names that are prefixes of others, multi-byte letters:
    /// random folders sort exactly as a byte-by-byte comparison does.
    @Test func randomNumberedNamesSortInByteOrder() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [String] = ["0", "1", "2", "9", "a", "ư", "Ư", ".", "-"]
        for _ in 0..<200 {
            let prefix = String(repeating: "0100", count: Int.random(in: 0...12, using: &rng))
            let names = (0..<Int.random(in: 0...60, using: &rng)).map { _ in
                prefix + (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            }
            #expect(CorpusScanner.sortedByBytes(names) == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
    }

    @Test func idsComeOutInByteOrderEvenWhenAFolderNameIsAPrefix() throws {
        let root = NSTemporaryDirectory() + "vnscan-order-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        for p in ["a/x.txt", "a-b.txt", "a.txt", "b.txt", "a/y.txt"] { try "văn bản".write(toFile: root + "/" + p, atomically: true, encoding: .utf8) }
        defer { try? fm.removeItem(atPath: root) }
        let ids = CorpusScanner(root: root).scan().files.map(\.id)
        #expect(ids == ["a-b.txt", "a.txt", "a/x.txt", "a/y.txt", "b.txt"])
    }
}
