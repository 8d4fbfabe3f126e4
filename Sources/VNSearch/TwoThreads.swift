internal import CVNWorker

/// Runs the two parts of a query step at once: part 1 on a helper thread, part 0 on the caller. A
/// query has four such steps; waking a sleeping thread for each cost ~20 µs, so for batches the
/// helper stays ready between steps and queries (CVNWorker: it spins up to 0.2 ms before sleeping).
/// One `run` at a time (as one Searcher runs one query at a time).
final class TwoThreads: @unchecked Sendable {
    private let worker: OpaquePointer?

    /// `stayReady`: spin between runs (many queries back to back), else sleep at once.
    init(stayReady: Bool = false) { worker = cvnworker_new(stayReady ? 200_000 : 0) }
    deinit { cvnworker_free(worker) }

    /// Calls `body(0)` here and `body(1)` on the helper; returns when both have returned.
    func run(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            let box = Box(body)
            withExtendedLifetime(box) {
                cvnworker_run(worker, { context, part in
                    Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue().body(Int(part))
                }, Unmanaged.passUnretained(box).toOpaque())
            }
        }
    }

    private final class Box {
        let body: (Int) -> Void
        init(_ body: @escaping (Int) -> Void) { self.body = body }
    }
}
