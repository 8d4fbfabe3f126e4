/// The commit point of one generation: which segments it holds, with which deletions.
///
/// Stored as `gen-N/meta`, a small line-oriented text file ending in a CRC-32 line, so a reader
/// needs no JSON parser at start-up and a torn or foreign file is detected:
///
///     vnsearch-index 1
///     analyzer vn-syllable-1
///     generation 3
///     next-segment 5
///     created 1764261000
///     corpus /srv/hdnd/corpus
///     segment seg-000004 120 -
///     segment seg-000002 2000 seg-000002-g3.del
///     crc32 1a2b3c4d
public struct IndexMeta: Sendable, Equatable {
    public struct Segment: Sendable, Equatable {
        public var name: String
        public var documents: Int
        /// Deletion file name, or nil.
        public var deletions: String?
        public init(name: String, documents: Int, deletions: String?) {
            self.name = name; self.documents = documents; self.deletions = deletions
        }
    }

    public var formatVersion: UInt32 = SegmentFormat.currentVersion
    public var analyzer: String
    public var generation: Int
    public var nextSegment: Int
    public var created: Int
    public var corpus: String
    public var segments: [Segment]

    public init(analyzer: String, generation: Int, nextSegment: Int, created: Int, corpus: String, segments: [Segment]) {
        self.analyzer = analyzer; self.generation = generation; self.nextSegment = nextSegment
        self.created = created; self.corpus = corpus; self.segments = segments
    }

    static let magic = "vnsearch-index"

    func encoded() -> [UInt8] {
        var s = "\(Self.magic) \(formatVersion)\nanalyzer \(analyzer)\ngeneration \(generation)\nnext-segment \(nextSegment)\ncreated \(created)\ncorpus \(corpus)\n"
        for seg in segments { s += "segment \(seg.name) \(seg.documents) \(seg.deletions ?? "-")\n" }
        let body = Array(s.utf8)
        return body + Array("crc32 \(String(crc32(body), radix: 16))\n".utf8)
    }

    static func decode(_ bytes: [UInt8], path: String) throws -> IndexMeta {
        func bad(_ why: String) -> IndexError { .corrupted(file: path, reason: why) }
        guard let crcLineStart = bytes.dropLast().lastIndex(of: 0x0A).map({ $0 + 1 }) else { throw bad("truncated") }
        let body = Array(bytes[..<crcLineStart])
        let crcLine = String(decoding: bytes[crcLineStart...], as: UTF8.self).trimmingNewline
        let lines = String(decoding: body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, first.hasPrefix(Self.magic + " ") else { throw bad("not a vnsearch index (bad header)") }
        let version = UInt32(first.dropFirst(Self.magic.count + 1)) ?? 0
        guard version == SegmentFormat.currentVersion else {
            throw IndexError.formatVersion(file: path, found: version, supported: SegmentFormat.currentVersion)
        }
        guard crcLine == "crc32 " + String(crc32(body), radix: 16) else { throw bad("checksum mismatch") }
        var m = IndexMeta(analyzer: "", generation: 0, nextSegment: 0, created: 0, corpus: "", segments: [])
        for line in lines.dropFirst() where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw bad("bad line '\(line)'") }
            switch parts[0] {
            case "analyzer": m.analyzer = parts[1]
            case "generation": m.generation = Int(parts[1]) ?? -1
            case "next-segment": m.nextSegment = Int(parts[1]) ?? -1
            case "created": m.created = Int(parts[1]) ?? 0
            case "corpus": m.corpus = parts[1]
            case "segment":
                let f = parts[1].split(separator: " ").map(String.init)
                guard f.count == 3, let n = Int(f[1]), Self.isSafeName(f[0]), f[2] == "-" || Self.isSafeName(f[2]) else { throw bad("bad segment line '\(line)'") }
                m.segments.append(Segment(name: f[0], documents: n, deletions: f[2] == "-" ? nil : f[2]))
            default: break  // unknown keys from newer minor versions are ignored
            }
        }
        guard m.generation > 0, m.nextSegment >= 0 else { throw bad("missing generation") }
        return m
    }

    /// File names in meta are plain names inside the generation folder.
    static func isSafeName(_ s: String) -> Bool {
        !s.isEmpty && !s.contains("/") && s != "." && s != ".."
    }
}

extension String {
    var trimmingNewline: String {
        var s = self
        while s.last == "\n" || s.last == "\r" { s.removeLast() }
        return s
    }
}
