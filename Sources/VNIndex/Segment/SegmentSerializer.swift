#if canImport(Glibc)
import Glibc
#endif

/// Writes one immutable segment file from terms given in sorted order and documents in doc order.
///
/// For `SegmentMerger`, sections stream to temporary files beside the target and are concatenated
/// at `finish()`, so memory stays bounded by the term index whatever the segment's size; a flush of
/// the in-memory `SegmentWriter` (bounded by the indexing budget) assembles them in memory.
final class SegmentSerializer {
    let path: String
    private let postings: SectionFile
    private let positions: SectionFile
    private let titles: SectionFile
    private let blocks: SectionFile
    private let docTable: SectionFile
    private let storeTable: SectionFile
    private let docInfo: SectionFile
    private let store: SectionFile

    private var checkpoints: PositionCheckpoints.Builder
    private var blockBuffer = ByteBuffer(capacity: 4096)
    private var blockTermCount = 0
    private var previousTerm: [UInt8] = []
    private var indexEntries = ByteBuffer()
    private var indexKeys = ByteBuffer()
    private var blockCount = 0
    private(set) var termCount = 0
    private(set) var docCount = 0
    private var totalTokens = 0
    private var totalTitleTokens = 0

    /// - Parameter inMemory: assemble the sections in memory (the caller's data is already there and
    ///   bounded) instead of streaming them through temporary files.
    /// - Parameter checkpoints: which terms get position checkpoints (tests make small ones).
    init(path: String, inMemory: Bool = false, checkpoints: PositionCheckpoints.Builder = PositionCheckpoints.Builder()) throws {
        self.path = path
        self.checkpoints = checkpoints
        postings = try SectionFile(path: path + ".tmp-post", inMemory: inMemory)
        positions = try SectionFile(path: path + ".tmp-pos", inMemory: inMemory)
        titles = try SectionFile(path: path + ".tmp-title", inMemory: inMemory)
        blocks = try SectionFile(path: path + ".tmp-blocks", inMemory: inMemory)
        docTable = try SectionFile(path: path + ".tmp-docs", inMemory: inMemory)
        storeTable = try SectionFile(path: path + ".tmp-storetable", inMemory: inMemory)
        docInfo = try SectionFile(path: path + ".tmp-info", inMemory: inMemory)
        store = try SectionFile(path: path + ".tmp-store", inMemory: inMemory)
    }

    private var temporaries: [SectionFile] { [postings, positions, titles, blocks, docTable, storeTable, docInfo, store] }

    /// Room for the postings, positions and title postings about to be added (in-memory sections).
    func reserve(postings p: Int, positions q: Int, titles t: Int) {
        postings.reserve(p); positions.reserve(q); titles.reserve(t)
    }

    /// Adds a term; terms must come in strictly increasing byte order.
    func addTerm(_ term: UnsafeRawBufferPointer, docFreq: Int, postings p: UnsafeRawBufferPointer,
                 positions pos: UnsafeRawBufferPointer, titleDocFreq: Int, titlePostings t: UnsafeRawBufferPointer) throws {
        if blockTermCount == SegmentFormat.termsPerBlock { try closeBlock() }
        if blockTermCount == 0 {
            // Block header: where this block's first term's data starts in each stream.
            blockBuffer.varint(postings.length); blockBuffer.varint(positions.length); blockBuffer.varint(titles.length)
            indexEntries.u64(UInt64(blocks.length))
            indexEntries.u32(UInt32(indexKeys.count))
            indexEntries.u32(UInt32(term.count))
            indexKeys.append(term)
            previousTerm.removeAll(keepingCapacity: true)
        }
        var shared = 0
        let limit = min(previousTerm.count, term.count)
        while shared < limit && previousTerm[shared] == term[shared] { shared += 1 }
        blockBuffer.varint(shared)
        blockBuffer.varint(term.count - shared)
        blockBuffer.append(term[shared...])
        blockBuffer.varint(docFreq)
        blockBuffer.varint(p.count)
        blockBuffer.varint(pos.count)
        blockBuffer.varint(titleDocFreq)
        if titleDocFreq > 0 { blockBuffer.varint(t.count) }
        previousTerm.removeAll(keepingCapacity: true)
        previousTerm.append(contentsOf: term)
        blockTermCount += 1
        termCount += 1
        try checkpoints.add(offset: positions.length, docFreq: docFreq, postings: p, positions: pos, file: path)
        try postings.write(p)
        try positions.write(pos)
        if titleDocFreq > 0 { try titles.write(t) }
    }

    private func closeBlock() throws {
        var header = ByteBuffer()
        header.varint(blockTermCount)
        try blocks.write(header.bytes)
        try blocks.write(blockBuffer.bytes)
        blockBuffer.bytes.removeAll(keepingCapacity: true)
        blockTermCount = 0
        blockCount += 1
    }

    /// Adds the next document (doc ordinals are given implicitly, in call order).
    func addDocument(tokenCount: Int, titleTokenCount: Int, kind: UInt8, flags: UInt8, date: Int,
                     info: UnsafeRawBufferPointer, store storeBytes: UnsafeRawBufferPointer) throws {
        var e = ByteBuffer(capacity: SegmentFormat.docEntrySize)
        e.u32(UInt32(clamping: tokenCount)); e.u16(UInt16(clamping: titleTokenCount)); e.u8(kind); e.u8(flags)
        e.u32(UInt32(clamping: date))
        precondition(e.count == SegmentFormat.docEntrySize)
        try docTable.write(e.bytes)
        var a = ByteBuffer(capacity: SegmentFormat.storeEntrySize)
        a.u64(UInt64(store.length)); a.u32(UInt32(storeBytes.count)); a.u32(UInt32(docInfo.length)); a.u32(UInt32(info.count))
        precondition(a.count == SegmentFormat.storeEntrySize)
        try storeTable.write(a.bytes)
        try docInfo.write(info)
        try store.write(storeBytes)
        docCount += 1
        totalTokens += tokenCount
        totalTitleTokens += titleTokenCount
    }

    /// Adds every document of an in-memory writer at once: the concatenated info and stored-text
    /// records are taken as the sections themselves (no copy), `ends` give where each document's ends.
    func addDocuments(_ docs: [(tokenCount: Int, titleTokenCount: Int, kind: UInt8, flags: UInt8, date: Int, infoEnd: Int, storeEnd: Int)],
                      info: [UInt8], store storeBytes: [UInt8]) throws {
        precondition(docCount == 0, "addDocuments starts an empty segment")
        var infoStart = 0, storeStart = 0
        var e = ByteBuffer(capacity: docs.count * SegmentFormat.docEntrySize)
        var a = ByteBuffer(capacity: docs.count * SegmentFormat.storeEntrySize)
        for d in docs {
            e.u32(UInt32(clamping: d.tokenCount)); e.u16(UInt16(clamping: d.titleTokenCount)); e.u8(d.kind); e.u8(d.flags)
            e.u32(UInt32(clamping: d.date))
            a.u64(UInt64(storeStart)); a.u32(UInt32(d.storeEnd - storeStart)); a.u32(UInt32(infoStart)); a.u32(UInt32(d.infoEnd - infoStart))
            infoStart = d.infoEnd; storeStart = d.storeEnd
            docCount += 1
            totalTokens += d.tokenCount
            totalTitleTokens += d.titleTokenCount
        }
        try docTable.write(e.bytes)
        try storeTable.write(a.bytes)
        try docInfo.adopt(info)
        try store.adopt(storeBytes)
    }

    /// Writes the segment file (header, sections, TOC, footer), fsyncs it, removes the temporaries.
    func finish() throws {
        if blockTermCount > 0 { try closeBlock() }
        var info = ByteBuffer()
        info.varint(docCount); info.varint(termCount); info.varint(totalTokens); info.varint(totalTitleTokens)
        var index = ByteBuffer()
        index.u32(UInt32(blockCount))
        index.append(indexEntries.bytes)
        index.append(indexKeys.bytes)

        let fd = try FileIO.open(path, O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(fd) }
        var offset = 0
        var fileCRC: UInt32 = 0  // of every byte before the footer
        var toc = ByteBuffer()
        func put(_ b: [UInt8]) throws {
            try b.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path); fileCRC = cvnCRC(fileCRC, $0) }
            offset += b.count
        }
        func pad() throws {
            let n = (8 - offset % 8) % 8
            if n > 0 { try put([UInt8](repeating: 0, count: n)) }
        }
        var header = ByteBuffer()
        header.append(SegmentFormat.headerMagic); header.u32(SegmentFormat.currentVersion); header.u32(0)
        try put(header.bytes)
        var sections = 0
        func section(_ id: SectionID, bytes: [UInt8]) throws {
            try pad()
            toc.u32(id.rawValue); toc.u32(crc32(bytes)); toc.u64(UInt64(offset)); toc.u64(UInt64(bytes.count))
            try put(bytes)
            sections += 1
        }
        func section(_ id: SectionID, file: SectionFile) throws {
            try pad()
            try file.flush()
            toc.u32(id.rawValue); toc.u32(file.crc); toc.u64(UInt64(offset)); toc.u64(UInt64(file.length))
            fileCRC = try file.copy(into: fd, outPath: path, crc: fileCRC)
            offset += file.length
            sections += 1
        }
        try section(.info, bytes: info.bytes)
        try section(.termBlocks, file: blocks)
        try section(.termIndex, bytes: index.bytes)
        try section(.postings, file: postings)
        try section(.positions, file: positions)
        try section(.positionCheckpoints, bytes: checkpoints.bytes)
        try section(.titlePostings, file: titles)
        try section(.docTable, file: docTable)
        try section(.storeTable, file: storeTable)
        try section(.docInfo, file: docInfo)
        try section(.store, file: store)
        try pad()
        let tocOffset = offset
        var tocBytes = ByteBuffer()
        tocBytes.u32(UInt32(sections))
        tocBytes.append(toc.bytes)
        try put(tocBytes.bytes)
        var footer = ByteBuffer()
        footer.u64(UInt64(tocOffset)); footer.u32(UInt32(tocBytes.count)); footer.u32(crc32(tocBytes.bytes))
        footer.u32(SegmentFormat.currentVersion); footer.u32(fileCRC)
        footer.append(SegmentFormat.footerMagic)
        precondition(footer.count == SegmentFormat.footerSize)
        try put(footer.bytes)
        try FileIO.fsync(fd, path: path)
        discardTemporaries()
    }

    /// Removes the temporary section files (after `finish`, or when abandoning the segment).
    func discardTemporaries() {
        for f in temporaries { unlink(f.path) }
    }
}
