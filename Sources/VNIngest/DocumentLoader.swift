#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VNEncoding

/// Why a file could not become a document. Each case names the path; `reason` is the skip
/// entry to report, and `description` says what failed and what to do.
public enum IngestError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notAFile(path: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case empty(path: String)
    case binary(path: String)
    case encoding(path: String, reason: String)

    public var path: String {
        switch self {
        case .unreadable(let p, _), .notAFile(let p), .tooLarge(let p, _, _), .empty(let p), .binary(let p), .encoding(let p, _):
            return p
        }
    }

    /// The entry for the run's skipped list.
    public var reason: SkipReason {
        switch self {
        case .unreadable(_, let why): return .unreadable(why)
        case .notAFile: return .notAFile
        case .tooLarge(_, let bytes, let limit): return .tooLarge(bytes, limit: limit)
        case .empty: return .empty
        case .binary: return .binary
        case .encoding(_, let why): return .encoding(why)
        }
    }

    public var skipped: SkippedFile { SkippedFile(path: path, reason: reason) }

    public var description: String {
        switch self {
        case .unreadable(let p, let why): return "cannot read '\(p)': \(why) — check its permissions"
        case .notAFile(let p): return "'\(p)' is not a regular file — remove it from the corpus folder"
        case .tooLarge(let p, let bytes, let limit): return "'\(p)' is \(bytes) bytes, over the \(limit)-byte limit — split it or raise the limit"
        case .empty(let p): return "'\(p)' has no text — skipped"
        case .binary(let p): return "'\(p)' is binary (holds NUL or control bytes), not text — remove it or convert it to text"
        case .encoding(let p, let why): return "'\(p)': \(why)"
        }
    }
}

/// Turns a scanned file into a `Document`: read, decode, strip HTML, extract metadata.
public enum DocumentLoader {
    /// Loads one file.
    /// - Parameters:
    ///   - file: from `CorpusScanner.scan()`.
    ///   - maxFileSize: bytes read at most; a file that grew past it since the scan is too large.
    /// - Returns: the document, its text as decoded (HTML: the visible article text).
    /// - Throws: `IngestError` naming the path; `error.reason` is the skip entry to report.
    /// Cost: one `open`, one `fstat` and a few `read`s; HTML adds a libxml2 parse.
    public static func load(_ file: CorpusFile, maxFileSize: Int = CorpusScanner.defaultMaxFileSize) throws(IngestError) -> Document {
        var st = stat()
        let bytes = try readBytes(file.path, limit: maxFileSize, stat: &st)
        let decoded: DecodedText
        do {
            decoded = try TextDecoder.decode(bytes)
        } catch {
            switch error {
            case .empty: throw .empty(path: file.path)
            case .binary: throw .binary(path: file.path)
            case .unknownEncoding: throw .encoding(path: file.path, reason: error.description)
            }
        }
        let ext = file.fileExtension
        let isHTML = ext == "html" || ext == "htm"
        var text = decoded.text
        var htmlTitle: String?, htmlHeading: String?
        if isHTML {
            let page = HTMLTextExtractor.extract(text)
            text = page.text; htmlTitle = page.title; htmlHeading = page.heading
        } else {
            text = Self.lineFeeds(text)
        }
        guard text.utf8.contains(where: { $0 > 0x20 }) else { throw .empty(path: file.path) }
        let folder = Self.folder(of: file.id)
        let meta = MetadataExtractor.extract(text: text, htmlTitle: htmlTitle, htmlHeading: htmlHeading,
                                             folder: folder, isHTML: isHTML)
        var doc = Document(id: file.id, title: meta.title, date: meta.date, number: meta.number, kind: meta.kind,
                           text: text, encoding: decoded.encoding, notes: decoded.notes)
        doc.invalidBytes = decoded.invalidBytes
        doc.fileSize = Int(st.st_size)
        doc.modified = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        return doc
    }

    /// The directory part of a document id ("tin-tuc/2019/a.txt" → "tin-tuc/2019"; "" at the top).
    /// Line breaks of old Mac files (a carriage return alone) as line feeds, so that lines, and
    /// a mention's line and column, are the text's own; CRLF is left as it is.
    static func lineFeeds(_ text: String) -> String {
        var text = text
        let lone = text.withUTF8 { u -> Bool in
            guard let base = u.baseAddress else { return false }
            var from = 0
            while let p = memchr(base + from, 0x0D, u.count - from) {
                let k = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(p))
                if k + 1 == u.count || u[k + 1] != 0x0A { return true }
                from = k + 1
            }
            return false
        }
        guard lone else { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        let u = Array(text.utf8)
        for k in u.indices { out.append(u[k] == 0x0D && (k + 1 == u.count || u[k + 1] != 0x0A) ? 0x0A : u[k]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func folder(of id: String) -> String {
        let fast: String?? = id.utf8.withContiguousStorageIfAvailable { u in
            var k = u.count
            while k > 0, u[k - 1] != 0x2F { k -= 1 }
            guard k > 0 else { return "" }
            return String(decoding: UnsafeBufferPointer(rebasing: u[0..<(k - 1)]), as: UTF8.self)
        }
        if let fast, let folder = fast { return folder }
        guard let slash = id.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(id[..<slash])
    }

    /// The whole file, read with POSIX calls.
    static func readBytes(_ path: String, limit: Int) throws(IngestError) -> [UInt8] {
        var st = stat()
        return try readBytes(path, limit: limit, stat: &st)
    }

    /// The whole file; `st` gets its `fstat`.
    static func readBytes(_ path: String, limit: Int, stat st: inout stat) throws(IngestError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw .unreadable(path: path, reason: CorpusScanner.errorText(errno)) }
        defer { close(fd) }
        if fstat(fd, &st) != 0 { throw .unreadable(path: path, reason: CorpusScanner.errorText(errno)) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .notAFile(path: path) }
        let expected = Int(st.st_size)
        if expected > limit { throw .tooLarge(path: path, bytes: expected, limit: limit) }
        // Read up to limit + 1 bytes: the file may have grown since fstat.
        var capacity = min(limit + 1, max(expected + 1, 4096))
        var bytes = [UInt8](repeating: 0, count: capacity)
        var count = 0
        while true {
            if count == capacity {
                if capacity > limit { throw .tooLarge(path: path, bytes: count, limit: limit) }
                capacity = min(limit + 1, capacity * 2)
                bytes.append(contentsOf: repeatElement(0, count: capacity - bytes.count))
            }
            let n = bytes.withUnsafeMutableBytes { buf in
                read(fd, buf.baseAddress! + count, capacity - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: CorpusScanner.errorText(errno))
            }
            if n == 0 { break }
            count += n
            // A regular file read short of what was asked, at the size fstat gave, is at its end:
            // skip the extra read() that would return 0 (one system call per document).
            if count == expected && count < capacity { break }
        }
        if count > limit { throw .tooLarge(path: path, bytes: count, limit: limit) }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}
