/// The in-memory half of a segment: interns terms and buffers their postings until `flush`.
///
/// Per document the caller reports body tokens (term bytes + position) and title tokens, then the
/// stored fields. Postings per term: for each doc `varint(docDelta << 1 | tf==1)`, then `varint(tf)`
/// when tf > 1; positions per doc are delta-coded varints; title postings as body postings without
/// positions. Not thread-safe: one writer per indexing thread.
public final class SegmentWriter {
    private let terms = TermTable()

    /// Per-term counters and streams, side by side in raw memory: `addToken` runs once per token and
    /// touches one record (one cache line) instead of several Swift arrays, each with its reference
    /// count and uniqueness checks.
    private var state: UnsafeMutablePointer<TermState> = .allocate(capacity: 1024)
    private var stateCapacity = 1024

    // Current document: terms seen so far (their frequency and last position are in `state`).
    private var docTerms: [Int32] = []
    private var titleTerms: [Int32] = []

    // Documents.
    private struct PendingDoc { var tokenCount: Int; var titleTokenCount: Int; var kind: UInt8; var flags: UInt8; var date: Int; var infoEnd: Int; var storeEnd: Int }
    private var docs: [PendingDoc] = []
    /// Sized up front: growing by doubling would briefly hold the old and the new buffer (48 MB at
    /// once for a 16 MB store), the indexer's peak. Large reservations are mappings the kernel
    /// fills only as they are written, so the unused part costs no memory.
    private var infoBytes = ByteBuffer(capacity: 8 << 20)
    private var storeBytes = ByteBuffer(capacity: 64 << 20)
    private let compressor = RecordCompressor()

    /// Approximate bytes held; flush when it passes the memory budget.
    public private(set) var bufferedBytes = 0
    public var documentCount: Int { docs.count }
    public var termCount: Int { terms.count }

    public init() {}

    deinit {
        for id in 0..<terms.count { state[id].freeStreams() }
        state.deinitialize(count: terms.count)
        state.deallocate()
    }

    // MARK: Interning

    @inline(__always)
    private func intern(_ term: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (id, isNew) = terms.intern(term)
        if isNew {
            if id == stateCapacity {
                let grown = UnsafeMutablePointer<TermState>.allocate(capacity: stateCapacity * 2)
                grown.moveInitialize(from: state, count: id)
                state.deallocate()
                state = grown; stateCapacity *= 2
            }
            (state + id).initialize(to: TermState())
            bufferedBytes += term.count + 120
        }
        return Int32(truncatingIfNeeded: id)
    }

    // MARK: Documents

    /// Adds a body token of the current document (positions must not decrease).
    /// Positions go straight to the term's position stream; doc and frequency wait for `endDocument`.
    public func addToken(_ term: UnsafeBufferPointer<UInt8>, position: Int) {
        let id = Int(intern(term))
        let pos = Int32(truncatingIfNeeded: position)
        let t = state + id
        let delta: Int32
        if t.pointee.tf == 0 {
            docTerms.append(Int32(id))
            delta = pos
        } else {
            delta = pos &- t.pointee.lastPosition
        }
        bufferedBytes += t.pointee.positions.appendVarint(UInt64(UInt32(bitPattern: delta)))
        t.pointee.tf += 1
        t.pointee.lastPosition = pos
    }

    /// Adds a title token of the current document.
    public func addTitleToken(_ term: UnsafeBufferPointer<UInt8>) {
        titleTerms.append(intern(term))
    }

    /// Ends the current document: groups its tokens by term and appends postings.
    public func endDocument(tokenCount: Int, titleTokenCount: Int, kind: UInt8, flags: UInt8, date: Int,
                            info: DocInfo, text: String) {
        let doc = Int32(docs.count)
        for t in docTerms {
            let id = Int(t)
            let st = state + id
            bufferedBytes += st.pointee.postings.appendPosting(delta: UInt64(doc - st.pointee.lastDoc), tf: Int(st.pointee.tf))
            st.pointee.lastDoc = doc
            st.pointee.docFreq += 1
            st.pointee.tf = 0
        }
        docTerms.removeAll(keepingCapacity: true)
        titleTerms.sort()
        // The body's terms were just given this document (`lastDoc`): a title term without it is
        // not in the body.
        var titleInBody = true
        var i = 0
        while i < titleTerms.count {
            let id = Int(titleTerms[i])
            var j = i
            while j < titleTerms.count && titleTerms[j] == titleTerms[i] { j += 1 }
            let st = state + id
            if st.pointee.lastDoc != doc { titleInBody = false }
            bufferedBytes += st.pointee.titlePostings.appendPosting(delta: UInt64(doc - st.pointee.lastTitleDoc), tf: j - i)
            st.pointee.lastTitleDoc = doc
            st.pointee.titleDocFreq += 1
            i = j
        }
        titleTerms.removeAll(keepingCapacity: true)

        let infoBefore = infoBytes.count, storeBefore = storeBytes.count
        DocRecord.encodeInfo(info, into: &infoBytes)
        DocRecord.encodeText(text, into: &storeBytes, compressor: compressor)
        bufferedBytes += infoBytes.count - infoBefore + storeBytes.count - storeBefore + 64
        docs.append(PendingDoc(tokenCount: tokenCount, titleTokenCount: titleTokenCount, kind: kind,
                               flags: titleInBody ? flags | DocEntry.flagTitleInBody : flags & ~DocEntry.flagTitleInBody,
                               date: date, infoEnd: infoBytes.count, storeEnd: storeBytes.count))
    }

    @inline(__always)
    static func appendVarint(_ out: inout [UInt8], _ v: UInt64) {
        var v = v
        while v >= 0x80 { out.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    @inline(__always)
    static func appendPosting(_ out: inout [UInt8], delta: UInt64, tf: Int) {
        appendVarint(&out, delta << 1 | (tf == 1 ? 1 : 0))
        if tf > 1 { appendVarint(&out, UInt64(tf)) }
    }

    // MARK: Flush

    /// Writes the buffered documents as one segment file at `path`. The writer is spent afterwards
    /// (its buffers move into the segment); use a new one for more documents.
    public func flush(to path: String) throws {
        try flush(to: path, checkpoints: PositionCheckpoints.Builder())
    }

    /// `flush(to:)` with the given position checkpoints (tests ask for many, on small texts).
    func flush(to path: String, checkpoints: PositionCheckpoints.Builder) throws {
        let serializer = try SegmentSerializer(path: path, inMemory: true, checkpoints: checkpoints)
        do {
            var order = Array(0..<terms.count)
            order.sort { x, y in
                let a = terms.bytes(x), b = terms.bytes(y)
                let c = memcmp(a.baseAddress!, b.baseAddress!, min(a.count, b.count))
                return c != 0 ? c < 0 : a.count < b.count
            }
            // The varint sizes: close to the packed ones (a hint; a section still grows past it).
            let all = (0..<terms.count).map { state[$0] }
            serializer.reserve(postings: all.reduce(0) { $0 + $1.postings.count }, positions: all.reduce(0) { $0 + $1.positions.count },
                               titles: all.reduce(0) { $0 + $1.titlePostings.count })
            var listDocs: [Int32] = [], listFreqs: [Int32] = []
            var packedPostings: [UInt8] = [], packedTitles: [UInt8] = []
            // The in-memory lists are varints; on disk full blocks are bit-packed.
            func withPacked(_ stream: ByteStream, count: Int, scratch out: inout [UInt8],
                            _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
                if count < PostingsCodec.blockSize { return try body(stream.bytes) }
                listDocs.removeAll(keepingCapacity: true); listFreqs.removeAll(keepingCapacity: true)
                var c = ByteCursor(stream.bytes)
                PostingsCodec.decodeVarints(&c, count: count, docs: &listDocs, freqs: &listFreqs)
                out.removeAll(keepingCapacity: true)
                PostingsCodec.encode(docs: listDocs, freqs: listFreqs, into: &out)
                try out.withUnsafeBytes(body)
            }
            var freed = 0
            do {
                for id in order {
                    let term = UnsafeRawBufferPointer(terms.bytes(id))
                    let st = state + id
                    try withPacked(st.pointee.postings, count: Int(st.pointee.docFreq), scratch: &packedPostings) { p in
                        try withPacked(st.pointee.titlePostings, count: Int(st.pointee.titleDocFreq), scratch: &packedTitles) { t in
                            try serializer.addTerm(term, docFreq: Int(st.pointee.docFreq), postings: p, positions: st.pointee.positions.bytes,
                                                   titleDocFreq: Int(st.pointee.titleDocFreq), titlePostings: t)
                        }
                    }
                    // Copied into the segment's sections: free the term's buffers as we go, so a flush
                    // does not hold two copies of everything. Freed small buffers stay in malloc's heap
                    // (the sections grow in their own mappings): hand them back every 8 MB.
                    freed += st.pointee.positions.capacity + st.pointee.postings.capacity + st.pointee.titlePostings.capacity
                    st.pointee.freeStreams()
                    if freed > 8 << 20 { HeapMemory.releaseFree(); freed = 0 }
                }
            }
            // The stored records move into the segment without a copy: this writer is done with them.
            let info = infoBytes.bytes, store = storeBytes.bytes
            infoBytes = ByteBuffer(); storeBytes = ByteBuffer()
            try serializer.addDocuments(docs.map { ($0.tokenCount, $0.titleTokenCount, $0.kind, $0.flags, $0.date, $0.infoEnd, $0.storeEnd) },
                                        info: info, store: store)
            try serializer.finish()
        } catch {
            serializer.discardTemporaries()
            throw error
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Encoding of the stored per-document records.
enum DocRecord {
    /// The fields, then a CRC-32 of them (so damage is an error, never a wrong title or id).
    static func encodeInfo(_ info: DocInfo, into b: inout ByteBuffer) {
        let start = b.count
        defer { b.u32(b.bytes.withUnsafeBytes { cvnCRC(0, UnsafeRawBufferPointer(rebasing: $0[start...])) }) }
        b.string(info.id)
        b.u8(info.title == nil ? 0 : 1); if let t = info.title { b.string(t) }
        b.u8(info.number == nil ? 0 : 1); if let n = info.number { b.string(n) }
        b.string(info.encoding)
        b.varint(info.notes.count); for n in info.notes { b.string(n) }
        b.u64(info.contentHash)
        b.varint(info.fileSize)
        b.u64(info.modified.bitPattern)
        // Optional tail (absent in older records): token marks as ascending byte-offset deltas.
        if !info.tokenMarks.isEmpty {
            b.varint(info.tokenMarks.count)
            var previous = 0
            for m in info.tokenMarks { b.varint(m - previous); previous = m }
        }
    }

    static func decodeInfo(_ c: inout ByteCursor) -> DocInfo {
        let id = c.string()
        let title = c.u8() == 1 ? c.string() : nil
        let number = c.u8() == 1 ? c.string() : nil
        let encoding = c.string()
        let n = min(c.int(), 1000)
        var notes: [String] = []
        for _ in 0..<n { notes.append(c.string()) }
        let hash = c.u64()
        let size = c.int()
        let modified = Double(bitPattern: c.u64())
        var marks: [Int] = []
        if c.offset < c.end {
            // Each mark takes at least one byte: a count beyond what is left is damage.
            let n = c.int()
            if n > c.end - c.offset { c.fail() } else {
                marks.reserveCapacity(n)
                var at = 0
                for _ in 0..<n { at &+= c.int(); marks.append(at) }
            }
        }
        return DocInfo(id: id, title: title, number: number, encoding: encoding, notes: notes,
                       contentHash: hash, fileSize: size, modified: modified, tokenMarks: marks)
    }

    /// u8 method (0 raw, 1 zstd), varint raw length, u32 CRC-32 of the raw text, bytes.
    static func encodeText(_ text: String, into b: inout ByteBuffer, compressor: RecordCompressor) {
        var text = text
        text.withUTF8 { compressor.appendRecord(UnsafeRawBufferPointer($0), to: &b) }
    }

    static func decodeText(_ record: UnsafeRawBufferPointer, with d: RecordDecompressor? = nil) -> [UInt8]? {
        RecordCompressor.decode(record, with: d)
    }
}

/// A growable byte buffer in malloc'ed memory, for the writer's per-term streams.
struct ByteStream {
    var base: UnsafeMutablePointer<UInt8>? = nil
    var count = 0
    var capacity = 0

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Appends `v` as a varint; returns the bytes the buffer grew by (for the memory budget).
    @inline(__always)
    mutating func appendVarint(_ v: UInt64) -> Int {
        var grown = 0
        if count + 10 > capacity {  // a varint of 64 bits takes at most 10 bytes
            let n = max(16, capacity * 2)
            base = realloc(base, n)!.assumingMemoryBound(to: UInt8.self)
            grown = n - capacity
            capacity = n
        }
        var v = v, at = count
        let out = base!
        while v >= 0x80 { out[at] = UInt8(truncatingIfNeeded: v) | 0x80; v >>= 7; at += 1 }
        out[at] = UInt8(v)
        count = at + 1
        return grown
    }

    /// Appends one posting: `varint(docDelta << 1 | tf == 1)`, then `varint(tf)` when tf > 1.
    @inline(__always)
    mutating func appendPosting(delta: UInt64, tf: Int) -> Int {
        var grown = appendVarint(delta << 1 | (tf == 1 ? 1 : 0))
        if tf > 1 { grown += appendVarint(UInt64(tf)) }
        return grown
    }

    mutating func free() {
        Glibc.free(base)
        self = ByteStream()
    }
}

/// A term's counters while its segment is being written, and its streams: position deltas (in
/// `addToken` order, hot: first), body postings and title postings (varints).
struct TermState {
    /// Frequency and last position in the current document (0 when it has not occurred yet).
    var tf: Int32 = 0
    var lastPosition: Int32 = 0
    var positions = ByteStream()
    var lastDoc: Int32 = -1
    var docFreq: Int32 = 0
    var postings = ByteStream()
    var lastTitleDoc: Int32 = -1
    var titleDocFreq: Int32 = 0
    var titlePostings = ByteStream()

    mutating func freeStreams() { positions.free(); postings.free(); titlePostings.free() }
}
