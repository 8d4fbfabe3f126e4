import Dispatch
import VNAnalysis
import VNEncoding
import VNIndex
import VNIngest
#if canImport(Glibc)
import Glibc
#endif

/// What one `vnsearch index` run should do.
public struct BuildOptions: Sendable {
    public var corpus: String
    public var index: String
    /// Rebuild from scratch instead of updating the current generation.
    public var full = false
    /// Wait for another indexer instead of failing with `lockBusy`.
    public var wait = false
    /// Indexing threads (both cores by default).
    public var threads = 2
    /// Buffered postings and stored text per thread before a segment is flushed.
    public var memoryBudget = 48 << 20
    public var maxFileSize = CorpusScanner.defaultMaxFileSize

    public init(corpus: String, index: String) { self.corpus = corpus; self.index = index }
}

/// Progress of a running build, reported a few times per second.
public struct BuildProgress: Sendable {
    public var documentsDone: Int
    public var documentsTotal: Int
    public var bytesDone: Int
    public var bytesTotal: Int
    public var seconds: Double
}

/// What a run did: the one-line summary and the `--json` object.
public struct BuildSummary: Sendable {
    public var generation = 0
    public var added = 0
    public var updated = 0
    public var removed = 0
    public var unchanged = 0
    /// Previous documents kept because their file or folder could not be read this time: not known
    /// to be unchanged, and their path is counted once, among `skipped`.
    public var kept = 0
    public var skipped: [SkippedFile] = []
    public var documents = 0
    public var tokens = 0
    public var bytesRead = 0
    public var indexBytes = 0
    public var storedBytes = 0
    public var segments = 0
    public var seconds = 0.0
    public var full = false
    /// Files read in a legacy encoding or repaired, by encoding name.
    public var converted: [String: Int] = [:]
    /// Each converted file: id, encoding, and why it was decoded so (for `--verbose`).
    public var conversions: [(id: String, encoding: String, notes: [String])] = []
    public var warnings: [String] = []
    /// Files left out by `.vnsearchignore`.
    public var ignored = 0
}

/// Builds or updates the index: scan → load (decode, HTML, metadata) → analyze → segment writers on
/// every core → merge → publish a new generation atomically.
public enum IndexBuilder {
    /// More segments than this are merged into one.
    static let maxSegments = 8

    /// What an incremental run knows of a document of the previous generation.
    typealias PreviousDoc = (id: String, segment: Int, doc: Int, size: Int, modified: Double, hash: UInt64)

    /// The live documents of `prev`, read on `threads` threads (their info records are checksummed,
    /// which is most of the cost).
    static func previousDocuments(_ prev: IndexReader, threads: Int) throws -> [PreviousDoc] {
        var all: [(segment: Int, doc: Int)] = []
        all.reserveCapacity(prev.documentCount)
        for (s, seg) in prev.segments.enumerated() {
            for d in 0..<seg.documentCount where !prev.isDeleted(segment: s, doc: d) { all.append((s, d)) }
        }
        let parts = max(1, min(threads, all.count / 4096 + 1))
        var results = [[PreviousDoc]](repeating: [], count: parts)
        var failure: Error? = nil
        let lock = NSLockLite()
        results.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            nonisolated(unsafe) var failureBox = failure
            let work = { (p: Int) in
                let lo = all.count * p / parts, hi = all.count * (p + 1) / parts
                var local: [PreviousDoc] = []
                local.reserveCapacity(hi - lo)
                do {
                    for (s, d) in all[lo..<hi] {
                        let o = try prev.segments[s].docIdentity(d)
                        local.append((o.id, s, d, o.fileSize, o.modified, o.contentHash))
                    }
                } catch { lock.lock(); if failureBox == nil { failureBox = error }; lock.unlock() }
                out[p] = local
            }
            nonisolated(unsafe) let run = work
            if parts > 1 { DispatchQueue.concurrentPerform(iterations: parts) { run($0) } } else { run(0) }
            failure = failureBox
        }
        if let failure { throw failure }
        return results.flatMap { $0 }
    }

    public static func build(_ options: BuildOptions, progress: (@Sendable (BuildProgress) -> Void)? = nil) throws -> BuildSummary {
        let started = Clock.now()
        // Checked before the lock, which creates the index folder: a mistyped path leaves nothing behind.
        guard FileIO.isDirectory(options.corpus) else {
            throw FileIO.exists(options.corpus) ? SearchError.corpusNotAFolder(path: options.corpus) : SearchError.corpusMissing(path: options.corpus)
        }
        let dir = IndexDirectory(path: options.index)
        let lock = try dir.lockForWriting(wait: options.wait)
        defer { withExtendedLifetime(lock) {} }
        var summary = BuildSummary()

        // The previous generation, unless rebuilding from scratch.
        var previous: IndexReader? = nil
        if !options.full && dir.hasIndex {
            do { previous = try IndexReader(directory: dir) } catch {
                summary.warnings.append("previous index unreadable (\(error)); rebuilding from scratch")
            }
        }
        summary.full = previous == nil
        // The published generation keeps serving until the new one is published, --full or not. If
        // CURRENT cannot be read, no generation is known to be garbage: keep every complete one.
        var keep = Set<Int>()
        if let g = try? dir.currentGeneration() {
            keep.insert(g)
        } else if dir.hasIndex {
            keep = Set(dir.generationsOnDisk().filter { FileIO.exists(dir.generationPath($0) + "/meta") })
        }
        dir.collectGarbage(keep: keep)  // leftovers of a killed run
        // What changed: the previous documents sorted by id, walked beside the scan (sorted the
        // same way) — by size+mtime first, by content hash (in the workers) when those differ. They
        // are read while the folder is scanned: listing a folder keeps one core busy, not two.
        let previousRead = PreviousRead()
        let readingPrevious = DispatchGroup()
        if let prev = previous {
            let threads = options.threads
            DispatchQueue.global().async(group: readingPrevious) {
                do {
                    var docs = try Self.previousDocuments(prev, threads: threads)
                    docs.sort { CorpusScanner.bytesPrecede($0.id, $1.id) }
                    previousRead.docs = docs
                } catch { previousRead.error = error }
                // Unchanged segments are carried into the new generation as they are (hard links):
                // one damaged on disk would be carried forever, the nightly run reporting success
                // while searches fail. Every byte is checked (about 30 ms per 100 MB of index, while
                // the folder is scanned); the merger then does not check these segments again.
                for seg in prev.segments {
                    let bad = seg.verify()
                    if !bad.isEmpty { previousRead.damage = "\(seg.path): \(bad.joined(separator: ", "))"; break }
                }
            }
        }
        var scanner = CorpusScanner(root: options.corpus, maxFileSize: options.maxFileSize)
        scanner.statFiles = previous != nil  // nothing to compare with: the loader's fstat will do
        scanner.excludedFolders = [options.index]  // made by the lock above; `--index corpus/index` is no document
        var scan = scanner.scan()
        let ignore = IgnoreList(corpus: options.corpus)
        summary.warnings += ignore.warnings
        let before = scan.files.count + scan.skipped.count
        if !ignore.patterns.isEmpty { scan.files.filter { !ignore.matches($0.id) } }
        scan.skipped.removeAll { ignore.matchesPath($0.path) }
        summary.ignored = before - scan.files.count - scan.skipped.count
        Trace.mark("scan", since: started)
        summary.skipped = scan.skipped
        // A corpus folder that cannot be listed is a failed night, not an empty corpus: the
        // published index keeps serving.
        let root = scan.files.root
        if let r = scan.skipped.first(where: { $0.path == root }), case .unreadable(let why) = r.reason {
            throw SearchError.corpusUnreadable(path: root, reason: why)
        }
        // What could not be read this time (a folder or file denied, an I/O error) keeps what the
        // index held of it: a passing fault must not shrink the index.
        let rootSlash = Array((root + "/").utf8)
        let kept = KeptPaths(scan.skipped.filter(\.reason.keepsPreviousVersion).compactMap { s in
            s.path.utf8.starts(with: rootSlash) ? String(decoding: s.path.utf8.dropFirst(rootSlash.count), as: UTF8.self) : nil
        })
        var keptCount = 0

        readingPrevious.wait()
        if let damage = previousRead.damage {
            summary.warnings.append("previous index damaged (\(damage)); rebuilding from scratch")
            previous = nil
            summary.full = true
            previousRead.docs = []
            previousRead.error = nil
        }
        if let e = previousRead.error { throw e }
        let previousDocs = previousRead.docs
        // A corpus folder that is suddenly empty is more often an unmounted share than a council
        // that deleted everything: an update never empties the index; --full does, if meant.
        if scan.files.isEmpty && !previousDocs.isEmpty && !options.full && kept.isEmpty {
            throw SearchError.corpusEmptied(path: root, documents: previousDocs.count)
        }
        var work: [Int32] = []                                      // indexes into scan.files
        var gone: [(segment: Int, doc: Int)] = []                   // no longer in the folder
        var reread: [String: (segment: Int, doc: Int)] = [:]         // previous versions of files read again
        var oldHashes: [String: UInt64] = [:]
        do {
            let files = scan.files
            var i = 0, j = 0
            if previousDocs.isEmpty { work = Array(0..<Int32(files.count)); i = files.count }
            while i < files.count || j < previousDocs.count {
                // The scanned id compared in place (no String made per step).
                let order = i == files.count ? 1 : j == previousDocs.count ? -1 : files.compareID(i, previousDocs[j].id)
                if order < 0 {
                    work.append(Int32(i)); i += 1                                   // new file
                } else if order > 0 {
                    if kept.contains(previousDocs[j].id) { keptCount += 1 }             // unreadable: kept
                    else { gone.append((previousDocs[j].segment, previousDocs[j].doc)) }  // removed file
                    j += 1
                } else {
                    let o = previousDocs[j]
                    if o.size == files.size(i) && o.modified == files.modified(i) {
                        summary.unchanged += 1
                    } else {
                        work.append(Int32(i))
                        reread[o.id] = (o.segment, o.doc)
                        oldHashes[o.id] = o.hash
                    }
                    i += 1; j += 1
                }
            }
        }

        let generation = (dir.generationsOnDisk().max() ?? 0) + 1
        let genPath = dir.generationPath(generation)
        FileIO.removeTree(genPath)
        try FileIO.makeDirectories(genPath)
        Failpoint.hit("ingest")

        // Index changed and new files on every core.
        var nextSegment = previous?.meta.nextSegment ?? 1
        let shared = SharedState(files: scan.files, work: work, nextSegment: nextSegment, old: oldHashes)
        let workCount = work.count
        // A handful of files is indexed on one thread (one new segment); more on every core.
        let threads = workCount < 64 ? 1 : max(1, min(options.threads, workCount))
        // Unknown (0) when the scan did not stat the files.
        let bytesTotal = work.contains { scan.files.size(Int($0)) < 0 } ? 0 : work.reduce(0) { $0 + scan.files.size(Int($1)) }
        HeapMemory.mapLargeBuffers()
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            IndexWorker(shared: shared, genPath: genPath, budget: options.memoryBudget, maxFileSize: options.maxFileSize,
                        reportProgress: worker == 0 ? progress : nil, total: workCount, bytesTotal: bytesTotal, started: started).run()
        }
        if let e = shared.error { FileIO.removeTree(genPath); throw e }
        Trace.mark("ingest+analyze+flush", since: started)
        nextSegment = shared.nextSegment
        summary.skipped += shared.skipped
        summary.skipped.sort { $0.path < $1.path }
        summary.tokens = shared.tokens
        summary.bytesRead = shared.bytes
        summary.converted = shared.converted
        summary.conversions = shared.conversions.sorted { $0.id < $1.id }
        summary.unchanged += shared.unchangedByContent.count

        // Deletions: documents replaced, removed from the folder, or no longer readable.
        var deletions: [DeletionSet?] = previous?.deletions ?? []
        func delete(_ segment: Int, _ doc: Int) {
            if deletions[segment] == nil { deletions[segment] = DeletionSet(documentCount: previous!.segments[segment].documentCount) }
            deletions[segment]!.insert(doc)
        }
        for g in gone { delete(g.segment, g.doc); summary.removed += 1 }
        for id in shared.replacedIDs {
            if let o = reread[id] { delete(o.segment, o.doc); summary.updated += 1 }
        }
        for id in shared.failedIDs {
            if let o = reread[id] { delete(o.segment, o.doc); summary.removed += 1 }  // no longer indexable
        }
        keptCount += shared.keptIDs.reduce(0) { $0 + (reread[$1] != nil ? 1 : 0) }   // unreadable: old version kept
        if keptCount > 0 {
            summary.kept = keptCount
            summary.warnings.append("kept the previous version of \(keptCount) document\(keptCount == 1 ? "" : "s") that could not be read this time (see the skipped files)")
        }
        for id in shared.unchangedByContent {
            if let o = reread[id] { delete(o.segment, o.doc) }  // refreshed copy replaces it
        }
        summary.added = shared.indexedCount - summary.updated

        // The new generation's segments: old ones carried over (hard links), new ones, then merged
        // when there are too many or too much is deleted.
        var segs: [(name: String, reader: SegmentReader, deletions: DeletionSet?)] = []
        if let prev = previous {
            for (s, seg) in prev.segments.enumerated() {
                let name = prev.meta.segments[s].name
                if let d = deletions[s], d.count == seg.documentCount { continue }  // wholly deleted
                try FileIO.link(seg.path, genPath + "/" + name + ".seg")
                segs.append((name, seg, deletions[s]))
            }
        }
        for name in shared.newSegments.sorted() {
            segs.append((name, try SegmentReader(path: genPath + "/" + name + ".seg"), nil))
        }
        let deletedDocs = segs.reduce(0) { $0 + ($1.deletions?.count ?? 0) }
        let totalDocs = segs.reduce(0) { $0 + $1.reader.documentCount }
        let newCount = shared.newSegments.count
        // Merge policy, tiered as in Lucene: everything into one segment when a fifth of the documents
        // is deleted; when there are more than `maxSegments`, the small segments (each under a tenth of
        // the documents: nightly updates) into one, which is cheap; a big run's memory flushes (more
        // than 2T fresh segments on T threads) into one. Otherwise segments stay as written: searching
        // a few more costs a few dictionary look-ups, merging would cost a sixth of a full build.
        func merge(_ picked: [Int]) throws {
            let name = IndexDirectory.segmentName(nextSegment); nextSegment += 1
            try SegmentMerger.merge(picked.map { (segs[$0].reader, segs[$0].deletions) }, into: genPath + "/" + name + ".seg")
            for i in picked { unlink(genPath + "/" + segs[i].name + ".seg") }
            let kept = segs.indices.filter { !picked.contains($0) }.map { segs[$0] }
            segs = kept + [(name, try SegmentReader(path: genPath + "/" + name + ".seg"), nil)]
        }
        let small = segs.indices.filter { segs[$0].reader.documentCount * 10 < totalDocs }
        if (segs.count > 1 || deletedDocs > 0) && deletedDocs * 5 > totalDocs {
            try merge(Array(segs.indices))
        } else if segs.count > Self.maxSegments {
            try merge(small.count >= 2 ? small : Array(segs.indices))
        } else if newCount > 2 * options.threads {
            try merge(Array(segs.indices.suffix(newCount)))
        }
        Trace.mark("merge", since: started)
        Failpoint.hit("write")

        var metaSegments: [IndexMeta.Segment] = []
        for s in segs {
            var delName: String? = nil
            if let d = s.deletions, d.count > 0 {
                delName = s.name + "-g\(generation).del"
                try IndexFiles.writeDeletions(d, to: genPath + "/" + delName!)
            }
            metaSegments.append(IndexMeta.Segment(name: s.name, documents: s.reader.documentCount, deletions: delName))
            summary.indexBytes += s.reader.sizes.index
            summary.storedBytes += s.reader.sizes.stored
            summary.documents += s.reader.documentCount - (s.deletions?.count ?? 0)
        }
        summary.segments = segs.count
        let meta = IndexMeta(analyzer: IndexReader.analyzerID, generation: generation, nextSegment: nextSegment,
                             created: Int(time(nil)), corpus: FileIO.absolute(options.corpus), segments: metaSegments)
        try IndexFiles.writeMeta(meta, generationPath: genPath)
        Failpoint.hit("publish")
        try dir.publish(generation: generation)
        Trace.mark("publish", since: started)
        segs.removeAll()
        previous = nil
        dir.collectGarbage(keep: [generation])
        Trace.mark("clean-up", since: started)
        summary.generation = generation
        summary.seconds = Clock.now() - started
        return summary
    }
}

/// The previous documents, read on another thread while the scan runs (handed over after a wait).
final class PreviousRead: @unchecked Sendable {
    var docs: [IndexBuilder.PreviousDoc] = []
    var error: Error?
    /// A damaged segment of the previous generation, and what `verify` found.
    var damage: String?
}

/// State shared by the indexing threads, behind one lock.
final class SharedState: @unchecked Sendable {
    private let lock = NSLockLite()
    /// One flush at a time while indexing goes on: a flush briefly holds its buffers and their
    /// serialized form, and threads filling at the same rate would otherwise flush together.
    let flushLock = NSLockLite()
    let files: CorpusFileList
    /// Indexes into `files` of the files to read.
    let work: [Int32]
    let old: [String: UInt64]
    private var next = 0
    var nextSegment: Int
    var newSegments: [String] = []
    var skipped: [SkippedFile] = []
    /// Files indexed, and the ids of those that replace a previous version (kept small: a full
    /// build holds no list of every id).
    var indexedCount = 0
    var replacedIDs: [String] = []
    var failedIDs = Set<String>()
    /// Files that could not be read this time (permission, I/O): their previous version stays.
    var keptIDs: [String] = []
    var unchangedByContent: [String] = []
    var tokens = 0
    var bytes = 0
    var done = 0
    var converted: [String: Int] = [:]
    var conversions: [(id: String, encoding: String, notes: [String])] = []
    var error: Error?

    init(files: CorpusFileList, work: [Int32], nextSegment: Int, old: [String: UInt64]) {
        self.files = files; self.work = work; self.nextSegment = nextSegment; self.old = old
    }

    func withLock<T>(_ body: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return body() }

    /// Next batch of file indexes to process (batches keep lock traffic low).
    func take(_ n: Int) -> Range<Int> {
        withLock {
            if error != nil { return 0..<0 }
            let start = next
            next = min(work.count, next + n)
            return start..<next
        }
    }

    func newSegmentName() -> String {
        withLock { let n = nextSegment; nextSegment += 1; return IndexDirectory.segmentName(n) }
    }
}

/// One indexing thread: its own analyzer and segment writer.
struct IndexWorker {
    let shared: SharedState
    let genPath: String
    let budget: Int
    let maxFileSize: Int
    let reportProgress: (@Sendable (BuildProgress) -> Void)?
    let total: Int
    let bytesTotal: Int
    let started: Double

    func run() {
        // Worker-local copies: reading shared arrays through the class retains their buffers with
        // atomic operations that two cores fight over.
        let files = shared.files, work = shared.work
        let old = shared.old
        let analyzer = Analyzer()
        var writer = SegmentWriter()
        var skipped: [SkippedFile] = [], failed: [String] = [], same: [String] = [], replaced: [String] = []
        var keptIDs: [String] = []
        var indexed = 0
        var tokens = 0, bytes = 0, done = 0
        var converted: [String: Int] = [:]
        var conversions: [(id: String, encoding: String, notes: [String])] = []
        var lastReport = 0.0
        let docTokens = DocTokenBuffer()
        func flushWriter(last: Bool = false) throws {
            guard writer.documentCount > 0 else { return }
            let name = shared.newSegmentName()
            // The last flushes of the threads run together: the build waits for them, and the
            // buffers are rarely full then.
            if !last { shared.flushLock.lock() }
            defer { if !last { shared.flushLock.unlock() } }
            try writer.flush(to: genPath + "/" + name + ".seg")
            shared.withLock { shared.newSegments.append(name) }
            writer = SegmentWriter()
            // The spent buffers went back to malloc, which keeps them; hand them to the system so
            // the next segment's buffers do not stack on top of the last one's.
            HeapMemory.releaseFree()
        }
        do {
            while true {
                let batch = shared.take(16)
                if batch.isEmpty { break }
                for i in batch {
                    let file = files[Int(work[i])]
                    done += 1
                    let doc: Document
                    do { doc = try DocumentLoader.load(file, maxFileSize: maxFileSize) } catch {
                        skipped.append(error.skipped)
                        if error.skipped.reason.keepsPreviousVersion { keptIDs.append(file.id) } else { failed.append(file.id) }
                        continue
                    }
                    bytes += doc.fileSize
                    let hash = ContentHash.of(doc)
                    let touchedOnly = old[file.id] == hash
                    tokens += DocumentIndexer.add(doc, file: file, hash: hash, analyzer: analyzer, writer: writer, buffer: docTokens)
                    if touchedOnly {
                        // Touched but not changed: reported as unchanged, but indexed again so the record
                        // carries the new size and mtime and the next night skips the file unread.
                        same.append(file.id)
                        if writer.bufferedBytes > budget { try flushWriter() }
                        continue
                    }
                    if doc.encoding.isLegacy || !doc.notes.isEmpty {
                        let name = doc.encoding.isLegacy ? doc.encoding.rawValue
                            : doc.invalidBytes > 0 ? "invalid-utf8-replaced" : "mojibake-repaired"
                        converted[name, default: 0] += 1
                        conversions.append((doc.id, doc.encoding.displayName, doc.notes))
                    }
                    indexed += 1
                    if old[file.id] != nil { replaced.append(file.id) }
                    Failpoint.hit("document")
                    if writer.bufferedBytes > budget { try flushWriter() }
                }
                if let report = reportProgress {
                    let now = Clock.now()
                    if now - lastReport > 0.2 {
                        lastReport = now
                        let (d, b) = shared.withLock { (shared.done + done, shared.bytes + bytes) }
                        report(BuildProgress(documentsDone: d, documentsTotal: total, bytesDone: b, bytesTotal: bytesTotal, seconds: now - started))
                    }
                }
                shared.withLock { shared.done += done; shared.bytes += bytes }
                done = 0; bytes = 0
            }
            try flushWriter(last: true)
        } catch {
            shared.withLock { if shared.error == nil { shared.error = error } }
        }
        shared.withLock {
            shared.skipped += skipped
            shared.indexedCount += indexed
            shared.replacedIDs += replaced
            shared.failedIDs.formUnion(failed)
            shared.keptIDs += keptIDs
            shared.unchangedByContent += same
            shared.tokens += tokens
            for (k, v) in converted { shared.converted[k, default: 0] += v }
            shared.conversions += conversions
        }
    }
}

/// `.vnsearchignore` in the corpus folder: one fnmatch pattern per line, matched against document
/// ids (`README.md`, `drafts/*`); `#` starts a comment. A malformed pattern is left out, with a
/// warning naming its line.
struct IgnoreList {
    let patterns: [String]
    let corpus: String
    var warnings: [String] = []

    /// Skipped entries carry paths (corpus folder + "/" + id); files carry ids.
    func matchesPath(_ path: String) -> Bool {
        let prefix = corpus.hasSuffix("/") ? corpus : corpus + "/"
        return path.hasPrefix(prefix) && matches(String(path.dropFirst(prefix.count)))
    }

    init(corpus: String) {
        self.corpus = corpus
        let path = corpus + "/.vnsearchignore"
        guard let bytes = try? FileIO.readFile(path) else { patterns = []; return }
        var patterns: [String] = []
        for (n, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let p = String(line).trimmingCharacters(inSet: [" ", "\t", "\r"])
            if p.isEmpty || p.hasPrefix("#") { continue }
            if let why = Self.problem(in: p) {
                warnings.append("'\(path)' line \(n + 1): pattern '\(p)' left out: \(why)")
            } else {
                patterns.append(p)
            }
        }
        self.patterns = patterns
    }

    /// What is wrong with an fnmatch pattern, or nil. glibc gives no error: it reads an unclosed
    /// "[" as a plain "[" and a pattern ending in a lone "\" as matching nothing.
    static func problem(in pattern: String) -> String? {
        let c = Array(pattern.utf8)
        func at(_ k: Int, _ s: Unicode.Scalar) -> Bool { k < c.count && c[k] == UInt8(ascii: s) }
        var i = 0
        while i < c.count {
            if at(i, "\\") {
                if i + 1 == c.count { return "it ends with a lone \\ (write \\\\ for a backslash)" }
                i += 2
            } else if at(i, "[") {
                var j = i + 1
                if at(j, "!") || at(j, "^") { j += 1 }
                if at(j, "]") { j += 1 }  // a first "]" is one of the set
                while j < c.count && !at(j, "]") {
                    // "[:alpha:]" inside a set ends at its ":]".
                    if at(j, "["), at(j + 1, ":"), let end = (j + 2..<c.count).first(where: { at($0, ":") && at($0 + 1, "]") }) { j = end + 2; continue }
                    j += at(j, "\\") ? 2 : 1
                }
                if j >= c.count { return "its [ is never closed (write \\[ for a plain [)" }
                i = j + 1
            } else {
                i += 1
            }
        }
        return nil
    }

    func matches(_ id: String) -> Bool {
        patterns.contains { fnmatch($0, id, 0) == 0 }
    }
}

/// Corpus-relative paths (files or folders) that could not be read this run: a previous document
/// is kept when its id is one of them or lies under one.
struct KeptPaths {
    /// As bytes: ids are compared byte for byte everywhere (String's == would equate NFC and NFD).
    private let paths: Set<[UInt8]>
    init(_ paths: [String]) { self.paths = Set(paths.map { Array($0.utf8) }) }

    var isEmpty: Bool { paths.isEmpty }

    /// Whether `id` or one of its folders is kept: each "/"-prefix looked up once.
    func contains(_ id: String) -> Bool {
        if paths.isEmpty { return false }
        let bytes = Array(id.utf8)
        if paths.contains(bytes) { return true }
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "/") {
            if paths.contains(Array(bytes[..<i])) { return true }
        }
        return false
    }
}
