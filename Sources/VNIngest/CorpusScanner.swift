import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file the scanner found and the loader can read.
public struct CorpusFile: Sendable, Hashable {
    /// The corpus root the id is relative to (one string shared by every file of a scan).
    public var root: String
    /// Path relative to the corpus root, with `/`: the document id.
    public var id: String
    /// Size in bytes when scanned; -1 when the scan did not stat it (`CorpusScanner.statFiles`).
    public var size: Int
    /// Modification time, seconds since 1970 (0 when not stat'ed).
    public var modified: Double

    public init(root: String, id: String, size: Int, modified: Double) {
        self.root = root; self.id = id; self.size = size; self.modified = modified
    }

    /// The path to open: the corpus root joined with `id`.
    public var path: String { root + "/" + id }

    /// Lower-cased extension without the dot ("html"); empty when there is none.
    public var fileExtension: String { CorpusScanner.fileExtension(of: id) }
}

/// The files of a scan, packed: ids back to back in one byte arena, so the list costs about its
/// ids' bytes plus 20 bytes a file (not ~300 with a `String` path and id each) — it is held for a
/// whole build, and it is what grows with the corpus.
public struct CorpusFileList: RandomAccessCollection, Sendable {
    public let root: String
    private var arena: [UInt8] = []
    private var idEnd: [UInt32] = []
    private var sizes: [Int] = []
    private var mtimes: [Double] = []

    public init(root: String) { self.root = root }

    public var startIndex: Int { 0 }
    public var endIndex: Int { sizes.count }

    public subscript(i: Int) -> CorpusFile {
        CorpusFile(root: root, id: id(i), size: sizes[i], modified: mtimes[i])
    }

    public func id(_ i: Int) -> String {
        let start = i == 0 ? 0 : Int(idEnd[i - 1]), end = Int(idEnd[i])
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    public func size(_ i: Int) -> Int { sizes[i] }
    public func modified(_ i: Int) -> Double { mtimes[i] }

    /// The byte order of file `i`'s id against `id`: negative, 0 or positive, as memcmp.
    public func compareID(_ i: Int, _ id: String) -> Int {
        let start = i == 0 ? 0 : Int(idEnd[i - 1]), count = Int(idEnd[i]) - start
        var id = id
        return id.withUTF8 { b in
            arena.withUnsafeBufferPointer { a in
                let n = Swift.min(count, b.count)
                let c = n == 0 ? 0 : memcmp(a.baseAddress! + start, b.baseAddress!, n)
                return c != 0 ? Int(c) : count - b.count
            }
        }
    }

    /// Appends a file; `file.root` must be this list's root.
    public mutating func append(_ file: CorpusFile) { append(id: file.id, size: file.size, modified: file.modified) }

    mutating func append(id: String, size: Int, modified: Double) {
        var id = id
        id.withUTF8 { arena.append(contentsOf: $0) }
        idEnd.append(UInt32(arena.count))
        sizes.append(size)
        mtimes.append(modified)
    }

    mutating func reserveCapacity(files n: Int, idBytes: Int) {
        arena.reserveCapacity(arena.count + idBytes)
        idEnd.reserveCapacity(count + n); sizes.reserveCapacity(count + n); mtimes.reserveCapacity(count + n)
    }

    /// Keeps the files `keep` says yes to, in order.
    public mutating func filter(_ keep: (CorpusFile) -> Bool) {
        var out = CorpusFileList(root: root)
        for f in self where keep(f) { out.append(f) }
        self = out
    }

    /// Whether the ids are in UTF-8 byte order (compared in the arena, no String made).
    var isSortedByID: Bool {
        arena.withUnsafeBufferPointer { a in
            for i in 1..<Swift.max(1, count) {
                let s0 = i == 1 ? 0 : Int(idEnd[i - 2]), e0 = Int(idEnd[i - 1]), e1 = Int(idEnd[i])
                let n0 = e0 - s0, n1 = e1 - e0
                let c = Swift.min(n0, n1) == 0 ? 0 : memcmp(a.baseAddress! + s0, a.baseAddress! + e0, Swift.min(n0, n1))
                if c > 0 || (c == 0 && n0 > n1) { return false }
            }
            return true
        }
    }

    /// Sorted by id in UTF-8 byte order.
    mutating func sortByID() {
        let ids = indices.map(id)
        let order = ids.indices.sorted { CorpusScanner.bytesPrecede(ids[$0], ids[$1]) }
        var out = CorpusFileList(root: root)
        for i in order { out.append(self[i]) }
        self = out
    }
}

/// Why a file was not indexed.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    /// Not .txt, .md, .html or .htm; carries the lower-cased extension ("" for none).
    case unsupportedType(String)
    /// Could not be opened or listed; carries the system's reason.
    case unreadable(String)
    /// A symbolic link leading back into a folder being walked, or a chain of links with no end.
    case symlinkLoop
    /// Larger than the limit; carries the size and the limit in bytes.
    case tooLarge(Int, limit: Int)
    /// No bytes, or no visible text.
    case empty
    /// Holds NUL or control bytes.
    case binary
    /// Not UTF-8/UTF-16 and no legacy Vietnamese encoding fits (or too short to tell); carries what the decoder said.
    case encoding(String)
    /// A device, FIFO or socket.
    case notAFile
    /// A name starting with "." (a hidden file, or a hidden folder left unwalked).
    case hidden

    /// Short stable code for JSON summaries.
    public var code: String {
        switch self {
        case .unsupportedType: return "unsupported-type"
        case .unreadable: return "unreadable"
        case .symlinkLoop: return "symlink-loop"
        case .tooLarge: return "too-large"
        case .empty: return "empty"
        case .binary: return "binary"
        case .encoding: return "encoding"
        case .notAFile: return "not-a-file"
        case .hidden: return "hidden"
        }
    }

    public var description: String {
        switch self {
        case .unsupportedType(let ext): return ext.isEmpty ? "unsupported file type (no extension)" : "unsupported file type .\(ext)"
        case .unreadable(let why): return "unreadable: \(why)"
        case .symlinkLoop: return "symbolic link loop"
        case .tooLarge(let bytes, let limit):
            // In MB as the default limit is written, unless that would show the two as equal.
            func mb(_ n: Int) -> String { let t = Int((Double(n) / 104_857.6).rounded()); return "\(t / 10)" + (t % 10 == 0 ? "" : ".\(t % 10)") + " MB" }
            if limit >= 1 << 20, mb(bytes) != mb(limit) { return "too large (\(mb(bytes)) > \(mb(limit)) limit)" }
            return "too large (\(bytes) bytes > \(limit)-byte limit)"
        case .empty: return "empty (no text)"
        case .binary: return "binary file, not text"
        case .encoding(let why): return "encoding: \(why)"
        case .notAFile: return "not a regular file"
        case .hidden: return "hidden (the name starts with \".\")"
        }
    }
}

extension SkipReason {
    static let brokenLink = "broken symbolic link"

    /// A passing fault — permission denied, an I/O error, a symbolic link whose target is missing
    /// (a share linked into the corpus and not mounted tonight) — on something still listed: an
    /// index run keeps what it had indexed under it rather than dropping it, with a warning. A file
    /// that vanished during the run is gone, though; so is a link once it is removed.
    public var keepsPreviousVersion: Bool {
        guard case .unreadable(let why) = self else { return false }
        return why != CorpusScanner.errorText(ENOENT)
    }
}

/// A path the scanner or loader passed over, and why.
public struct SkippedFile: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: SkipReason

    public init(path: String, reason: SkipReason) { self.path = path; self.reason = reason }

    public var description: String { "\(path): \(reason)" }
}

/// What a scan found: files to load, and paths passed over.
public struct CorpusScan: Sendable {
    /// Sorted by `id` (byte order).
    public var files: CorpusFileList
    /// Sorted by `path` (byte order). A hidden folder is one entry; the corpus's own
    /// `.vnsearchignore` and an index folder inside the corpus are not listed.
    public var skipped: [SkippedFile]

    public init(root: String, skipped: [SkippedFile] = []) { self.files = CorpusFileList(root: root); self.skipped = skipped }
}

/// Finds the documents under a corpus folder.
///
/// Walks recursively with POSIX calls, follows symbolic links to files and folders but stops at
/// loops (a folder already on the current path, by device and inode), walks each folder once
/// (a second link to it is passed over silently), skips hidden names (starting with "."), and
/// never stops on a bad entry: each one is reported in `skipped`.
///
/// ```swift
/// let scan = CorpusScanner(root: "corpus").scan()
/// for file in scan.files { _ = try? DocumentLoader.load(file) }
/// ```
public struct CorpusScanner: Sendable {
    public static let defaultExtensions: Set<String> = ["txt", "md", "html", "htm"]
    public static let defaultMaxFileSize = 64 << 20

    public var root: String
    /// Files larger than this many bytes are skipped as too large.
    public var maxFileSize: Int
    /// Lower-cased extensions to index.
    public var extensions: Set<String>
    /// Stat every file for its size and time (incremental runs compare them with the index). A full
    /// build turns it off: the folder listing tells regular files apart, and the loader's `fstat` on
    /// the open file gives size and time — one system call a file fewer.
    public var statFiles = true
    /// Folders left out silently: the index folder, when it lies inside the corpus, with the
    /// generations and temporary files being written in it. Compared by device and inode, so any
    /// spelling of the path (relative, "..", through a link) finds it.
    public var excludedFolders: [String] = []

    public init(root: String, maxFileSize: Int = CorpusScanner.defaultMaxFileSize,
                extensions: Set<String> = CorpusScanner.defaultExtensions) {
        self.root = root; self.maxFileSize = maxFileSize; self.extensions = extensions
    }

    private struct NodeID: Hashable { var device: UInt64; var inode: UInt64 }

    /// Folders walked so far, and folders reached through a symbolic link, waiting their turn.
    private struct Visits {
        var walked: Set<NodeID>
        /// `excludedFolders`, left out without a word even when hidden.
        var excluded: Set<NodeID> = []
        var linked: [(path: String, id: String, node: NodeID, ancestors: Set<NodeID>)] = []
    }

    /// Walks the tree. Cost: one `lstat` per entry, plus a `stat` per symbolic link.
    public func scan() -> CorpusScan {
        var rootPath = root
        while rootPath.count > 1, rootPath.hasSuffix("/") { rootPath.removeLast() }
        var result = CorpusScan(root: rootPath)
        var st = stat()
        if stat(rootPath, &st) != 0 {
            result.skipped.append(SkippedFile(path: rootPath, reason: .unreadable(Self.errorText(errno))))
            return result
        }
        if (st.st_mode & S_IFMT) != S_IFDIR {
            result.skipped.append(SkippedFile(path: rootPath, reason: .unreadable("not a folder")))
            return result
        }
        var ancestors: Set<NodeID> = [NodeID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))]
        var visits = Visits(walked: ancestors)
        for folder in excludedFolders where stat(folder, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            let node = NodeID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            visits.walked.insert(node)  // as if walked
            visits.excluded.insert(node)
        }
        walk(directory: rootPath, prefix: "", ancestors: &ancestors, visits: &visits, into: &result)
        // Folders reached through a link are walked after every real folder, so that a link to a
        // folder of the corpus finds it walked (its documents keep their real ids, indexed once),
        // while a link to a folder outside is walked as before.
        var next = 0
        while next < visits.linked.count {
            let link = visits.linked[next]; next += 1
            guard visits.walked.insert(link.node).inserted else { continue }
            var chain = link.ancestors
            chain.insert(link.node)
            walk(directory: link.path, prefix: link.id, ancestors: &chain, visits: &visits, into: &result)
        }
        // Folders are walked in name order, so the ids come out sorted unless a folder name sorts
        // differently once its "/" is appended ("a" before "a-b", but "a/…" after it) or a linked
        // folder was walked: check in one pass, sort only then.
        if !result.files.isSortedByID { result.files.sortByID() }
        if !Self.isSorted(result.skipped.lazy.map(\.path)) { result.skipped.sort { Self.bytesPrecede($0.path, $1.path) } }
        return result
    }

    private func walk(directory: String, prefix: String, ancestors: inout Set<NodeID>, visits: inout Visits, into result: inout CorpusScan) {
        guard let dir = opendir(directory) else {
            result.skipped.append(SkippedFile(path: directory, reason: .unreadable(Self.errorText(errno))))
            return
        }
        // Entries are looked up relative to the open folder: the kernel resolves one name, not
        // the whole path, per call.
        let dfd = dirfd(dir)
        defer { closedir(dir) }
        var unreadableNames: [String] = [], hiddenNames: [String] = []
        /// Appends up to `limit` listed entries; false when the listing is over.
        func list(into names: inout [String], _ types: inout [UInt8], limit: Int) -> Bool {
            var n = 0
            while n < limit {
                guard let entry = readdir(dir) else { return false }
                let (name, shown): (String?, String) = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { c in
                        let valid = String(validatingCString: c)
                        return (valid, valid ?? Self.escapedName(c))
                    }
                }
                // Not valid UTF-8: the id could not be written or opened again faithfully. Reported
                // with its bytes escaped (\xE1), so the user can find and rename it.
                guard let name else {
                    if shown.utf8.first != UInt8(ascii: ".") { unreadableNames.append(shown) } else { hiddenNames.append(shown) }
                    continue
                }
                if name.utf8.first == UInt8(ascii: ".") {
                    // Hidden files and folders are counted, not read; "." and ".." are no entries,
                    // and the corpus's .vnsearchignore is read by the indexer.
                    if name != "." && name != ".." && !(prefix.isEmpty && name == ".vnsearchignore") { hiddenNames.append(name) }
                    continue
                }
                names.append(name)
                types.append(entry.pointee.d_type)
                n += 1
            }
            return true
        }
        // What the listing says an entry is; "unknown" (some file systems) means stat it.
        func classify(_ name: String, _ type: UInt8) -> Entry {
            self.classify(name, regular: type == UInt8(DT_REG), in: dfd, directory: directory, prefix: prefix)
        }

        // Each entry is stat'ed and classified on its own, in listing order. A big folder (a nightly
        // corpus often has thousands of files in one) is done on two threads: one goes on listing
        // while the other stats what is listed, then sorts the names while both stat the rest.
        // Sub-folders are walked afterwards, in name order, on this thread (loop detection needs the path).
        var names: [String] = [], types: [UInt8] = []
        let entries: [String]
        let outcomes: [Entry]
        let order: [Int32]
        if !list(into: &names, &types, limit: 4096) {
            entries = names
            outcomes = (0..<names.count).map { classify(names[$0], types[$0]) }
            order = Self.byteOrder(names)
        } else {
            let queue = EntryQueue(names, types)
            nonisolated(unsafe) var sorted: [Int32] = []
            nonisolated(unsafe) let lister: (inout [String], inout [UInt8]) -> Bool = { list(into: &$0, &$1, limit: 1024) }
            let work = { (thread: Int) in
                if thread == 0 {
                    var more = true
                    while more {
                        var n: [String] = [], t: [UInt8] = []
                        more = lister(&n, &t)
                        queue.add(n, t, last: !more)
                    }
                    sorted = Self.byteOrder(queue.names)
                }
                while let (start, n, t) = queue.claim(512) {
                    queue.finish(start, (0..<n.count).map { classify(n[$0], t[$0]) })
                }
            }
            nonisolated(unsafe) let run = work
            DispatchQueue.concurrentPerform(iterations: 2) { run($0) }
            entries = queue.names
            outcomes = queue.results.sorted { $0.start < $1.start }.flatMap(\.entries)
            order = sorted
        }
        for name in hiddenNames.sorted() {
            var st = stat()
            if !visits.excluded.isEmpty, fstatat(dfd, name, &st, 0) == 0,
               visits.excluded.contains(NodeID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))) { continue }
            result.skipped.append(SkippedFile(path: directory + "/" + name, reason: .hidden))
        }
        for shown in unreadableNames.sorted() {
            result.skipped.append(SkippedFile(path: directory + "/" + shown, reason: .unreadable("file name is not valid UTF-8; rename it")))
        }
        result.files.reserveCapacity(files: entries.count, idBytes: entries.reduce(0) { $0 + $1.utf8.count + prefix.utf8.count + 1 })
        for k in order {
            switch outcomes[Int(k)] {
            case .file(let id, let size, let modified): result.files.append(id: id, size: size, modified: modified)
            case .skipped(let s): result.skipped.append(s)
            case .directory(let path, let id, let node, let viaLink):
                if ancestors.contains(node) {
                    result.skipped.append(SkippedFile(path: path, reason: .symlinkLoop))
                    continue
                }
                if viaLink { visits.linked.append((path, id, node, ancestors)); continue }
                guard visits.walked.insert(node).inserted else { continue }  // a bind mount, say
                ancestors.insert(node)
                walk(directory: path, prefix: id, ancestors: &ancestors, visits: &visits, into: &result)
                ancestors.remove(node)
            }
        }
    }

    /// A big folder's entries handed from the thread listing it to the threads stat'ing them, in
    /// blocks; the classified blocks come back with their position in the listing.
    private final class EntryQueue: @unchecked Sendable {
        private var mutex = pthread_mutex_t()
        private var ready = pthread_cond_t()
        /// Appended by the lister only; read by others under the lock, or freely once `listed`.
        private(set) var names: [String]
        private var types: [UInt8]
        private var listed = false
        private var next = 0
        private(set) var results: [(start: Int, entries: [Entry])] = []

        init(_ names: [String], _ types: [UInt8]) {
            self.names = names; self.types = types
            pthread_mutex_init(&mutex, nil); pthread_cond_init(&ready, nil)
        }

        deinit { pthread_cond_destroy(&ready); pthread_mutex_destroy(&mutex) }

        func add(_ n: [String], _ t: [UInt8], last: Bool) {
            pthread_mutex_lock(&mutex)
            names += n; types += t
            if last { listed = true }
            pthread_cond_broadcast(&ready)
            pthread_mutex_unlock(&mutex)
        }

        /// The next block of up to `size` entries (copied: the lister may still append), waiting
        /// while the listing goes on; nil once every entry is claimed.
        func claim(_ size: Int) -> (Int, [String], [UInt8])? {
            pthread_mutex_lock(&mutex)
            defer { pthread_mutex_unlock(&mutex) }
            while next == names.count && !listed { pthread_cond_wait(&ready, &mutex) }
            if next == names.count { return nil }
            let start = next, end = Swift.min(names.count, next + size)
            next = end
            return (start, Array(names[start..<end]), Array(types[start..<end]))
        }

        func finish(_ start: Int, _ entries: [Entry]) {
            pthread_mutex_lock(&mutex)
            results.append((start, entries))
            pthread_mutex_unlock(&mutex)
        }
    }

    /// What one folder entry turned out to be.
    private enum Entry {
        case file(id: String, size: Int, modified: Double)
        case skipped(SkippedFile)
        case directory(path: String, id: String, node: NodeID, viaLink: Bool)
    }

    /// Stats one entry (following a symbolic link) and sorts it into file, skipped or folder.
    private func classify(_ name: String, regular: Bool, in dfd: Int32, directory: String, prefix: String) -> Entry {
        // The full path only for reports and folders (most entries are files that need just the id).
        var path: String { directory + "/" + name }
        let id = prefix.isEmpty ? name : prefix + "/" + name
        if regular && !statFiles {
            // Size, time and readability come from the loader's fstat when it opens the file.
            let ext = Self.fileExtension(of: name)
            if !extensions.contains(ext) { return .skipped(SkippedFile(path: path, reason: .unsupportedType(ext))) }
            return .file(id: id, size: -1, modified: 0)
        }
        var st = stat()
        if fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
            return .skipped(SkippedFile(path: path, reason: .unreadable(Self.errorText(errno))))
        }
        let isLink = (st.st_mode & S_IFMT) == S_IFLNK
        if isLink {
            if fstatat(dfd, name, &st, 0) != 0 {
                let e = errno
                return .skipped(SkippedFile(path: path, reason: e == ELOOP ? .symlinkLoop
                    : .unreadable(e == ENOENT ? SkipReason.brokenLink : Self.errorText(e))))
            }
        }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            return .directory(path: path, id: id, node: NodeID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)), viaLink: isLink)
        case S_IFREG:
            let ext = Self.fileExtension(of: name)
            let size = Int(st.st_size)
            if !extensions.contains(ext) { return .skipped(SkippedFile(path: path, reason: .unsupportedType(ext))) }
            if size == 0 { return .skipped(SkippedFile(path: path, reason: .empty)) }
            if size > maxFileSize { return .skipped(SkippedFile(path: path, reason: .tooLarge(size, limit: maxFileSize))) }
            if !Self.mayRead(st), faccessat(dfd, name, R_OK, 0) != 0 {
                return .skipped(SkippedFile(path: path, reason: .unreadable(Self.errorText(errno))))
            }
            let mtime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
            return .file(id: id, size: size, modified: mtime)
        default:
            return .skipped(SkippedFile(path: path, reason: .notAFile))
        }
    }

    /// Whether the permission bits let this process read the file, without a system call; only a
    /// "no" is confirmed with `faccessat` (ACLs, supplementary groups), so a scan costs one stat per file.
    static func mayRead(_ st: stat) -> Bool {
        if euid == 0 { return true }
        if st.st_uid == euid { return st.st_mode & S_IRUSR != 0 }
        if st.st_gid == egid { return st.st_mode & S_IRGRP != 0 }
        return st.st_mode & S_IROTH != 0
    }

    private static let euid = geteuid()
    private static let egid = getegid()

    /// Lower-cased extension of the last path component, without the dot.
    static func fileExtension(of name: String) -> String {
        // Byte-level: "/" and "." are ASCII, so they never occur inside a multi-byte scalar.
        let fast: String?? = name.utf8.withContiguousStorageIfAvailable { u in
            var end = u.count
            while end > 0, u[end - 1] == 0x2F { end -= 1 }  // "a/" → component "a" (as split does)
            var start = end
            while start > 0, u[start - 1] != 0x2F { start -= 1 }
            var dot = end
            while dot > start, u[dot - 1] != 0x2E { dot -= 1 }
            // No dot, or only a leading one (".profile").
            guard dot > start + 1 else { return "" }
            var ascii = true
            for k in dot..<end where u[k] >= 0x80 { ascii = false; break }
            guard ascii else { return nil }
            // Extensions are short: small strings, no allocation.
            return String(unsafeUninitializedCapacity: end - dot) { out in
                for k in dot..<end {
                    let b = u[k]
                    out[k - dot] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                }
                return end - dot
            }
        }
        if let fast, let ext = fast { return ext }
        let last = name.split(separator: "/").last ?? Substring(name)
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }

    static func isSorted<S: Sequence>(_ ids: S) -> Bool where S.Element == String {
        var previous: String? = nil
        for id in ids {
            if let p = previous, bytesPrecede(id, p) { return false }
            previous = id
        }
        return true
    }

    /// `names` in UTF-8 byte order.
    static func sortedByBytes(_ names: [String]) -> [String] { byteOrder(names).map { names[Int($0)] } }

    /// The permutation that puts `names` in UTF-8 byte order (see `sortedByBytes`). A folder's names
    /// often share long prefixes (numbered files: "0100100000…"), so each name is keyed by 24 bytes
    /// taken after the prefix all of them share, compared as three integers; only names equal on
    /// those are compared in full.
    static func byteOrder(_ names: [String]) -> [Int32] {
        guard names.count > 1 else { return Array(0..<Int32(names.count)) }
        var arena: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        spans.reserveCapacity(names.count)
        for n in names {
            let start = arena.count
            arena.append(contentsOf: n.utf8)
            spans.append((start, arena.count - start))
        }
        arena.append(0)  // a base address even when every name is empty
        return arena.withUnsafeBufferPointer { a in
            spans.withUnsafeBufferPointer { sp in
                let base = a.baseAddress!
                // The prefix every name shares.
                var common = sp[0].count
                for k in 1..<sp.count where common > 0 {
                    let n = min(common, sp[k].count)
                    var i = 0
                    while i < n && base[sp[0].start + i] == base[sp[k].start + i] { i += 1 }
                    common = i
                }
                let shared = common
                @inline(__always) func word(_ span: (start: Int, count: Int), _ w: Int) -> UInt64 {
                    let from = shared + 8 * w
                    if from + 8 <= span.count {
                        return UInt64(bigEndian: UnsafeRawPointer(base + span.start + from).loadUnaligned(as: UInt64.self))
                    }
                    var v: UInt64 = 0
                    for i in 0..<8 { v = v << 8 | UInt64(from + i < span.count ? base[span.start + from + i] : 0) }
                    return v
                }
                var keyed: [(UInt64, UInt64, UInt64, Int32)] = []
                keyed.reserveCapacity(sp.count)
                for k in 0..<sp.count { let p = sp[k]; keyed.append((word(p, 0), word(p, 1), word(p, 2), Int32(k))) }
                // Radix sort on the first key (a byte at a time, least significant first; stable),
                // then a comparison sort inside each run of equal first keys.
                var scratch = keyed
                var counts = [Int](repeating: 0, count: 257)
                for byte in 0..<8 {
                    let shift = UInt64(8 * byte)
                    for k in 0..<257 { counts[k] = 0 }
                    for x in keyed { counts[Int((x.0 >> shift) & 0xFF) + 1] += 1 }
                    if counts.contains(keyed.count) { continue }  // every key has the same byte here
                    for k in 1..<257 { counts[k] += counts[k - 1] }
                    for x in keyed {
                        let b = Int((x.0 >> shift) & 0xFF)
                        scratch[counts[b]] = x
                        counts[b] += 1
                    }
                    swap(&keyed, &scratch)
                }
                var runStart = 0
                while runStart < keyed.count {
                    var runEnd = runStart + 1
                    while runEnd < keyed.count && keyed[runEnd].0 == keyed[runStart].0 { runEnd += 1 }
                    if runEnd - runStart > 1 {
                        keyed[runStart..<runEnd].sort { x, y in
                            if x.1 != y.1 { return x.1 < y.1 }
                            if x.2 != y.2 { return x.2 < y.2 }
                            let p = sp[Int(x.3)], q = sp[Int(y.3)]
                            let c = memcmp(base + p.start, base + q.start, min(p.count, q.count))
                            return c != 0 ? c < 0 : p.count < q.count
                        }
                    }
                    runStart = runEnd
                }
                return keyed.map(\.3)
            }
        }
    }

    /// `a` before `b` in UTF-8 byte order (memcmp on contiguous storage).
    public static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        let r: Bool?? = a.utf8.withContiguousStorageIfAvailable { ua in
            b.utf8.withContiguousStorageIfAvailable { ub in
                let n = min(ua.count, ub.count)
                let c = n == 0 ? 0 : memcmp(ua.baseAddress!, ub.baseAddress!, n)
                return c != 0 ? c < 0 : ua.count < ub.count
            }
        }
        if let r, let r { return r }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// A file name that is not valid UTF-8, readable: valid sequences as they are, other bytes as \xNN.
    static func escapedName(_ c: UnsafePointer<CChar>) -> String {
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self), count: strlen(c))
        var out = ""
        var i = 0
        while i < bytes.count {
            // The longest valid UTF-8 sequence starting here (1…4 bytes), or one escaped byte.
            var taken = false
            for n in stride(from: min(4, bytes.count - i), through: 1, by: -1) {
                if let s = String(validating: bytes[i..<(i + n)], as: UTF8.self), s.unicodeScalars.count == 1 {
                    out += s; i += n; taken = true; break
                }
            }
            if !taken { out += "\\x" + String(bytes[i], radix: 16, uppercase: true); i += 1 }
        }
        return out
    }

    static func errorText(_ code: Int32) -> String {
        guard let s = strerror(code) else { return "error \(code)" }
        return String(cString: s)
    }
}
