import Foundation
import Testing
@testable import VNIndex

/// A trivial analyzer for index tests (the index knows nothing of Vietnamese): whitespace words,
/// key = word + 0x00 + "0".
private func terms(_ text: String) -> [[UInt8]] {
    text.split(separator: " ").map { Array($0.utf8) + [0, 0x30] }
}

private func tempDir() -> String {
    let p = NSTemporaryDirectory() + "vnindex-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
    return p
}

/// Writes docs into one segment; returns its path.
private func writeSegment(_ docs: [String], in dir: String, name: String = "seg",
                          checkpoints: PositionCheckpoints.Builder = PositionCheckpoints.Builder()) throws -> String {
    let w = SegmentWriter()
    for (i, text) in docs.enumerated() {
        for (p, t) in terms(text).enumerated() { t.withUnsafeBufferPointer { w.addToken($0, position: p) } }
        for t in terms("title \(i)") { t.withUnsafeBufferPointer { w.addTitleToken($0) } }
        w.endDocument(tokenCount: terms(text).count, titleTokenCount: 2, kind: 1, flags: 0, date: 20190924,
                      info: DocInfo(id: "doc\(i).txt", title: "title \(i)", number: nil, encoding: "utf-8", notes: [],
                                    contentHash: UInt64(i), fileSize: text.utf8.count, modified: 0),
                      text: text)
    }
    let path = dir + "/\(name).seg"
    try w.flush(to: path, checkpoints: checkpoints)
    return path
}

private func docs(_ seg: SegmentReader, _ word: String) throws -> [Int32] {
    guard let info = try seg.lookup(Array(word.utf8) + [0, 0x30]) else { return [] }
    var d: [Int32] = [], f: [Int32] = []
    try seg.postings(info, docs: &d, freqs: &f)
    return d
}

@Suite("Segments: write, read, merge")
struct SegmentTests {
    let corpus = ["a b c a", "b c d", "c d e f c c", "tiếng việt có dấu", String(repeating: "x ", count: 300) + "end"]

    @Test func tokenMarksAreAnOptionalTailOfTheInfoRecord() throws {
        let plain = DocInfo(id: "a.txt", title: "t", number: nil, encoding: "utf-8", notes: ["n"], contentHash: 7, fileSize: 9, modified: 1.5)
        var marked = plain
        marked.tokenMarks = [12, 130, 131, 4000]
        var a = ByteBuffer(), b = ByteBuffer()
        DocRecord.encodeInfo(plain, into: &a)
        DocRecord.encodeInfo(marked, into: &b)
        for (buffer, info) in [(a, plain), (b, marked)] {
            // A record is its fields and a CRC-32: decode the fields.
            buffer.bytes.withUnsafeBytes { raw in
                var c = ByteCursor(raw, offset: 0, end: buffer.count - 4)
                let decoded = DocRecord.decodeInfo(&c)
                #expect(!c.failed && c.isAtEnd)
                #expect(decoded == info)
            }
        }
        // Without marks the record is as it was before marks existed: older readers read it whole.
        #expect(b.count > a.count)
        // A mark count promising more marks than bytes are left is damage, not a short list.
        b.bytes.withUnsafeBytes { raw in
            var c = ByteCursor(raw, offset: 0, end: b.count - 4 - 3)
            _ = DocRecord.decodeInfo(&c)
            #expect(c.failed)
        }
    }

    @Test func roundTripsPostingsPositionsAndStoredFields() throws {
        let seg = try SegmentReader(path: try writeSegment(corpus, in: tempDir()))
        #expect(seg.documentCount == corpus.count)
        #expect(try docs(seg, "c") == [0, 1, 2])
        #expect(try docs(seg, "việt") == [3])
        #expect(try docs(seg, "zzz") == [])
        let info = try #require(try seg.lookup(Array("c".utf8) + [0, 0x30]))
        var d: [Int32] = [], f: [Int32] = [], pos: [Int32] = []
        try seg.postings(info, docs: &d, freqs: &f)
        #expect(f == [1, 1, 3])
        var cursor = PositionCursor(seg, info)
        try cursor.read(index: 0, freqs: f, into: &pos)
        #expect(pos == [2])
        try cursor.read(index: 2, freqs: f, into: &pos)   // skips doc 1's positions
        #expect(pos == [0, 4, 5])
        #expect(try seg.text(3) == "tiếng việt có dấu")
        #expect(try seg.docInfo(1).id == "doc1.txt")
        #expect(seg.docEntry(2).date == 20190924)
        #expect(seg.docTable.tokenCount(2) == 6 && seg.docTable.titleTokenCount(2) == 2)
        #expect(seg.docEntry(2).tokenCount == 6 && seg.docEntry(2).titleTokenCount == 2)
        #expect(seg.verify().isEmpty)
    }

    @Test func prefixLookupReturnsTheRangeInOrder() throws {
        let w = SegmentWriter()
        for k in ["thuy\u{0}3", "thuy\u{0}2", "thuya\u{0}0", "thu\u{0}0", "thuy\u{0}"] {
            Array(k.utf8).withUnsafeBufferPointer { w.addToken($0, position: 0) }
        }
        w.endDocument(tokenCount: 5, titleTokenCount: 0, kind: 0, flags: 0, date: 0,
                      info: DocInfo(id: "x", title: nil, number: nil, encoding: "utf-8", notes: [], contentHash: 0, fileSize: 0, modified: 0), text: "x")
        let path = tempDir() + "/p.seg"
        try w.flush(to: path)
        let seg = try SegmentReader(path: path)
        let r = try seg.lookup(prefix: Array("thuy\u{0}".utf8)).map { String(decoding: $0.0, as: UTF8.self) }
        #expect(r == ["thuy\u{0}", "thuy\u{0}2", "thuy\u{0}3"])
    }

    /// The writer marks a document whose title terms all stand in its body (their title postings
    /// add no document to the body's), whatever flags the caller passes: a title inside the body,
    /// one with a word the body lacks (a site name), an empty title, the same title word repeated.
    @Test func titleInBodyFlagSaysWhetherEveryTitleTermIsInTheBody() throws {
        let w = SegmentWriter()
        let cases: [(body: String, title: String, flags: UInt8, inBody: Bool)] = [
            ("ke hoach so 07 nam 2019", "ke hoach so 07", 0, true),
            ("ke hoach so 07 nam 2019", "ke hoach UBND", DocEntry.flagTitleInBody, false),
            ("bao cao", "", 0, true),
            ("nghi quyet ky hop", "ky ky hop", DocEntry.flagUnaccented, true),
            ("tin tuc", "tin moi", DocEntry.flagUnaccented | DocEntry.flagTitleInBody, false),
        ]
        for (i, c) in cases.enumerated() {
            for (p, t) in terms(c.body).enumerated() { t.withUnsafeBufferPointer { w.addToken($0, position: p) } }
            for t in terms(c.title) { t.withUnsafeBufferPointer { w.addTitleToken($0) } }
            w.endDocument(tokenCount: terms(c.body).count, titleTokenCount: terms(c.title).count, kind: 0, flags: c.flags, date: 0,
                          info: DocInfo(id: "d\(i)", title: c.title, number: nil, encoding: "utf-8", notes: [],
                                        contentHash: 0, fileSize: 0, modified: 0), text: c.body)
        }
        let path = tempDir() + "/t.seg"
        try w.flush(to: path)
        let seg = try SegmentReader(path: path)
        for (i, c) in cases.enumerated() {
            let flags = seg.docEntry(i).flags
            #expect((flags & DocEntry.flagTitleInBody != 0) == c.inBody, "document \(i)")
            #expect(seg.docTable.flags(i) == flags)
            #expect(flags & DocEntry.flagUnaccented == c.flags & DocEntry.flagUnaccented, "the other flags are kept")
        }
    }

    @Test func manyTermsSpanManyBlocks() throws {
        let words = (0..<5000).map { "w\($0)" }
        let seg = try SegmentReader(path: try writeSegment([words.joined(separator: " "), "w4999 w17"], in: tempDir()))
        for w in ["w0", "w17", "w2500", "w4999"] { #expect(try docs(seg, w).first == 0) }
        #expect(try docs(seg, "w17") == [0, 1])
        #expect(try docs(seg, "w5000") == [])
    }

    @Test func mergeDropsDeletedDocumentsAndRenumbers() throws {
        let dir = tempDir()
        let a = try SegmentReader(path: try writeSegment(["a b", "b c", "c d"], in: dir, name: "a"))
        let b = try SegmentReader(path: try writeSegment(["d e", "a e"], in: dir, name: "b"))
        var del = DeletionSet(documentCount: 3)
        del.insert(1)
        try SegmentMerger.merge([(a, del), (b, nil)], into: dir + "/m.seg")
        let m = try SegmentReader(path: dir + "/m.seg")
        #expect(m.documentCount == 4)
        #expect(try docs(m, "a") == [0, 3])
        #expect(try docs(m, "b") == [0])
        #expect(try docs(m, "e") == [2, 3])
        #expect(try m.text(1) == "c d")
        #expect(try m.docInfo(3).id == "doc1.txt")
        #expect(m.verify().isEmpty)
    }
}

@Suite("Position checkpoints")
struct PositionCheckpointTests {
    /// Documents of 1 to 60 words from a small vocabulary, so every word is in many of them, some
    /// many times: positions of 1- to 2-byte varints, several per document.
    static func corpus(_ count: Int) -> [String] {
        var rng = SystemRandomNumberGenerator()
        let words = (0..<12).map { "w\($0)" }
        return (0..<count).map { _ in
            (0..<Int.random(in: 1...60, using: &rng)).map { _ in words[Int.random(in: 0..<(words.count), using: &rng)] }
                .joined(separator: " ")
        }
    }

    /// The same documents with and without checkpoints (one every 16 bytes of positions, on any
    /// term of 64 bytes or more): reading any ascending subset of a term's documents, a few or many
    /// apart, gives the same positions, so jumping lands exactly where counting from the start does.
    @Test func jumpingLandsWhereCountingDoes() throws {
        let texts = Self.corpus(900)
        let dir = tempDir()
        let plain = try SegmentReader(path: try writeSegment(texts, in: dir, name: "plain"))
        let marked = try SegmentReader(path: try writeSegment(texts, in: dir, name: "marked",
                                                              checkpoints: PositionCheckpoints.Builder(minimumBytes: 64, stretchBytes: 16)))
        #expect(plain.sections[.positionCheckpoints]?.length == 4)  // no term is long enough: an empty table
        var rng = SystemRandomNumberGenerator()
        var jumped = 0
        for w in 0..<12 {
            let key = Array("w\(w)".utf8) + [0, 0x30]
            let a = try #require(try plain.lookup(key)), b = try #require(try marked.lookup(key))
            // The dictionary and postings are untouched (only sections after the positions moved).
            #expect(a.docFreq == b.docFreq && a.postingsLength == b.postingsLength && a.positionsLength == b.positionsLength)
            let cp = try #require(marked.checkpoints.term(offset: b.positionsOffset - marked.sections[.positions]!.offset,
                                                          length: b.positionsLength))
            #expect(cp.count == (b.docFreq - 1) / cp.interval)
            var docs: [Int32] = [], freqs: [Int32] = []
            try marked.postings(b, docs: &docs, freqs: &freqs)
            for gap in [1, 2, 7, 50, 300] {
                var x = PositionCursor(plain, a), y = PositionCursor(marked, b)
                var i = Int.random(in: 0..<gap, using: &rng)
                var p: [Int32] = [], q: [Int32] = []
                while i < docs.count {
                    try x.read(index: i, freqs: freqs, into: &p)
                    try y.read(index: i, freqs: freqs, into: &q)
                    #expect(p == q, "w\(w), document index \(i)")
                    if gap > cp.interval { jumped += 1 }
                    i += Int.random(in: 1...gap, using: &rng)
                }
            }
        }
        #expect(jumped > 0)
    }

    /// A segment written before checkpoints existed has no such section: it opens, and its terms
    /// are read from their start. A section that is not well formed is damage.
    @Test func theSectionIsOptionalAndChecked() throws {
        let bytes: (UInt32, [UInt32]) -> [UInt8] = { n, words in
            var b = ByteBuffer(); b.u32(n); for w in words { b.u32(w) }; return b.bytes
        }
        func table(_ b: [UInt8]) -> PositionCheckpoints.Table? { b.withUnsafeBytes { PositionCheckpoints.Table($0) } }
        #expect(table(bytes(0, [])) != nil)
        // One term at offset 0, interval 5, steps from 0: two u16 steps.
        #expect(table(bytes(1, [0, 5, 0, 0x0003_0002])) != nil)
        #expect(table(bytes(1, [0, 0, 0, 0x0003_0002])) == nil)         // interval 0
        #expect(table(bytes(2, [0, 5, 0, 0, 5, 0, 0x0003_0002])) == nil) // offsets not ascending
        #expect(table(bytes(1, [0, 5, 4, 0x0003_0002])) == nil)         // steps outside the area
        #expect(table(bytes(9, [0, 5, 0])) == nil)                      // more terms than bytes
        #expect(table([1, 0]) == nil)
    }
}

@Suite("Damaged files are errors, never crashes")
struct CorruptionTests {
    @Test func truncatedAndForeignFilesAreRejected() throws {
        let dir = tempDir()
        let path = try writeSegment(["a b c", "d e f"], in: dir)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [0, 10, bytes.count / 2, bytes.count - 1] {
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            #expect(throws: IndexError.self) { try SegmentReader(path: path) }
        }
        try Data("hello, not a segment at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: IndexError.self) { try SegmentReader(path: path) }
    }

    @Test func aFlippedByteIsFoundByVerifyOrRejected() throws {
        let dir = tempDir()
        let path = try writeSegment(["alpha beta gamma", "delta epsilon", "zeta eta theta iota"], in: dir)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes = original
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[i] ^= UInt8.random(in: 1...255, using: &rng)
            try bytes.write(to: URL(fileURLWithPath: path))
            // Opening either fails cleanly or succeeds; then verify names the damage, and reads never trap.
            guard let seg = try? SegmentReader(path: path) else { continue }
            #expect(!seg.verify().isEmpty, "flip at \(i) undetected")
            for w in ["alpha", "eta", "zeta", "nope"] { _ = try? docs(seg, w) }
            for d in 0..<seg.documentCount { _ = try? seg.text(d); _ = try? seg.docInfo(d) }
            _ = try? seg.lookup(prefix: [0x61])
        }
    }
}

@Suite("Commit files")
struct CommitTests {
    @Test func metaRoundTripsAndRejectsDamage() throws {
        let meta = IndexMeta(analyzer: "vn-syllable-1", generation: 3, nextSegment: 5, created: 1, corpus: "/c",
                             segments: [.init(name: "seg-000001", documents: 10, deletions: "seg-000001-g3.del"), .init(name: "seg-000004", documents: 2, deletions: nil)])
        let bytes = meta.encoded()
        #expect(try IndexMeta.decode(bytes, path: "m") == meta)
        var bad = bytes
        bad[20] ^= 1
        #expect(throws: IndexError.self) { try IndexMeta.decode(bad, path: "m") }
        #expect(throws: IndexError.self) { try IndexMeta.decode(Array("garbage\n".utf8), path: "m") }
        let v2 = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "vnsearch-index 1", with: "vnsearch-index 2").utf8)
        #expect {
            try IndexMeta.decode(v2, path: "m")
        } throws: { e in
            if case IndexError.formatVersion = e { return true } else { return false }
        }
    }

    @Test func deletionSetsRoundTrip() throws {
        var d = DeletionSet(documentCount: 20)
        for i in [0, 7, 19] { d.insert(i) }
        let back = try DeletionSet.decode(d.encoded(), path: "d", documentCount: 20)
        #expect(back == d && back.count == 3 && back.contains(7) && !back.contains(8))
        #expect(throws: IndexError.self) { try DeletionSet.decode(d.encoded(), path: "d", documentCount: 21) }
    }
}

@Suite("Varint skipping")
struct VarintSkipTests {
    /// Varints of 1 to 5 bytes in random order: skipping n of them lands where decoding n of them
    /// one by one does, for every n and every start (the 64- and 16-byte steps and their tail), and asking
    /// for more than are there is a failure, never a read past the end.
    @Test func skippingLandsWhereDecodingDoes() {
        var rng = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        for _ in 0..<300 {
            var v = UInt64.random(in: 0..<(1 << (7 * UInt64.random(in: 1...5, using: &rng))), using: &rng)
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }
        bytes.withUnsafeBytes { raw in
            for start in [0, 1, 7, 16, 33] {
                var decoded = ByteCursor(raw, offset: start)
                // A start inside a varint counts its tail as one varint, as the decoder does.
                var ends: [Int] = []
                while decoded.offset < decoded.end { _ = decoded.varint(); ends.append(decoded.offset) }
                for n in 0...ends.count {
                    var c = ByteCursor(raw, offset: start)
                    c.skipVarints(n)
                    #expect(!c.failed)
                    #expect(c.offset == (n == 0 ? start : ends[n - 1]), "n = \(n), start = \(start)")
                }
                var over = ByteCursor(raw, offset: start)
                over.skipVarints(ends.count + 1)
                #expect(over.failed)
            }
        }
    }
}

@Suite("Postings codec")
struct PostingsCodecTests {
    /// Lists of many block widths: gaps up to 2^w for w = 1…22, frequencies up to 2^w for w = 1…30, 1 to 3
    /// full blocks and a varint tail, decoded from a buffer that ends where the list ends (the
    /// last block read without bytes to spare) and from one with bytes after it.
    @Test func everyBitWidthRoundTrips() {
        var rng = SystemRandomNumberGenerator()
        for width in 1...31 {
            let n = 128 * Int.random(in: 1...3, using: &rng) + Int.random(in: 0..<128, using: &rng)
            var docs: [Int32] = [], freqs: [Int32] = []
            var doc: Int64 = -1
            // Gaps below 2^width, and small enough that n of them keep the ordinals below 2^31.
            let gapLimit = min(Int64(1) << Int64(width), Int64(Int32.max) / Int64(n + 1))
            for _ in 0..<n {
                doc += Int64.random(in: 1...gapLimit, using: &rng)
                docs.append(Int32(doc))
                // Frequencies take at most 30 bits (wider fields are read as damage).
                freqs.append(Int32.random(in: 1...Int32(Int64(1) << Int64(min(width, 30))), using: &rng))
            }
            var bytes: [UInt8] = []
            PostingsCodec.encode(docs: docs, freqs: freqs, into: &bytes)
            for padding in [0, 16] {
                let buffer = bytes + [UInt8](repeating: 0xFF, count: padding)
                buffer.withUnsafeBytes { raw in
                    var c = ByteCursor(raw, offset: 0, end: bytes.count)
                    var d: [Int32] = [], f: [Int32] = []
                    #expect(PostingsCodec.decode(&c, count: n, docs: &d, freqs: &f), "width \(width)")
                    #expect(d == docs && f == freqs, "width \(width), padding \(padding)")
                }
            }
        }
    }

    /// The widths at the ends of the fast path: consecutive documents each holding the term once
    /// (both widths 0), and one gap of 2^30 among small ones (30 bits, past the 24 that are
    /// unpacked eight at a time).
    @Test func widthsZeroAndThirtyRoundTrip() {
        let consecutive = (0..<256).map { Int32($0) + 7 }
        let wide = (0..<128).map { Int32($0) + ($0 >= 100 ? 1 << 30 : 0) }
        for docs in [consecutive, wide] {
            let freqs = [Int32](repeating: 1, count: docs.count)
            var bytes: [UInt8] = []
            PostingsCodec.encode(docs: docs, freqs: freqs, into: &bytes)
            bytes.withUnsafeBytes { raw in
                var c = ByteCursor(raw)
                var d: [Int32] = [], f: [Int32] = []
                #expect(PostingsCodec.decode(&c, count: docs.count, docs: &d, freqs: &f))
                #expect(d == docs && f == freqs)
            }
        }
    }

    /// A block of 128 gaps of 2^24 (24-bit fields all ones) ends exactly at Int32.max, which is
    /// valid; one more document after it cannot be an ordinal, so the list reads as damaged.
    @Test func documentsPastInt32MaxReadAsDamage() {
        let block: [UInt8] = [24, 0] + [UInt8](repeating: 0xFF, count: 24 * 16)
        let bytes = block + [0, 0] + [UInt8](repeating: 0, count: 64)
        bytes.withUnsafeBytes { raw in
            var c = ByteCursor(raw)
            var d: [Int32] = [], f: [Int32] = []
            #expect(PostingsCodec.decode(&c, count: 128, docs: &d, freqs: &f))
            #expect(d.first == (1 << 24) - 1 && d.last == Int32.max && f.allSatisfy { $0 == 1 })
            var again = ByteCursor(raw)
            #expect(!PostingsCodec.decode(&again, count: 256, docs: &d, freqs: &f))
        }
    }
}
