import CVNCodec
import Testing

/// CRC-32 as FORMAT.md defines it (zlib's: polynomial 0xEDB88320 reflected, register starting at
/// all ones, complemented at the end), one bit at a time: the reference the fast path must equal.
private func referenceCRC32(_ bytes: ArraySlice<UInt8>, from crc: UInt32 = 0) -> UInt32 {
    var reg = ~crc
    for b in bytes {
        reg ^= UInt32(b)
        for _ in 0..<8 { reg = reg & 1 != 0 ? (reg >> 1) ^ 0xEDB8_8320 : reg >> 1 }
    }
    return ~reg
}

@Suite("Checksums")
struct ChecksumTests {
    /// Every length around the 16-byte blocks and the 64-byte minimum of the carry-less path, at
    /// every alignment, continuing from random CRCs: the same value as the bitwise definition.
    @Test func crc32EqualsTheBitwiseDefinition() {
        var rng = SystemRandomNumberGenerator()
        let data = (0..<5_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for length in Array(0...300) + [1_024, 4_095, 4_096 + 17] {
            for offset in 0..<3 {
                let slice = data[offset..<(offset + length)]
                let seed = length % 2 == 0 ? 0 : UInt32.random(in: 0...UInt32.max, using: &rng)
                let fast = slice.withUnsafeBufferPointer { cvncodec_crc32(seed, $0.baseAddress, $0.count) }
                #expect(fast == referenceCRC32(slice, from: seed), "length \(length), offset \(offset)")
            }
        }
    }

    /// A checksum continued over a second part equals the checksum of the whole.
    @Test func crc32ContinuesAcrossParts() {
        let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }
        let whole = data.withUnsafeBufferPointer { cvncodec_crc32(0, $0.baseAddress, $0.count) }
        for cut in [0, 1, 63, 64, 65, 4_999, 9_999] {
            let a = data[..<cut].withUnsafeBufferPointer { cvncodec_crc32(0, $0.baseAddress, $0.count) }
            let ab = data[cut...].withUnsafeBufferPointer { cvncodec_crc32(a, $0.baseAddress, $0.count) }
            #expect(ab == whole)
        }
        #expect(whole == referenceCRC32(data[...]))
    }
}
