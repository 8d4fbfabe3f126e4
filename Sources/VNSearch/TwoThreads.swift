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
        unthreadedNext = 0
        withoutActuallyEscaping(body) { body in
            let box = Box(body)
            withExtendedLifetime(box) {
                cvnworker_run(worker, { context, part in
                    Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue().body(Int(part))
                }, Unmanaged.passUnretained(box).toOpaque())
            }
        }
    }

    /// Inside `run`: the next work item's number (0, 1, 2, … over both parts, each once), so that
    /// items of unequal cost are shared as they come.
    func claim() -> Int {
        guard let worker else { defer { unthreadedNext += 1 }; return unthreadedNext }
        return cvnworker_claim(worker)
    }

    /// `claim`'s counter when no helper thread could be made (both parts then run here in turn).
    private var unthreadedNext = 0

    private final class Box {
        let body: (Int) -> Void
        init(_ body: @escaping (Int) -> Void) { self.body = body }
    }
}
