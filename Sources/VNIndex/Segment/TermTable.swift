#if canImport(Glibc)
import Glibc
#endif

/// Interns term bytes: an open-addressing hash table of ids over one byte arena.
///
/// Runs once per token of every indexed document, so it lives in raw memory: Swift arrays held by
/// a class cost a retain and a release on every access, which took as long as the look-up itself.
final class TermTable {
    private(set) var count = 0
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity = 1 << 16
    private(set) var arenaUsed = 0
    /// Per id: `start << 32 | length` in the arena, and the hash.
    private var spans: UnsafeMutablePointer<UInt64>
    private var hashes: UnsafeMutablePointer<UInt32>
    private var capacity = 1 << 12
    /// Each slot is `hash << 32 | (id + 1)`, 0 when empty; the stored hash rejects most mismatches
    /// without touching the arena.
    private var slots: UnsafeMutablePointer<UInt64>
    private var mask = (1 << 16) - 1

    init() {
        arena = .allocate(capacity: arenaCapacity)
        spans = .allocate(capacity: capacity)
        hashes = .allocate(capacity: capacity)
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: 0, count: mask + 1)
    }

    deinit {
        arena.deallocate(); spans.deallocate(); hashes.deallocate(); slots.deallocate()
    }

    /// A fast 32-bit hash of short byte strings: 8 bytes at a time, multiply-xorshift mixing.
    @inline(__always)
    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let n = p.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        let raw = UnsafeRawPointer(p.baseAddress!)
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            for k in i..<n { tail = tail << 8 | UInt64(p[k]) }
            h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The id of `term`, added when new (`isNew`); ids count up from 0. `term` must not be empty.
    @inline(__always)
    func intern(_ term: UnsafeBufferPointer<UInt8>) -> (id: Int, isNew: Bool) {
        let h = Self.hash(term)
        var slot = Int(h) & mask
        while true {
            let e = slots[slot]
            if e == 0 { break }
            if UInt32(truncatingIfNeeded: e >> 32) == h {
                let id = Int(UInt32(truncatingIfNeeded: e)) - 1
                let span = spans[id]
                if Int(span & 0xFFFF_FFFF) == term.count && Self.equal(arena + Int(span >> 32), term.baseAddress!, term.count) {
                    return (id, false)
                }
            }
            slot = (slot + 1) & mask
        }
        let id = count
        if id == capacity { growTerms() }
        if arenaUsed + term.count > arenaCapacity { growArena(arenaUsed + term.count) }
        (arena + arenaUsed).update(from: term.baseAddress!, count: term.count)
        spans[id] = UInt64(arenaUsed) << 32 | UInt64(term.count)
        hashes[id] = h
        arenaUsed += term.count
        count += 1
        slots[slot] = UInt64(h) << 32 | UInt64(id + 1)
        if count * 2 > mask + 1 { growSlots() }
        return (id, true)
    }

    /// `n` bytes at `a` and `b` equal: terms are a few bytes long, where a call to memcmp costs more
    /// than the comparison.
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
        var i = 0
        while i + 8 <= n {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// The bytes of term `id` (valid until the next `intern`).
    @inline(__always)
    func bytes(_ id: Int) -> UnsafeBufferPointer<UInt8> {
        let span = spans[id]
        return UnsafeBufferPointer(start: arena + Int(span >> 32), count: Int(span & 0xFFFF_FFFF))
    }

    /// Memory held, for the indexing budget.
    var bytesHeld: Int { arenaCapacity + capacity * 12 + (mask + 1) * 8 }

    private func growArena(_ need: Int) {
        let n = RawMemory.doubled(arenaCapacity, toHold: need)
        arena = RawMemory.reallocate(arena, used: arenaUsed, capacity: n); arenaCapacity = n
    }

    private func growTerms() {
        let n = capacity * 2
        spans = RawMemory.reallocate(spans, used: count, capacity: n)
        hashes = RawMemory.reallocate(hashes, used: count, capacity: n)
        capacity = n
    }

    private func growSlots() {
        let n = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: n)
        slots.initialize(repeating: 0, count: n)
        mask = n - 1
        for id in 0..<count {
            let h = hashes[id]
            var slot = Int(h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt64(h) << 32 | UInt64(id + 1)
        }
    }
}
