internal import CVNCodec

/// Encoding of one postings list (doc ordinals ascending, frequencies ≥ 1).
///
/// Full blocks of 128 documents are bit-packed, as in Lucene and tantivy: `u8 docBits, u8 freqBits`,
/// then 128 × (doc delta − 1) in `docBits` bits each and 128 × (freq − 1) in `freqBits` bits each,
/// least significant bits first. The tail (< 128 documents) is varints: `docDelta << 1 | (freq == 1)`,
/// then `freq` when it is above 1. Deltas count from −1, so the first delta is doc + 1.
enum PostingsCodec {
    static let blockSize = 128

    static func encode(docs: [Int32], freqs: [Int32], into out: inout [UInt8]) {
        precondition(docs.count == freqs.count)
        let n = docs.count
        var prev: Int32 = -1
        var i = 0
        var deltas = [UInt32](repeating: 0, count: blockSize)
        var fs = [UInt32](repeating: 0, count: blockSize)
        while n - i >= blockSize {
            var orD: UInt32 = 0, orF: UInt32 = 0
            for k in 0..<blockSize {
                let d = UInt32(bitPattern: docs[i + k] &- prev &- 1)
                prev = docs[i + k]
                deltas[k] = d; fs[k] = UInt32(bitPattern: freqs[i + k] &- 1)
                orD |= d; orF |= fs[k]
            }
            let db = UInt8(32 - orD.leadingZeroBitCount), fb = UInt8(32 - orF.leadingZeroBitCount)
            out.append(db); out.append(fb)
            pack(deltas, bits: Int(db), into: &out)
            pack(fs, bits: Int(fb), into: &out)
            i += blockSize
        }
        while i < n {
            let delta = UInt64(docs[i] - prev)
            prev = docs[i]
            SegmentWriter.appendPosting(&out, delta: delta, tf: Int(freqs[i]))
            i += 1
        }
    }

    private static func pack(_ values: [UInt32], bits: Int, into out: inout [UInt8]) {
        guard bits > 0 else { return }
        var acc: UInt64 = 0, filled = 0
        for v in values {
            acc |= UInt64(v) << UInt64(filled)
            filled += bits
            while filled >= 8 { out.append(UInt8(truncatingIfNeeded: acc)); acc >>= 8; filled -= 8 }
        }
        if filled > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
    }

    /// Decodes `count` postings; returns false when the bytes do not decode within `c`'s bounds.
    /// Writes straight into the arrays' fresh storage (no per-element append).
    static func decode(_ c: inout ByteCursor, count: Int, docs: inout [Int32], freqs: inout [Int32]) -> Bool {
        guard count > 0 else {
            docs.removeAll(keepingCapacity: true); freqs.removeAll(keepingCapacity: true)
            return true
        }
        var ok = true
        docs = [Int32](unsafeUninitializedCapacity: count) { d, dCount in
            freqs = [Int32](unsafeUninitializedCapacity: count) { f, fCount in
                ok = decode(&c, count: count, docs: d.baseAddress!, freqs: f.baseAddress!)
                fCount = ok ? count : 0
            }
            dCount = ok ? count : 0
        }
        return ok && !c.failed
    }

    private static func decode(_ c: inout ByteCursor, count: Int, docs d: UnsafeMutablePointer<Int32>,
                               freqs f: UnsafeMutablePointer<Int32>) -> Bool {
        var doc: Int64 = -1
        var at = 0
        while count - at >= blockSize {
            let db = Int(c.u8()), fb = Int(c.u8())
            // Deltas and frequencies are below 2^31: wider fields mean damaged bytes.
            guard db <= 31, fb <= 30, !c.failed else { return false }
            let start = c.offset
            c.skip((db + fb) * blockSize / 8)
            guard !c.failed, let whole = c.base.baseAddress else { return false }
            // The block lies in the mapping: reads may pass the block's end, never the mapping's.
            doc = cvncodec_decode_block(whole.assumingMemoryBound(to: UInt8.self) + start, c.base.count - start,
                                        Int32(db), Int32(fb), doc, d + at, f + at)
            guard doc <= Int64(Int32.max) else { return false }  // ordinals are Int32: damaged bytes
            at += blockSize
        }
        while at < count {
            let v = c.varint()
            doc &+= Int64(v >> 1)
            guard doc <= Int64(Int32.max), doc >= 0 else { return false }
            var tf: Int32 = 1
            if v & 1 == 0 {
                tf = Int32(truncatingIfNeeded: c.varint())
                guard tf > 0 else { return false }  // a frequency is at least 1: damaged bytes
            }
            d[at] = Int32(truncatingIfNeeded: doc); f[at] = tf
            at += 1
        }
        return !c.failed
    }

    /// Appends `count` varint-coded postings (the tail format, and the in-memory writer's format).
    static func decodeVarints(_ c: inout ByteCursor, count: Int, from start: Int64 = -1, docs: inout [Int32], freqs: inout [Int32]) {
        var doc = start
        for _ in 0..<count {
            let v = c.varint()
            doc &+= Int64(v >> 1)
            if doc > Int64(Int32.max) || doc < -1 { c.fail(); return }
            var tf: Int32 = 1
            if v & 1 == 0 {
                tf = Int32(truncatingIfNeeded: c.varint())
                if tf <= 0 { c.fail() }  // a frequency is at least 1: damaged bytes
            }
            docs.append(Int32(truncatingIfNeeded: doc)); freqs.append(tf)
        }
    }
}
