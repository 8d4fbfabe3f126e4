import VNIngest
#if canImport(Glibc)
import Glibc
#endif

/// Monotonic seconds.
enum Clock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// A pthread mutex (Foundation's NSLock without Foundation).
final class NSLockLite: @unchecked Sendable {
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    func lock() { pthread_mutex_lock(&m) }
    func unlock() { pthread_mutex_unlock(&m) }
}

/// A 64-bit hash of everything indexed from a document (text, title, number, date, kind), eight
/// bytes at a time: detects a changed document when size or mtime moved — an HTML page whose <title>
/// alone changed included.
enum ContentHash {
    static func of(_ doc: Document) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        func mix(_ s: String) {
            var s = s
            s.withUTF8 { u in
                let n = u.count
                var i = 0
                if let base = u.baseAddress {
                    let raw = UnsafeRawPointer(base)
                    while i + 8 <= n {
                        h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                        h ^= h >> 31
                        i += 8
                    }
                }
                var tail: UInt64 = 0
                while i < n { tail = tail << 8 | UInt64(u[i]); i += 1 }
                h = (h ^ tail ^ UInt64(n) << 56) &* 0x94D0_49BB_1331_11EB  // length closes the field
                h ^= h >> 29
            }
        }
        mix(doc.text); mix(doc.title ?? ""); mix(doc.number ?? ""); mix(doc.date?.iso ?? ""); mix(doc.kind.rawValue)
        return h
    }
}

/// Crash-test hook: `VNSEARCH_FAILPOINT=name` kills the process with SIGKILL when the indexer
/// reaches that point ("ingest", "document", "write", "publish"), so tests can prove that a killed
/// run leaves the previous generation serving. `VNSEARCH_FAILPOINT_AFTER=N` fires at the Nth hit;
/// `VNSEARCH_FAILPOINT_ACTION=sleep:SECONDS` pauses there instead of dying (to hold the lock in
/// concurrency tests).
enum Failpoint {
    static let armed: String? = getenv("VNSEARCH_FAILPOINT").map { String(cString: $0) }
    static let after: Int = getenv("VNSEARCH_FAILPOINT_AFTER").flatMap { Int(String(cString: $0)) } ?? 1
    static let sleepSeconds: Double? = getenv("VNSEARCH_FAILPOINT_ACTION").flatMap { a -> Double? in
        let s = String(cString: a)
        return s.hasPrefix("sleep:") ? Double(s.dropFirst(6)) : nil
    }
    nonisolated(unsafe) static var hits = 0
    static let lock = NSLockLite()

    @inline(__always)
    static func hit(_ name: String) {
        guard let armed, armed == name else { return }
        lock.lock()
        hits += 1
        let fire = hits == after
        lock.unlock()
        guard fire else { return }
        if let s = sleepSeconds { usleep(UInt32(s * 1_000_000)); return }
        kill(getpid(), SIGKILL)
    }
}

/// `VNSEARCH_TRACE=1` prints phase timings on stderr (for profiling builds).
enum Trace {
    static let on = getenv("VNSEARCH_TRACE") != nil
    static func mark(_ phase: String, since start: Double) {
        guard on else { return }
        var line = "trace: \(phase) done at \(Int((Clock.now() - start) * 1000)) ms\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
