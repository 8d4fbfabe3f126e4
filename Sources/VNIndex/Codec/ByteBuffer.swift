internal import CVNCodec

/// An append-only byte buffer with the encodings the index files use (little-endian, LEB128 varints).
struct ByteBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    @inline(__always)
    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    @inline(__always) mutating func varint(_ v: Int) { varint(UInt64(v)) }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    mutating func u32(_ v: UInt32) { for s in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) } }
    mutating func u64(_ v: UInt64) { for s in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) } }

    /// Varint length, then the bytes.
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { varint($0.count); bytes.append(contentsOf: $0) }
    }

    mutating func append<C: Collection>(_ c: C) where C.Element == UInt8 { bytes.append(contentsOf: c) }

}

/// A bounds-checked reader over index bytes. Reading past the end never traps: it returns zeros
/// and sets `failed`, which callers check once after a batch of reads (a sticky error, as in
/// zoekt's section reader), so damaged files give an error and never a crash.
struct ByteCursor {
    let base: UnsafeRawBufferPointer
    var offset: Int
    let end: Int
    private(set) var failed = false

    init(_ base: UnsafeRawBufferPointer, offset: Int = 0, end: Int? = nil) {
        self.base = base
        let e = min(end ?? base.count, base.count)
        self.offset = max(0, min(offset, e))
        self.end = e
        if offset < 0 || offset > e || (end ?? 0) > base.count { failed = true }
    }

    var isAtEnd: Bool { offset >= end }

    /// Marks the bytes as damaged (a value decoded but makes no sense).
    mutating func fail() { failed = true }

    @inline(__always)
    mutating func u8() -> UInt8 {
        guard offset < end else { failed = true; return 0 }
        defer { offset += 1 }
        return base[offset]
    }

    @inline(__always)
    mutating func varint() -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < end {
            let b = base[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { failed = true; return 0 }
        }
        failed = true
        return 0
    }

    @inline(__always) mutating func int() -> Int { Int(truncatingIfNeeded: varint() & 0x7FFF_FFFF_FFFF) }

    mutating func u16() -> UInt16 { UInt16(u8()) | UInt16(u8()) << 8 }
    mutating func u32() -> UInt32 { var v: UInt32 = 0; for s in 0..<4 { v |= UInt32(u8()) << UInt32(s * 8) }; return v }
    mutating func u64() -> UInt64 { var v: UInt64 = 0; for s in 0..<8 { v |= UInt64(u8()) << UInt64(s * 8) }; return v }

    mutating func bytes(_ n: Int) -> UnsafeRawBufferPointer {
        guard n >= 0, n <= end - offset else { failed = true; offset = end; return UnsafeRawBufferPointer(start: nil, count: 0) }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
    }

    mutating func string() -> String {
        let n = int()
        let b = bytes(n)
        return String(decoding: b, as: UTF8.self)
    }

    mutating func skip(_ n: Int) { _ = bytes(n) }

    /// Skips `n` varints (16 bytes a step, in C where SIMD is at hand).
    mutating func skipVarints(_ n: Int) {
        guard n > 0 else { return }
        guard offset < end, let raw = base.baseAddress else { failed = true; return }
        let taken = cvncodec_skip_varints(raw.assumingMemoryBound(to: UInt8.self) + offset, end - offset, n)
        if taken < 0 { failed = true; offset = end; return }
        offset += Int(taken)
    }
}

/// zlib's CRC-32.
func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let p = bytes.baseAddress else { return 0 }
    return cvncodec_crc32(0, p.assumingMemoryBound(to: UInt8.self), bytes.count)
}

func crc32(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { crc32($0) } }

/// A zstd decompression context reused across stored records (one per reading thread).
public final class RecordDecompressor {
    let handle: OpaquePointer?
    public init() { handle = cvncodec_decompressor_new() }
    deinit { cvncodec_decompressor_free(handle) }
}

/// A zstd compressor reused across records (one per writer thread).
final class RecordCompressor {
    private let handle: OpaquePointer?
    private var scratch: [UInt8] = []

    /// zstd's fast level −1: stored text is not what the index is sized by, and level 1 cost a tenth
    /// of the build for a store 12% smaller.
    init(level: Int32 = -1) { handle = cvncodec_compressor_new(level) }
    deinit { cvncodec_compressor_free(handle) }

    /// Appends `u8 method, varint raw length, u32 crc32(raw), bytes` for `raw`: zstd when it saves a
    /// tenth, else raw. The checksum lets a reader refuse damaged text instead of showing garbage.
    func appendRecord(_ raw: UnsafeRawBufferPointer, to b: inout ByteBuffer) {
        let crc = cvnCRC(0, raw)
        if raw.count >= 64, let handle, let src = raw.baseAddress {
            let cap = cvncodec_bound(raw.count)
            if scratch.count < cap { scratch = [UInt8](repeating: 0, count: cap) }
            let n = scratch.withUnsafeMutableBufferPointer { dst in
                cvncodec_compress(handle, src.assumingMemoryBound(to: UInt8.self), raw.count, dst.baseAddress!, cap)
            }
            if n > 0 && n < raw.count * 9 / 10 {
                b.u8(RecordCompressor.zstd); b.varint(raw.count); b.u32(crc); b.append(scratch[0..<n])
                return
            }
        }
        b.u8(RecordCompressor.raw); b.varint(raw.count); b.u32(crc); b.append(raw)
    }

    static let raw: UInt8 = 0
    static let zstd: UInt8 = 1

    /// The bytes of a record written by `appendRecord`, or nil when damaged.
    static func decode(_ record: UnsafeRawBufferPointer, with decompressor: RecordDecompressor? = nil) -> [UInt8]? {
        var c = ByteCursor(record)
        let method = c.u8()
        let n = c.int()
        let crc = c.u32()
        guard !c.failed, n >= 0, n < 1 << 31 else { return nil }
        let rest = UnsafeRawBufferPointer(rebasing: record[c.offset...])
        var out: [UInt8]
        switch method {
        case raw:
            guard rest.count == n else { return nil }
            out = Array(rest)
        case zstd:
            guard let src = rest.baseAddress,
                  cvncodec_frame_size(src.assumingMemoryBound(to: UInt8.self), rest.count) == Int64(n) else { return nil }
            out = [UInt8](repeating: 0, count: n)
            if n > 0 {
                let ok = out.withUnsafeMutableBufferPointer { dst in
                    cvncodec_decompress_with(decompressor?.handle, src.assumingMemoryBound(to: UInt8.self), rest.count, dst.baseAddress!, n)
                }
                guard ok == 1 else { return nil }
            }
        default: return nil
        }
        return out.withUnsafeBytes { cvnCRC(0, $0) } == crc ? out : nil
    }
}

/// CRC-32 continuing from `crc`.
func cvnCRC(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let p = bytes.baseAddress else { return crc }
    return cvncodec_crc32(crc, p.assumingMemoryBound(to: UInt8.self), bytes.count)
}

/// The CRC-32 of A followed by B from their checksums and B's length (zlib's `crc32_combine`).
func crc32Combine(_ a: UInt32, _ b: UInt32, _ lengthB: Int) -> UInt32 {
    cvncodec_crc32_combine(a, b, Int64(lengthB))
}
