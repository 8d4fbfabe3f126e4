internal import CVNCodec
#if canImport(Glibc)
import Glibc
#endif

/// Small POSIX helpers whose errors name the path (tantivy's `wrap_io_error`).
public enum FileIO {
    public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        if fd < 0 { throw IndexError.io(path: path, operation: "open", errno: errno) }
        return fd
    }

    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw IndexError.io(path: path, operation: "write", errno: errno)
            }
            off += n
        }
    }

    public static func fsync(_ fd: Int32, path: String) throws {
        if Glibc.fsync(fd) != 0 { throw IndexError.io(path: path, operation: "fsync", errno: errno) }
    }

    /// fsync a directory so a rename or a new file in it survives power loss.
    public static func fsyncDirectory(_ path: String) throws {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: path)
    }

    public static func readFile(_ path: String) throws -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw IndexError.io(path: path, operation: "read", errno: errno) }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Writes `bytes` to `path` through a temporary file in the same folder, fsync, rename: readers
    /// see the old content or the new, never a mix.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let tmp = path + ".tmp"
        let fd = try open(tmp, O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try bytes.withUnsafeBytes { (b) in try writeAll(fd, b, path: tmp) }
            try fsync(fd, path: tmp)
        } catch { close(fd); throw error }
        close(fd)
        if rename(tmp, path) != 0 { throw IndexError.io(path: path, operation: "rename into place", errno: errno) }
        try fsyncDirectory(parent(of: path))
    }

    /// Writes and fsyncs `bytes` to a new file: for files of a generation not yet published, where
    /// no reader can see a partial file (the folder itself is fsynced when it is published).
    public static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = try open(path, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(fd) }
        try bytes.withUnsafeBytes { (b) in try writeAll(fd, b, path: path) }
        try fsync(fd, path: path)
    }

    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw IndexError.io(path: path, operation: "create folder", errno: errno) }
    }

    /// Makes `path` and its missing parents.
    public static func makeDirectories(_ path: String) throws {
        if isDirectory(path) { return }
        let p = parent(of: path)
        if p != path && !p.isEmpty && p != "." && p != "/" { try makeDirectories(p) }
        try makeDirectory(path)
    }

    public static func listDirectory(_ path: String) -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) { ptr in
                ptr.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes a file or a folder tree; errors are ignored (used for clean-up only).
    public static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in listDirectory(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Hard-links `from` to `to` (unchanged segments shared between generations) — or, where the
    /// file system or the kernel will not link it (a segment another user wrote, under
    /// `protected_hardlinks`; a file system without links), copies it, durably.
    public static func link(_ from: String, _ to: String) throws {
        guard Glibc.link(from, to) != 0 else { return }
        let e = errno
        guard e == EPERM || e == EXDEV || e == EMLINK || e == ENOTSUP || e == ENOSYS else {
            throw IndexError.io(path: to, operation: "link", errno: e)
        }
        try copy(from, to)
    }

    /// Copies the file `from` to a new file `to`, synced before it returns.
    public static func copy(_ from: String, _ to: String) throws {
        let src = try open(from, O_RDONLY)
        defer { close(src) }
        let dst = try open(to, O_WRONLY | O_CREAT | O_EXCL)
        defer { close(dst) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(src, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw IndexError.io(path: from, operation: "read", errno: errno) }
            if n == 0 { break }
            try buffer.withUnsafeBytes { try writeAll(dst, UnsafeRawBufferPointer(rebasing: $0[0..<n]), path: to) }
        }
        try fsync(dst, path: to)
    }

    /// `path` made absolute against the working folder.
    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buf = [UInt8](repeating: 0, count: 4096)
        let ok = buf.withUnsafeMutableBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { getcwd($0, b.count) != nil }
        }
        guard ok, let nul = buf.firstIndex(of: 0) else { return path }
        let cwd = String(decoding: buf[..<nul], as: UTF8.self)
        return path == "." ? cwd : cwd + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

}

/// A buffered, append-only file that tracks its length and CRC-32 as it goes.
final class SectionFile {
    let path: String
    /// Kept in memory (no temporary file): for flushes of the in-memory writer, whose data is bounded
    /// by the indexing budget anyway; merges stream through temporary files.
    private let inMemory: Bool
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private(set) var length = 0
    private(set) var crc: UInt32 = 0
    private var crcDone = false
    private static let flushSize = 1 << 20

    init(path: String, inMemory: Bool = false) throws {
        self.path = path
        self.inMemory = inMemory
        if !inMemory {
            fd = try FileIO.open(path, O_RDWR | O_CREAT | O_TRUNC)
            buffer.reserveCapacity(Self.flushSize + 65536)
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        length += bytes.count
        if !inMemory && buffer.count >= Self.flushSize { try flush() }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        length += bytes.count
        if !inMemory && buffer.count >= Self.flushSize { try flush() }
    }

    /// Sizes an in-memory section up front, so it does not grow by doubling (each doubling briefly
    /// holds the old and the new buffer: the peak of a flush).
    func reserve(_ bytes: Int) {
        if inMemory { buffer.reserveCapacity(bytes) }
    }

    /// Takes `bytes` as the whole section without copying them (in-memory sections that are still
    /// empty; otherwise they are written as usual).
    func adopt(_ bytes: [UInt8]) throws {
        guard inMemory && length == 0 else { try write(bytes); return }
        buffer = bytes
        length = bytes.count
    }

    func flush() throws {
        if inMemory {
            if !crcDone { crc = buffer.withUnsafeBytes { cvnCRC(0, $0) }; crcDone = true }
            return
        }
        guard !buffer.isEmpty else { return }
        crc = buffer.withUnsafeBytes { b in cvnCRC(crc, b) }
        try buffer.withUnsafeBytes { (b) in try FileIO.writeAll(fd, b, path: path) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Copies the whole file into `out` (after flushing); returns `crc` continued over the bytes copied.
    func copy(into out: Int32, outPath: String, crc: UInt32) throws -> UInt32 {
        var crc = crc
        try flush()
        if inMemory {
            try buffer.withUnsafeBytes { (b) in try FileIO.writeAll(out, b, path: outPath) }
            return crc32Combine(crc, self.crc, length)  // no second pass over the bytes
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw IndexError.io(path: path, operation: "seek", errno: errno) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw IndexError.io(path: path, operation: "read", errno: errno) }
            if n == 0 { break }
            try chunk.withUnsafeBytes { (b) in
                let part = UnsafeRawBufferPointer(rebasing: b[0..<n])
                try FileIO.writeAll(out, part, path: outPath)
                crc = cvnCRC(crc, part)
            }
        }
        return crc
    }
}

/// The process's heap, as the indexer sees it.
public enum HeapMemory {
    /// Hands memory malloc keeps after frees back to the system: glibc holds freed buffers for
    /// reuse, so without this each flushed segment's buffers would stay in the resident set.
    public static func releaseFree() { cvncodec_release_free_memory() }

    /// Gives every buffer of 1 MB or more its own mapping. glibc otherwise raises that threshold
    /// after the first large free, and from then on the growing postings and text buffers of the
    /// next segment come from the heap, where each doubling leaves a hole: tens of MB per flush.
    public static func mapLargeBuffers() { cvncodec_map_large_allocations(1 << 20) }

    /// For a process answering many queries: each one decodes postings into buffers of up to a few
    /// MB and frees them; served from mappings (glibc's default above 128 KB) every query would
    /// map, fault in and unmap them again. Keeps them in the heap for the next query instead.
    public static func reuseQueryBuffers() {
        cvncodec_map_large_allocations(64 << 20)
        cvncodec_keep_freed_memory(256 << 20)
    }
}
