/// Growing the raw buffers of the hot loops (term arenas, token buffers, position buffers), which
/// live in manually managed memory to keep uniqueness and bounds checks out of those loops.
public enum RawMemory {
    /// `capacity` doubled (at least once) until it holds `need` elements.
    @inlinable
    public static func doubled(_ capacity: Int, toHold need: Int) -> Int {
        var n = max(1, capacity) * 2
        while n < need { n *= 2 }
        return n
    }

    /// A fresh allocation of `capacity` elements holding `p`'s first `used` (moved); `p` is freed.
    @inlinable
    public static func reallocate<T>(_ p: UnsafeMutablePointer<T>, used: Int, capacity: Int) -> UnsafeMutablePointer<T> {
        let q = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        q.moveInitialize(from: p, count: used)
        p.deallocate()
        return q
    }
}
