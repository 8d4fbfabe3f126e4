/// Documents of a segment that a later generation removed or replaced: a bitset file.
///
/// Layout: "VNSDEL\r\n", u32 version, u32 document count, bitset bytes, u32 CRC-32 of all before.
public struct DeletionSet: Sendable, Equatable {
    public private(set) var bits: [UInt8]
    public let documentCount: Int
    public private(set) var count = 0

    public init(documentCount: Int) {
        self.documentCount = documentCount
        bits = [UInt8](repeating: 0, count: (documentCount + 7) / 8)
    }

    @inline(__always)
    public func contains(_ doc: Int) -> Bool {
        doc >= 0 && doc < documentCount && bits[doc >> 3] & (1 << UInt8(doc & 7)) != 0
    }

    public mutating func insert(_ doc: Int) {
        guard doc >= 0, doc < documentCount, !contains(doc) else { return }
        bits[doc >> 3] |= 1 << UInt8(doc & 7)
        count += 1
    }

    /// The deleted documents, ascending.
    public var members: [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(count)
        for (i, byte) in bits.enumerated() where byte != 0 {
            var b = byte
            while b != 0 {
                out.append(Int32(i * 8 + b.trailingZeroBitCount))
                b &= b - 1
            }
        }
        return out
    }

    public mutating func formUnion(_ other: DeletionSet) {
        for d in 0..<min(documentCount, other.documentCount) where other.contains(d) { insert(d) }
    }

    static let magic: [UInt8] = Array("VNSDEL\r\n".utf8)

    func encoded() -> [UInt8] {
        var b = ByteBuffer()
        b.append(Self.magic); b.u32(SegmentFormat.currentVersion); b.u32(UInt32(documentCount)); b.append(bits)
        b.u32(crc32(b.bytes))
        return b.bytes
    }

    static func decode(_ bytes: [UInt8], path: String, documentCount: Int) throws -> DeletionSet {
        func bad(_ why: String) -> IndexError { .corrupted(file: path, reason: why) }
        guard bytes.count >= 20, Array(bytes[0..<8]) == magic else { throw bad("not a deletion file") }
        let ok: Bool = bytes.withUnsafeBytes { b in
            var c = ByteCursor(b, offset: bytes.count - 4)
            return c.u32() == crc32(UnsafeRawBufferPointer(rebasing: b[0..<(bytes.count - 4)]))
        }
        guard ok else { throw bad("checksum mismatch") }
        var set = DeletionSet(documentCount: documentCount)
        let n = bytes.withUnsafeBytes { b -> Int in var c = ByteCursor(b, offset: 12); return Int(c.u32()) }
        guard n == documentCount, bytes.count == 16 + (n + 7) / 8 + 4 else { throw bad("size does not match the segment") }
        for d in 0..<n where bytes[16 + d >> 3] & (1 << UInt8(d & 7)) != 0 { set.insert(d) }
        return set
    }
}
