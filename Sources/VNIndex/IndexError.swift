/// Everything that can go wrong opening, reading or writing an index. Each message names the file
/// and says what to do.
public enum IndexError: Error, Sendable, CustomStringConvertible {
    /// The folder holds no index (no CURRENT pointer).
    case noIndex(path: String)
    /// A file is damaged: truncated, bad checksum, foreign bytes.
    case corrupted(file: String, reason: String)
    /// Written by another format version.
    case formatVersion(file: String, found: UInt32, supported: UInt32)
    /// Built by another analyzer version: keys would not match.
    case analyzerMismatch(file: String, found: String, expected: String)
    /// Another indexer holds the lock.
    case lockBusy(path: String)
    /// A system call failed on a path.
    case io(path: String, operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .noIndex(let path):
            return "no index in '\(path)': build one with `vnsearch index --index \(path)`"
        case .corrupted(let file, let reason):
            return "index file '\(file)' is damaged (\(reason)): rebuild it with `vnsearch index --full`"
        case .formatVersion(let file, let found, let supported):
            return "index file '\(file)' has format version \(found), this vnsearch reads version \(supported): rebuild it with `vnsearch index --full`"
        case .analyzerMismatch(let file, let found, let expected):
            return "index '\(file)' was built with analyzer '\(found)', this vnsearch uses '\(expected)': rebuild it with `vnsearch index --full`"
        case .lockBusy(let path):
            return "another `vnsearch index` is running on '\(path)' (lock held); wait for it or pass --wait"
        case .io(let path, let operation, let errno):
            return "cannot \(operation) '\(path)': \(IndexError.errnoText(errno))"
        }
    }

    static func errnoText(_ e: Int32) -> String {
        guard let s = strerror(e) else { return "errno \(e)" }
        return String(cString: s)
    }
}

#if canImport(Glibc)
import Glibc
#endif
