#if canImport(Glibc)
import Glibc
#endif

/// The index folder: numbered generation folders and one `CURRENT` pointer switched by rename.
///
///     index/
///       CURRENT            "gen-000007\n": the generation readers open
///       writer.lock        flock'ed by the one indexer at work
///       gen-000007/meta    the commit point (IndexMeta)
///       gen-000007/seg-000003.seg, seg-000003-g7.del …
///
/// A new generation is written aside, fsynced, then published by renaming `CURRENT.tmp` over
/// `CURRENT`: a reader sees the old generation or the new one, never a mix. Unchanged segments are
/// hard-linked from the previous generation. Readers hold a shared flock on their generation's
/// `meta`; a generation is removed only when the writer can take that lock exclusively.
public struct IndexDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path }

    var currentPath: String { path + "/CURRENT" }
    var lockPath: String { path + "/writer.lock" }

    public static func generationName(_ g: Int) -> String {
        let s = String(g)
        return "gen-" + String(repeating: "0", count: max(0, 6 - s.count)) + s
    }

    public static func segmentName(_ n: Int) -> String {
        let s = String(n)
        return "seg-" + String(repeating: "0", count: max(0, 6 - s.count)) + s
    }

    public func generationPath(_ g: Int) -> String { path + "/" + Self.generationName(g) }

    /// Whether the folder holds an index at all (a CURRENT pointer).
    public var hasIndex: Bool { FileIO.exists(currentPath) }

    /// The generation CURRENT points to.
    public func currentGeneration() throws -> Int {
        guard FileIO.exists(currentPath) else { throw IndexError.noIndex(path: path) }
        let text = String(decoding: try FileIO.readFile(currentPath), as: UTF8.self).trimmingNewline
        guard text.hasPrefix("gen-"), let g = Int(text.dropFirst(4)), g > 0 else {
            throw IndexError.corrupted(file: currentPath, reason: "does not name a generation")
        }
        return g
    }

    /// Generation numbers present on disk (published or left over).
    public func generationsOnDisk() -> [Int] {
        FileIO.listDirectory(path).compactMap { name in
            name.hasPrefix("gen-") ? Int(name.dropFirst(4)) : nil
        }.sorted()
    }

    public func readMeta(generation g: Int) throws -> IndexMeta {
        let p = generationPath(g) + "/meta"
        // Missing: either removed by a newer indexer (readers retry on ENOENT) or never written.
        guard FileIO.exists(p) else { throw IndexError.io(path: p, operation: "open", errno: ENOENT) }
        return try IndexMeta.decode(try FileIO.readFile(p), path: p)
    }

    /// Publishes generation `g` (whose folder is complete and fsynced): the atomic switch.
    public func publish(generation g: Int) throws {
        try FileIO.fsyncDirectory(generationPath(g))
        try FileIO.fsyncDirectory(path)
        try FileIO.writeAtomically(Array((Self.generationName(g) + "\n").utf8), to: currentPath)
    }

    /// Removes generation folders other than `keep` that no reader holds, and temporary files.
    /// Returns the names removed.
    @discardableResult
    public func collectGarbage(keep: Set<Int>) -> [String] {
        var removed: [String] = []
        for name in FileIO.listDirectory(path) {
            let full = path + "/" + name
            if name.hasPrefix("gen-") {
                guard let g = Int(name.dropFirst(4)), !keep.contains(g) else { continue }
                // Hold the exclusive lock while removing, so no reader can lock the meta in between.
                if let lock = Self.lockExclusive(full + "/meta") {
                    FileIO.removeTree(full)
                    withExtendedLifetime(lock) {}
                    removed.append(name)
                }
            } else if name.hasSuffix(".tmp") {
                FileIO.removeTree(full)
                removed.append(name)
            }
        }
        return removed
    }

    /// An exclusive lock on `metaPath` when no reader holds it (a lock on nothing when the file is
    /// missing); nil when a reader holds it. Released when the returned value is dropped.
    static func lockExclusive(_ metaPath: String) -> WriterLock? {
        let fd = open(metaPath, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return WriterLock(fd: -1) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return WriterLock(fd: fd) }
        close(fd)
        return nil
    }

    /// Takes the writer lock; throws `lockBusy` when another indexer holds it (unless `wait`).
    public func lockForWriting(wait: Bool) throws -> WriterLock {
        try FileIO.makeDirectories(path)
        let fd = try FileIO.open(lockPath, O_RDWR | O_CREAT)
        while flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            close(fd)
            throw IndexError.lockBusy(path: path)
        }
        return WriterLock(fd: fd)
    }
}

/// Held while an indexer writes; released on deinit (and by the kernel if the process dies).
public final class WriterLock: @unchecked Sendable {
    private let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { if fd >= 0 { flock(fd, LOCK_UN); close(fd) } }
}
