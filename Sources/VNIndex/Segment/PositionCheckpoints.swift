internal import CVNCodec

/// Where inside a long term's positions every Nth document's positions start.
///
/// Positions are varints, document after document, so reaching one document's positions means
/// counting the varints of every document before it: for a common syllable that is hundreds of
/// kilobytes walked (and pulled into the cache) to read a few documents' positions for the
/// re-rank or for snippets. A term whose positions take at least `minimumBytes` gets a checkpoint
/// about every `stretchBytes`; a reader jumps to the last checkpoint before the document it wants
/// and counts from there. The section is optional: segments written before it have none, and
/// their terms are counted from the start, as before.
///
/// Section layout (fixed width, read in place from the mapping): `u32 term count`, then per term
/// in ascending positions offset (12 bytes): `u32 positions offset` (within the positions
/// section), `u32 interval` N (bit 31 set: 4-byte steps), `u32 steps offset` (within the steps
/// area); then the steps area. A term's steps run to the next term's (or the area's end): step k
/// is the bytes from document k × N's positions to document (k + 1) × N's (postings order), as
/// `u16`, or `u32` for a term where some step does not fit in 16 bits.
enum PositionCheckpoints {
    /// Terms with fewer bytes of positions are counted from their start: a walk that short costs
    /// less than the checkpoints' room in the index.
    static let minimumBytes = 8 * 1024
    /// About this many bytes of positions between checkpoints.
    static let stretchBytes = 2 * 1024
    static let entrySize = 12
    static let wideFlag: UInt32 = 1 << 31

    /// The checkpoints of one term, as a reader uses them.
    struct Term {
        /// Documents between checkpoints.
        let interval: Int
        let steps: UnsafeRawPointer
        let count: Int
        let wide: Bool
        /// The term's positions length: offsets are clamped to it (they are data).
        let length: Int

        @inline(__always)
        func step(_ k: Int) -> Int {
            wide ? Int(steps.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self))
                 : Int(steps.loadUnaligned(fromByteOffset: k * 2, as: UInt16.self))
        }
    }

    /// A reader's place among a term's checkpoints: it only moves forward, so the steps are summed
    /// once over a whole walk of the term.
    struct Place {
        private(set) var passed = 0
        private(set) var offset = 0

        /// Moves to the last checkpoint at or before postings index `index`, if that lies past
        /// `from` (the document the reader stands at): returns (document index, byte offset from
        /// the term's start).
        @inline(__always)
        mutating func jump(_ t: Term, to index: Int, from: Int) -> (index: Int, offset: Int)? {
            let k = min(index / t.interval, t.count)
            guard k > passed, k * t.interval > from else { return nil }
            for j in passed..<k { offset &+= t.step(j) }
            passed = k
            return (k * t.interval, min(offset, t.length))
        }
    }

    /// Builds the section while a segment's terms are added in order.
    struct Builder {
        private var entries = ByteBuffer()
        private var steps = ByteBuffer()
        private var terms = 0
        let minimumBytes: Int
        let stretchBytes: Int

        init(minimumBytes: Int = PositionCheckpoints.minimumBytes, stretchBytes: Int = PositionCheckpoints.stretchBytes) {
            self.minimumBytes = minimumBytes; self.stretchBytes = stretchBytes
        }

        /// Records the checkpoints of a term whose positions start at `offset` in the section;
        /// `postings` are the term's encoded postings (for each document's frequency). `file`
        /// names the segment being written, for errors.
        mutating func add(offset: Int, docFreq: Int, postings: UnsafeRawBufferPointer, positions: UnsafeRawBufferPointer,
                          file: String) throws {
            guard positions.count >= minimumBytes, docFreq >= 2, offset < Int(UInt32.max),
                  let raw = positions.baseAddress else { return }
            var c = ByteCursor(postings)
            var docs: [Int32] = [], freqs: [Int32] = []
            guard PostingsCodec.decode(&c, count: docFreq, docs: &docs, freqs: &freqs) else {
                throw IndexError.corrupted(file: file, reason: "postings do not decode")
            }
            let interval = max(1, Int((Double(docFreq) * Double(stretchBytes) / Double(positions.count)).rounded()))
            let count = (docFreq - 1) / interval
            guard count >= 1, interval < Int(PositionCheckpoints.wideFlag) else { return }
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            var lengths: [Int] = []
            lengths.reserveCapacity(count)
            var at = 0, doc = 0
            for k in 1...count {
                var n = 0
                while doc < k * interval { n += Int(max(1, freqs[doc])); doc += 1 }
                let taken = cvncodec_skip_varints(bytes + at, positions.count - at, n)
                guard taken >= 0 else {
                    throw IndexError.corrupted(file: file, reason: "positions do not decode")
                }
                lengths.append(Int(taken))
                at += Int(taken)
            }
            let wide = lengths.contains { $0 > Int(UInt16.max) }
            entries.u32(UInt32(offset)); entries.u32(UInt32(interval) | (wide ? PositionCheckpoints.wideFlag : 0))
            entries.u32(UInt32(steps.count))
            for l in lengths { if wide { steps.u32(UInt32(l)) } else { steps.u16(UInt16(l)) } }
            terms += 1
        }

        /// The section's bytes.
        var bytes: [UInt8] {
            var out = ByteBuffer(capacity: 4 + entries.count + steps.count)
            out.u32(UInt32(terms))
            out.append(entries.bytes)
            out.append(steps.bytes)
            return out.bytes
        }
    }

    /// A segment's checkpoint section, read in place.
    /// Unchecked: it points into the segment's read-only mapping, which outlives it.
    struct Table: @unchecked Sendable {
        private let base: UnsafeRawPointer?
        private let terms: Int
        private let stepBytes: Int

        static let empty = Table(base: nil, terms: 0, stepBytes: 0)

        private init(base: UnsafeRawPointer?, terms: Int, stepBytes: Int) {
            self.base = base; self.terms = terms; self.stepBytes = stepBytes
        }

        /// Checks the section's shape (ascending terms, each term's steps inside the area and a
        /// whole number of them); nil when it is not well formed.
        init?(_ bytes: UnsafeRawBufferPointer) {
            guard bytes.count >= 4, let p = bytes.baseAddress else { return nil }
            let n = Int(p.loadUnaligned(as: UInt32.self))
            guard n <= (bytes.count - 4) / PositionCheckpoints.entrySize else { return nil }
            let table = Table(base: p + 4, terms: n, stepBytes: bytes.count - 4 - n * PositionCheckpoints.entrySize)
            var previous = -1
            for i in 0..<n {
                let e = table.entry(i)
                let end = table.stepsEnd(i)
                guard e.offset > previous, e.interval >= 1, e.steps < end, end <= table.stepBytes,
                      (end - e.steps) % (e.wide ? 4 : 2) == 0 else { return nil }
                previous = e.offset
            }
            self = table
        }

        private func entry(_ i: Int) -> (offset: Int, interval: Int, wide: Bool, steps: Int) {
            let e = base! + i * PositionCheckpoints.entrySize
            let interval = e.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            return (Int(e.loadUnaligned(as: UInt32.self)), Int(interval & ~PositionCheckpoints.wideFlag),
                    interval & PositionCheckpoints.wideFlag != 0, Int(e.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        }

        private func stepsEnd(_ i: Int) -> Int { i + 1 < terms ? entry(i + 1).steps : stepBytes }

        /// The checkpoints of the term whose positions start at `offset` (within the section) and
        /// take `length` bytes, if it has any.
        func term(offset: Int, length: Int) -> Term? {
            guard terms > 0, let base else { return nil }
            var lo = 0, hi = terms
            while lo < hi {
                let mid = (lo + hi) / 2
                if entry(mid).offset < offset { lo = mid + 1 } else { hi = mid }
            }
            guard lo < terms else { return nil }
            let e = entry(lo)
            guard e.offset == offset else { return nil }
            return Term(interval: e.interval, steps: base + terms * PositionCheckpoints.entrySize + e.steps,
                        count: (stepsEnd(lo) - e.steps) / (e.wide ? 4 : 2), wide: e.wide, length: length)
        }
    }
}
