#if canImport(Glibc)
import Glibc
#endif

/// A snapshot of one published generation: its segments and their deletions.
///
/// Opening reads CURRENT, takes a shared lock on that generation's meta (so the indexer leaves it
/// in place while we read), and opens each segment. If the indexer removed the generation between
/// the read of CURRENT and the lock, opening retries with the new CURRENT.
public final class IndexReader: @unchecked Sendable {
    public let directory: IndexDirectory
    public let meta: IndexMeta
    public let segments: [SegmentReader]
    public let deletions: [DeletionSet?]
    private let metaFD: Int32

    /// Live documents across segments.
    public let documentCount: Int
    public let totalTokens: Int
    public let totalTitleTokens: Int
    /// Body and title tokens of the live documents (deleted ones awaiting a merge left out), for
    /// BM25's average lengths: scores then do not drift between an update and a full build.
    let liveTokens: Int
    let liveTitleTokens: Int

    public static let analyzerID = "vn-syllable-1"

    public init(directory: IndexDirectory) throws {
        self.directory = directory
        var attempt = 0
        while true {
            attempt += 1
            let g = try directory.currentGeneration()
            let metaPath = directory.generationPath(g) + "/meta"
            let fd = open(metaPath, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                if errno == ENOENT && attempt < 8 { usleep(20_000); continue }  // generation swapped under us
                throw IndexError.corrupted(file: metaPath, reason: "missing")
            }
            _ = flock(fd, LOCK_SH)
            // The indexer may have removed this generation between our open and our lock: then the
            // file we hold is unlinked, and CURRENT already names a newer generation.
            var st = stat()
            if fstat(fd, &st) == 0 && st.st_nlink == 0 && attempt < 8 { close(fd); continue }
            do {
                let meta = try directory.readMeta(generation: g)
                guard meta.analyzer == Self.analyzerID else {
                    throw IndexError.analyzerMismatch(file: metaPath, found: meta.analyzer, expected: Self.analyzerID)
                }
                var segs: [SegmentReader] = [], dels: [DeletionSet?] = []
                for s in meta.segments {
                    let base = directory.generationPath(g) + "/"
                    let seg = try SegmentReader(path: base + s.name + "." + SegmentFormat.fileExtension)
                    guard seg.documentCount == s.documents else {
                        throw IndexError.corrupted(file: seg.path, reason: "holds \(seg.documentCount) documents, meta says \(s.documents)")
                    }
                    segs.append(seg)
                    if let d = s.deletions {
                        dels.append(try DeletionSet.decode(try FileIO.readFile(base + d), path: base + d, documentCount: seg.documentCount))
                    } else {
                        dels.append(nil)
                    }
                }
                self.meta = meta; segments = segs; deletions = dels; metaFD = fd
                documentCount = zip(segs, dels).reduce(0) { $0 + $1.0.documentCount - ($1.1?.count ?? 0) }
                totalTokens = segs.reduce(0) { $0 + $1.totalTokens }
                totalTitleTokens = segs.reduce(0) { $0 + $1.totalTitleTokens }
                var deadTokens = 0, deadTitleTokens = 0
                for (seg, d) in zip(segs, dels) {
                    for doc in d?.members ?? [] {
                        let e = seg.docEntry(Int(doc))
                        deadTokens += e.tokenCount; deadTitleTokens += e.titleTokenCount
                    }
                }
                liveTokens = totalTokens - deadTokens
                liveTitleTokens = totalTitleTokens - deadTitleTokens
                return
            } catch let e as IndexError {
                close(fd)
                // A file vanished because a newer generation replaced this one: try again. If CURRENT
                // still names this generation, the file is really missing: the index is damaged.
                if case .io(let path, _, let code) = e, code == ENOENT {
                    if attempt < 8, (try? directory.currentGeneration()) != g { continue }
                    throw IndexError.corrupted(file: path, reason: "missing")
                }
                throw e
            }
        }
    }

    deinit { close(metaFD) }

    @inline(__always)
    public func isDeleted(segment: Int, doc: Int) -> Bool {
        deletions[segment]?.contains(doc) ?? false
    }

    /// Mean body length over the live documents, for BM25.
    public var averageLength: Double {
        documentCount == 0 ? 1 : max(1, Double(liveTokens) / Double(documentCount))
    }

    public var averageTitleLength: Double {
        documentCount == 0 ? 1 : max(1, Double(liveTitleTokens) / Double(documentCount))
    }

    /// Checks every checksum of every file; returns one line per damaged part.
    public func verify() -> [String] {
        var problems: [String] = []
        for s in segments {
            for name in s.verify() { problems.append("\(s.path): checksum mismatch in \(name)") }
        }
        return problems
    }
}
