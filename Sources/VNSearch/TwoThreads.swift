internal import CVNWorker

/// Runs the two parts of a query step at once: part 1 on a helper thread that stays ready between
/// steps (CVNWorker: it spins a little before sleeping), part 0 on the caller. A query has four such
/// steps; handing each to a sleeping pool thread cost ~20 µs of wake-up.
/// One `run` at a time (as one Searcher runs one query at a time).
final class TwoThreads: @unchecked Sendable {
    private let worker: OpaquePointer?

    init() { worker = cvnworker_new() }
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
