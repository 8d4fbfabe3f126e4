#if canImport(Glibc)
import Glibc
#endif

/// Whether [offset, offset + length) lies inside [0, limit), without overflowing on values read from disk.
@inline(__always)
func fits(_ offset: Int, _ length: Int, in limit: Int) -> Bool {
    offset >= 0 && length >= 0 && offset <= limit && length <= limit - offset
}

/// A read-only memory mapping of a whole file.
final class MappedFile: @unchecked Sendable {
    let path: String
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws {
        self.path = path
        let fd = try FileIO.open(path, O_RDONLY)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IndexError.io(path: path, operation: "stat", errno: errno) }
        let size = Int(st.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            throw IndexError.io(path: path, operation: "map", errno: errno)
        }
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit {
        if let p = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: p), bytes.count) }
    }
}

/// Reads one segment file through a memory mapping: opening reads the footer, the table of
/// contents and the term block index; everything else is touched only when a query needs it.
/// Every read is bounds-checked, so a damaged file gives `IndexError.corrupted`, never a crash.
public final class SegmentReader: @unchecked Sendable {
    public let path: String
    let file: MappedFile
    var sections: [SectionID: (offset: Int, length: Int, crc: UInt32)] = [:]
    public let documentCount: Int
    public let termCount: Int
    public let totalTokens: Int
    public let totalTitleTokens: Int
    private let blockCount: Int
    private let indexEntriesOffset: Int
    private let indexKeysOffset: Int
    private let indexEnd: Int
    let docTableOffset: Int
    let storeTableOffset: Int
    private let fileCRC: UInt32

    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        let b = file.bytes
        func corrupt(_ why: String) -> IndexError { .corrupted(file: path, reason: why) }
        guard b.count >= SegmentFormat.headerSize + SegmentFormat.footerSize else { throw corrupt("truncated: \(b.count) bytes") }
        guard Array(b[0..<8]) == SegmentFormat.headerMagic else { throw corrupt("not a vnsearch segment (bad magic)") }
        var h = ByteCursor(b, offset: 8)
        let version = h.u32()
        guard version == SegmentFormat.currentVersion else {
            throw IndexError.formatVersion(file: path, found: version, supported: SegmentFormat.currentVersion)
        }
        let footerStart = b.count - SegmentFormat.footerSize
        guard Array(b[(b.count - 8)..<b.count]) == SegmentFormat.footerMagic else { throw corrupt("truncated or overwritten (no footer)") }
        var f = ByteCursor(b, offset: footerStart)
        let tocOffset = Int(truncatingIfNeeded: f.u64())
        let tocLength = Int(f.u32())
        let tocCRC = f.u32()
        let footerVersion = f.u32()
        fileCRC = f.u32()
        guard footerVersion == version else { throw corrupt("header and footer disagree on the format version") }
        guard tocOffset >= SegmentFormat.headerSize, tocLength >= 4, fits(tocOffset, tocLength, in: footerStart) else { throw corrupt("bad table of contents offset") }
        let tocBytes = UnsafeRawBufferPointer(rebasing: b[tocOffset..<(tocOffset + tocLength)])
        guard crc32(tocBytes) == tocCRC else { throw corrupt("table of contents checksum mismatch") }
        var toc = ByteCursor(tocBytes)
        let n = Int(toc.u32())
        guard n <= 64 else { throw corrupt("bad section count") }
        for _ in 0..<n {
            let id = toc.u32(), crc = toc.u32()
            let off = Int(truncatingIfNeeded: toc.u64()), len = Int(truncatingIfNeeded: toc.u64())
            guard !toc.failed, off >= SegmentFormat.headerSize, fits(off, len, in: tocOffset) else { throw corrupt("section outside the file") }
            if let s = SectionID(rawValue: id) { sections[s] = (off, len, crc) }
        }
        for s in SectionID.required where sections[s] == nil { throw corrupt("missing section '\(s.name)'") }

        // Small sections are verified at open; the big ones by `verify()`.
        for s in [SectionID.info, .termIndex, .positionCheckpoints] {
            guard let sec = sections[s] else { continue }
            guard crc32(UnsafeRawBufferPointer(rebasing: b[sec.offset..<(sec.offset + sec.length)])) == sec.crc else {
                throw corrupt("checksum mismatch in \(s.name)")
            }
        }
        let info = sections[.info]!
        var ic = ByteCursor(b, offset: info.offset, end: info.offset + info.length)
        documentCount = ic.int(); termCount = ic.int(); totalTokens = ic.int(); totalTitleTokens = ic.int()
        guard !ic.failed else { throw corrupt("bad segment info") }

        let idx = sections[.termIndex]!
        var xc = ByteCursor(b, offset: idx.offset, end: idx.offset + idx.length)
        blockCount = Int(xc.u32())
        indexEntriesOffset = xc.offset
        indexKeysOffset = indexEntriesOffset + blockCount * 16
        indexEnd = idx.offset + idx.length
        guard !xc.failed, blockCount >= 0, indexKeysOffset <= indexEnd else { throw corrupt("bad term index") }

        let dt = sections[.docTable]!
        docTableOffset = dt.offset
        guard dt.length == documentCount * SegmentFormat.docEntrySize else { throw corrupt("document table size does not match the document count") }
        let st = sections[.storeTable]!
        storeTableOffset = st.offset
        guard st.length == documentCount * SegmentFormat.storeEntrySize else { throw corrupt("store table size does not match the document count") }
        if let cp = sections[.positionCheckpoints] {
            guard let table = PositionCheckpoints.Table(UnsafeRawBufferPointer(rebasing: b[cp.offset..<(cp.offset + cp.length)])) else {
                throw corrupt("bad position checkpoints")
            }
            checkpoints = table
        } else {
            checkpoints = .empty
        }
    }

    /// Position checkpoints of long terms (empty in segments written before they existed).
    let checkpoints: PositionCheckpoints.Table

    /// Checks every section's checksum and the whole file's; returns the names of damaged parts.
    /// Reads the whole file in 8 MB steps and drops each step from the resident set afterwards, so
    /// verifying (or merging, which verifies first) a large index does not hold it all in memory.
    public func verify() -> [String] {
        let bad = verifyAll()
        if bad.isEmpty { verifiedClean = true }
        return bad
    }

    /// Set once `verify()` found every byte intact: the file is immutable, so a later check in the
    /// same process (the merger's, after an update checked the previous segments) can rely on it.
    public private(set) var verifiedClean = false

    private func verifyAll() -> [String] {
        var bad: [String] = []
        // One pass: each section's checksum is computed once, and the whole-file checksum is
        // combined from them and the small gaps between (header, padding, table of contents).
        let footerStart = file.bytes.count - SegmentFormat.footerSize
        var fileCRC: UInt32 = 0
        var at = 0
        for s in SectionID.required where sections[s] == nil { bad.append(s.name) }
        for (s, sec) in sections.sorted(by: { $0.value.offset < $1.value.offset }) {
            guard sec.offset >= at else { bad.append(s.name); continue }  // overlapping sections
            fileCRC = cvnCRC(fileCRC, UnsafeRawBufferPointer(rebasing: file.bytes[at..<sec.offset]))
            let crc = chunkedCRC(sec.offset, sec.offset + sec.length)
            if crc != sec.crc { bad.append(s.name) }
            fileCRC = crc32Combine(fileCRC, crc, sec.length)
            at = sec.offset + sec.length
        }
        if at <= footerStart { fileCRC = cvnCRC(fileCRC, UnsafeRawBufferPointer(rebasing: file.bytes[at..<footerStart])) }
        if fileCRC != self.fileCRC { bad.append("file checksum") }
        return bad
    }

    private func chunkedCRC(_ start: Int, _ end: Int) -> UInt32 {
        let step = 8 << 20
        var crc: UInt32 = 0, at = start
        while at < end {
            let next = min(end, at + step)
            crc = cvnCRC(crc, UnsafeRawBufferPointer(rebasing: file.bytes[at..<next]))
            dropPages(at, next)
            at = next
        }
        return crc
    }

    /// madvise(DONTNEED) on the whole pages inside [start, end) (absolute offsets).
    func dropPages(_ start: Int, _ end: Int) {
        guard let base = file.bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let s = (start + page - 1) / page * page, e = end / page * page
        guard e > s else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + s), e - s, MADV_DONTNEED)
    }

    /// Size of each part, for `stats` and benchmarks: (postings + dictionary, stored).
    public var sizes: (index: Int, stored: Int) {
        let idx = [SectionID.termBlocks, .termIndex, .postings, .positions, .positionCheckpoints, .titlePostings, .docTable]
            .reduce(0) { $0 + (sections[$1]?.length ?? 0) }
        let stored = [SectionID.storeTable, .docInfo, .store].reduce(0) { $0 + sections[$1]!.length }
        return (idx, stored)
    }

    // MARK: Term dictionary

    private func indexKey(_ block: Int) -> UnsafeRawBufferPointer {
        var c = ByteCursor(file.bytes, offset: indexEntriesOffset + block * 16, end: indexKeysOffset)
        _ = c.u64()
        let ko = Int(c.u32()), kl = Int(c.u32())
        let start = indexKeysOffset + ko
        guard !c.failed, ko >= 0, kl >= 0, start + kl <= indexEnd else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + kl)])
    }

    private func blockOffset(_ block: Int) -> Int {
        var c = ByteCursor(file.bytes, offset: indexEntriesOffset + block * 16, end: indexKeysOffset)
        return Int(truncatingIfNeeded: c.u64())
    }

    private static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }

    /// Last block whose first key is ≤ `key` (or 0).
    private func findBlock(_ key: UnsafeRawBufferPointer) -> Int {
        var lo = 0, hi = blockCount - 1, found = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if Self.compare(indexKey(mid), key) <= 0 { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return found
    }

    /// Visits terms in order from the block holding `start`, until `body` returns false.
    /// `body` gets the term's bytes (valid during the call) and its info. Terms before `start`
    /// in its block are only stepped over: their bytes are rebuilt in one scratch buffer (no
    /// array per term) and their info is not made.
    func scanTerms(from start: [UInt8], _ body: (UnsafeRawBufferPointer, TermInfo) throws -> Bool) throws {
        guard blockCount > 0 else { return }
        let tb = sections[.termBlocks]!
        let post = sections[.postings]!, pos = sections[.positions]!, tit = sections[.titlePostings]!
        var block = start.withUnsafeBytes { findBlock($0) }
        var capacity = 256
        var term = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
        defer { term.deallocate() }
        var length = 0
        var before = true  // still before `start`
        while block < blockCount {
            let bo = blockOffset(block)
            guard bo >= 0, bo < tb.length else { throw IndexError.corrupted(file: path, reason: "term block outside its section") }
            var c = ByteCursor(file.bytes, offset: tb.offset + bo, end: tb.offset + tb.length)
            let count = c.int()
            var po = c.int(), qo = c.int(), to = c.int()
            length = 0
            for _ in 0..<min(count, SegmentFormat.termsPerBlock) {
                let shared = c.int()
                let suffix = c.bytes(c.int())
                guard shared <= length else { throw IndexError.corrupted(file: path, reason: "bad term prefix") }
                if shared + suffix.count > capacity {
                    capacity = 2 * (shared + suffix.count)
                    let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
                    grown.copyMemory(from: term, byteCount: shared)
                    term.deallocate()
                    term = grown
                }
                if let from = suffix.baseAddress { (term + shared).copyMemory(from: from, byteCount: suffix.count) }
                length = shared + suffix.count
                let df = c.int(), pl = c.int(), ql = c.int(), tdf = c.int()
                let tl = tdf > 0 ? c.int() : 0
                guard !c.failed, po + pl <= post.length, qo + ql <= pos.length, to + tl <= tit.length else {
                    throw IndexError.corrupted(file: path, reason: "term entry outside its section")
                }
                defer { po += pl; qo += ql; to += tl }
                let bytes = UnsafeRawBufferPointer(start: term, count: length)
                if before {
                    if start.withUnsafeBytes({ Self.compare(bytes, $0) }) < 0 { continue }
                    before = false
                }
                let info = TermInfo(docFreq: df, postingsOffset: post.offset + po, postingsLength: pl,
                                    positionsOffset: pos.offset + qo, positionsLength: ql,
                                    titleDocFreq: tdf, titleOffset: tit.offset + to, titleLength: tl)
                if try !body(bytes, info) { return }
            }
            block += 1
        }
    }

    static func lexLess(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { x in b.withUnsafeBytes { y in compare(x, y) < 0 } }
    }

    /// The term's info, or nil when the segment does not hold it.
    public func lookup(_ term: [UInt8]) throws -> TermInfo? {
        var result: TermInfo?
        try scanTerms(from: term) { t, info in
            if term.withUnsafeBytes({ Self.compare(t, $0) }) == 0 { result = info }
            return false
        }
        return result
    }

    /// Every term starting with `prefix`, in order (a folded key's exact variants are one range).
    public func lookup(prefix: [UInt8]) throws -> [([UInt8], TermInfo)] {
        var out: [([UInt8], TermInfo)] = []
        try scanTerms(from: prefix) { t, info in
            guard t.count >= prefix.count,
                  prefix.withUnsafeBytes({ Self.compare(UnsafeRawBufferPointer(rebasing: t[0..<prefix.count]), $0) }) == 0
            else { return false }
            out.append((Array(t), info))
            return true
        }
        return out
    }

    /// Visits every term (for merging and stats).
    func forEachTerm(_ body: ([UInt8], TermInfo) -> Bool) throws {
        try scanTerms(from: []) { t, info in body(Array(t), info) }
    }

    // MARK: Postings

    /// Decodes a term's body postings (doc ordinals, term frequencies).
    public func postings(_ info: TermInfo, docs: inout [Int32], freqs: inout [Int32]) throws {
        try decodePostings(offset: info.postingsOffset, length: info.postingsLength, count: info.docFreq, docs: &docs, freqs: &freqs)
    }

    /// Decodes a term's title postings.
    public func titlePostings(_ info: TermInfo, docs: inout [Int32], freqs: inout [Int32]) throws {
        try decodePostings(offset: info.titleOffset, length: info.titleLength, count: info.titleDocFreq, docs: &docs, freqs: &freqs)
    }

    private func decodePostings(offset: Int, length: Int, count: Int, docs: inout [Int32], freqs: inout [Int32]) throws {
        // A document frequency read from unchecked bytes must not size an allocation.
        guard count >= 0, count <= documentCount, fits(offset, length, in: file.bytes.count) else {
            throw IndexError.corrupted(file: path, reason: "postings do not decode")
        }
        var c = ByteCursor(file.bytes, offset: offset, end: offset + length)
        guard PostingsCodec.decode(&c, count: count, docs: &docs, freqs: &freqs),
              (docs.last ?? 0) < Int32(documentCount), docs.first.map({ $0 >= 0 }) ?? true else {
            throw IndexError.corrupted(file: path, reason: "postings do not decode")
        }
    }

    // MARK: Documents

    /// The document table as raw rows, for scoring loops in other modules: reads inline, with no
    /// call and no bounds check per document. Only for ordinals below `documentCount` (every
    /// ordinal a postings list yields: they are checked when decoded); the table's size was checked
    /// at open.
    public struct DocTable {
        /// Row `doc` starts at `base + 12 × doc`: u32 body tokens, u16 title tokens (little-endian),
        /// u8 kind, u8 flags.
        public let base: UnsafeRawPointer

        /// Body tokens (the BM25 length).
        @inlinable public func tokenCount(_ doc: Int) -> Int {
            Int(base.loadUnaligned(fromByteOffset: doc &* 12, as: UInt32.self).littleEndian)
        }

        @inlinable public func titleTokenCount(_ doc: Int) -> Int {
            Int(base.loadUnaligned(fromByteOffset: doc &* 12 &+ 4, as: UInt16.self).littleEndian)
        }

        /// `DocEntry` flags.
        @inlinable public func flags(_ doc: Int) -> UInt8 {
            base.load(fromByteOffset: doc &* 12 &+ 7, as: UInt8.self)
        }
    }

    public var docTable: DocTable {
        // The layout DocTable reads (u32 tokens, u16 title tokens, …): 12 bytes a row.
        assert(SegmentFormat.docEntrySize == 12)
        return DocTable(base: UnsafeRawPointer(file.bytes.baseAddress!) + docTableOffset)
    }

    /// Kind and date of `doc` without decoding the whole entry (filters and tie-breaks).
    @inline(__always)
    public func kindAndDate(_ doc: Int) -> (kind: UInt8, date: Int) {
        let o = docTableOffset + doc * SegmentFormat.docEntrySize
        guard o + 12 <= file.bytes.count else { return (0, 0) }
        return (file.bytes[o + 6], Int(file.bytes.loadUnaligned(fromByteOffset: o + 8, as: UInt32.self).littleEndian))
    }

    public func docEntry(_ doc: Int) -> DocEntry {
        var c = ByteCursor(file.bytes, offset: docTableOffset + doc * SegmentFormat.docEntrySize,
                           end: docTableOffset + (doc + 1) * SegmentFormat.docEntrySize)
        let tokens = Int(c.u32()), titleTokens = Int(c.u16()), kind = c.u8(), flags = c.u8(), date = Int(c.u32())
        var a = ByteCursor(file.bytes, offset: storeTableOffset + doc * SegmentFormat.storeEntrySize,
                           end: storeTableOffset + (doc + 1) * SegmentFormat.storeEntrySize)
        let so = Int(truncatingIfNeeded: a.u64()), sl = Int(a.u32()), io = Int(a.u32()), il = Int(a.u32())
        return DocEntry(tokenCount: tokens, titleTokenCount: titleTokens, kind: kind, flags: flags, date: date,
                        storeOffset: so, storeLength: sl, infoOffset: io, infoLength: il)
    }

    public func docInfo(_ doc: Int) throws -> DocInfo {
        var c = try infoCursor(doc)
        let info = DocRecord.decodeInfo(&c)
        if c.failed { throw IndexError.corrupted(file: path, reason: "document info does not decode") }
        return info
    }

    /// What an incremental run compares: id, size, mtime and content hash (the other fields are
    /// skipped, not decoded).
    public func docIdentity(_ doc: Int) throws -> (id: String, fileSize: Int, modified: Double, contentHash: UInt64) {
        var c = try infoCursor(doc)
        let id = c.string()
        if c.u8() == 1 { c.skip(c.int()) }   // title
        if c.u8() == 1 { c.skip(c.int()) }   // number
        c.skip(c.int())                      // encoding
        let notes = c.int()
        for _ in 0..<min(notes, 1000) { c.skip(c.int()) }
        let hash = c.u64(), size = c.int(), modified = Double(bitPattern: c.u64())
        if c.failed { throw IndexError.corrupted(file: path, reason: "document info does not decode") }
        return (id, size, modified, hash)
    }

    /// A cursor over the checksum-verified info record of `doc`.
    private func infoCursor(_ doc: Int) throws -> ByteCursor {
        let e = docEntry(doc)
        let sec = sections[.docInfo]!
        guard fits(e.infoOffset, e.infoLength, in: sec.length) else {
            throw IndexError.corrupted(file: path, reason: "document info outside its section")
        }
        let start = sec.offset + e.infoOffset, end = start + e.infoLength
        guard e.infoLength >= 4 else { throw IndexError.corrupted(file: path, reason: "document info too short") }
        var crcCursor = ByteCursor(file.bytes, offset: end - 4, end: end)
        guard crcCursor.u32() == crc32(UnsafeRawBufferPointer(rebasing: file.bytes[start..<(end - 4)])) else {
            throw IndexError.corrupted(file: path, reason: "checksum mismatch in the info of document \(doc)")
        }
        return ByteCursor(file.bytes, offset: start, end: end - 4)
    }

    /// The stored text (UTF-8 bytes) of `doc`.
    public func textBytes(_ doc: Int, using decompressor: RecordDecompressor? = nil) throws -> [UInt8] {
        let e = docEntry(doc)
        let sec = sections[.store]!
        guard e.storeLength > 0, fits(e.storeOffset, e.storeLength, in: sec.length) else {
            throw IndexError.corrupted(file: path, reason: "stored text outside its section")
        }
        let rec = UnsafeRawBufferPointer(rebasing: file.bytes[(sec.offset + e.storeOffset)..<(sec.offset + e.storeOffset + e.storeLength)])
        guard let bytes = DocRecord.decodeText(rec, with: decompressor) else {
            throw IndexError.corrupted(file: path, reason: "stored text of document \(doc) is damaged (checksum or decompression failed)")
        }
        return bytes
    }

    public func text(_ doc: Int) throws -> String { String(decoding: try textBytes(doc), as: UTF8.self) }
}

extension SegmentReader {
    /// Raw stored records of `doc` (for merging without re-encoding).
    func rawRecords(_ doc: Int) throws -> (entry: DocEntry, info: UnsafeRawBufferPointer, store: UnsafeRawBufferPointer) {
        let e = docEntry(doc)
        let info = sections[.docInfo]!, store = sections[.store]!
        guard fits(e.infoOffset, e.infoLength, in: info.length), fits(e.storeOffset, e.storeLength, in: store.length) else {
            throw IndexError.corrupted(file: path, reason: "document record outside its section")
        }
        return (e, UnsafeRawBufferPointer(rebasing: file.bytes[(info.offset + e.infoOffset)..<(info.offset + e.infoOffset + e.infoLength)]),
                UnsafeRawBufferPointer(rebasing: file.bytes[(store.offset + e.storeOffset)..<(store.offset + e.storeOffset + e.storeLength)]))
    }

    func rawPositions(_ info: TermInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[info.positionsOffset..<(info.positionsOffset + info.positionsLength)])
    }

    /// One term's positions and checkpoints as raw memory (inside this reader's mapping, valid while
    /// it lives), for phrase matching done outside Swift.
    public struct PositionsLayout {
        /// The term's positions: varint deltas, document after document in postings order.
        public let bytes: UnsafeRawBufferPointer
        /// `checkpointCount` steps, `u16` or (`wideSteps`) `u32`, one every `checkpointInterval`
        /// documents (see PositionCheckpoints); nil when the term has none.
        public let checkpointSteps: UnsafeRawPointer?
        public let checkpointInterval: Int
        public let checkpointCount: Int
        public let wideSteps: Bool
    }

    public func positionsLayout(_ info: TermInfo) -> PositionsLayout {
        let size = file.bytes.count
        let lo = min(max(0, info.positionsOffset), size), hi = min(max(lo, info.positionsOffset + info.positionsLength), size)
        let c = checkpoints.term(offset: info.positionsOffset - sections[.positions]!.offset, length: info.positionsLength)
        return PositionsLayout(bytes: UnsafeRawBufferPointer(rebasing: file.bytes[lo..<hi]), checkpointSteps: c?.steps,
                               checkpointInterval: c?.interval ?? 0, checkpointCount: c?.count ?? 0, wideSteps: c?.wide ?? false)
    }
}

/// Streams one term's positions document by document, in postings order, skipping documents not
/// asked for; decodes into a caller-owned buffer so a phrase check over many documents allocates
/// nothing per document.
public struct PositionCursor {
    private var cursor: ByteCursor
    private var next = 0          // index (in postings order) of the document the cursor stands at
    private let path: String

    /// The term's checkpoints, when it has some (long terms in segments that store them).
    private let checkpoints: PositionCheckpoints.Term?
    private var place = PositionCheckpoints.Place()
    private let start: Int

    public init(_ segment: SegmentReader, _ info: TermInfo) {
        cursor = ByteCursor(segment.file.bytes, offset: info.positionsOffset, end: info.positionsOffset + info.positionsLength)
        path = segment.path
        start = info.positionsOffset
        checkpoints = segment.checkpoints.term(offset: info.positionsOffset - segment.sections[.positions]!.offset,
                                               length: info.positionsLength)
    }

    /// Positions of the document at postings index `index` (≥ every index asked before), into `out`.
    public mutating func read(index: Int, freqs: [Int32], into out: inout [Int32]) throws {
        out.removeAll(keepingCapacity: true)
        try append(index: index, freqs: freqs, to: &out)
    }

    /// Appends the positions of the document at postings index `index` (≥ every index asked
    /// before) to `out`.
    public mutating func append(index: Int, freqs: [Int32], to out: inout [Int32]) throws {
        try freqs.withUnsafeBufferPointer { try append(index: index, freqs: $0, to: &out) }
    }

    /// `append(index:freqs:to:)` with the postings' frequencies in raw memory.
    public mutating func append(index: Int, freqs f: UnsafeBufferPointer<Int32>, to out: inout [Int32]) throws {
        guard index < f.count else { throw IndexError.corrupted(file: path, reason: "positions read out of order") }
        let tf = max(1, Int(f[index]))
        try withUnsafeTemporaryAllocation(of: Int32.self, capacity: tf) { dst in
            let n = try decode(index: index, freqs: f, into: dst.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: dst[0..<n]))
        }
    }

    /// Decodes the positions of the document at postings index `index` (≥ every index asked
    /// before) into `dst`, which must hold `f[index]` values; returns how many (`f[index]`).
    /// Raw memory, so that phrase matching copies nothing per document.
    public mutating func decode(index: Int, freqs f: UnsafeBufferPointer<Int32>, into dst: UnsafeMutablePointer<Int32>) throws -> Int {
        guard index >= next, index < f.count else { throw IndexError.corrupted(file: path, reason: "positions read out of order") }
        // A jump only pays past a whole interval (documents read one after another never divide).
        if let c = checkpoints, index &- next >= c.interval, let (at, offset) = place.jump(c, to: index, from: next) {
            cursor.offset = start + offset
            next = at
        }
        var skip = 0
        while next < index { skip &+= Int(max(0, f[next])); next += 1 }
        cursor.skipVarints(skip)
        let tf = Int(f[index])
        guard tf >= 1, tf <= cursor.end - cursor.offset else {
            throw IndexError.corrupted(file: path, reason: "positions do not decode")
        }
        var p: Int32 = 0
        if cursor.end - cursor.offset >= 5 * tf, let raw = cursor.base.baseAddress {
            // Enough bytes for the longest encoding of every position: decode without per-byte checks.
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            var o = cursor.offset
            for k in 0..<tf {
                var b = bytes[o]; o += 1
                var v = UInt32(b & 0x7F)
                var shift: UInt32 = 7
                while b >= 0x80 && shift < 35 {
                    b = bytes[o]; o += 1
                    v |= UInt32(b & 0x7F) << shift
                    shift += 7
                }
                p &+= Int32(bitPattern: v)
                dst[k] = p
            }
            cursor.offset = o
        } else {
            for k in 0..<tf {
                p &+= Int32(truncatingIfNeeded: cursor.varint())
                dst[k] = p
            }
        }
        next = index + 1
        if cursor.failed { throw IndexError.corrupted(file: path, reason: "positions do not decode") }
        return tf
    }
}

extension SegmentReader {
    /// Tells the kernel this process is done with the mapped bytes before `offset` (absolute) of
    /// `section`: the merger streams through whole segments, and without this every page it read
    /// would stay in its resident set, so memory would grow with the corpus.
    func release(_ section: SectionID, upTo offset: Int) {
        guard let sec = sections[section] else { return }
        dropPages(sec.offset, min(offset, sec.offset + sec.length))
    }

    /// End of the stored record of `doc` (absolute), for `release(.store, upTo:)`; 0 when damaged.
    func storeEnd(_ doc: Int) -> (info: Int, store: Int) {
        let e = docEntry(doc)
        let info = sections[.docInfo]!, store = sections[.store]!
        guard fits(e.infoOffset, e.infoLength, in: info.length), fits(e.storeOffset, e.storeLength, in: store.length) else { return (0, 0) }
        return (info.offset + e.infoOffset + e.infoLength, store.offset + e.storeOffset + e.storeLength)
    }
}
