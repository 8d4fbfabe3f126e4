#ifndef CVNWORKER_H
#define CVNWORKER_H
// A second thread that stays ready between the short parallel steps of one query.
#include <stddef.h>

/// One helper thread. Each `cvnworker_run` runs `fn(ctx, 1)` on it and `fn(ctx, 0)` on the caller,
/// and returns when both are done. Between runs the helper spins for a short while (a query's next
/// step, or the next query of a batch, usually comes within it), then sleeps on a condition variable:
/// waking a sleeping pool thread costs ~20 µs, a quarter of a step. Spinning yields the core now and
/// then, and the helper does not spin at all while it shares the caller's core (two spinning threads
/// on one core made a step wait for time slices: milliseconds). Not for concurrent callers: one `run`
/// at a time per worker.
typedef struct cvnworker cvnworker;

/// A worker whose thread is started on the first run; NULL when memory is short. Between runs each
/// side spins up to `spin_ns` nanoseconds for the other before sleeping: worth it when runs come
/// back to back (a batch of queries); 0 for a single query, where spinning only takes a core from
/// the rest of the process.
cvnworker *cvnworker_new(double spin_ns);
/// Stops and joins the thread.
void cvnworker_free(cvnworker *w);
/// Runs fn(ctx, 1) on the helper and fn(ctx, 0) here; returns when both have returned. When the
/// helper has not begun part 1 by the time part 0 is done (it waits for a core, or is still
/// waking), part 1 runs here instead, so a descheduled helper never holds the query up; when the
/// thread cannot be started, both run here, one after the other. `fn` must not assume which
/// thread runs which part, only that the two parts do not share state.
void cvnworker_run(cvnworker *w, void (*fn)(void *ctx, int part), void *ctx);

/// For the current run: the next of a run's work items (0, 1, 2, … across both parts, each number
/// handed out once), so that items of unequal cost are shared as they come instead of in turns.
size_t cvnworker_claim(cvnworker *w);

#endif
