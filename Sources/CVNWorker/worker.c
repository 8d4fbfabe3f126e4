#define _GNU_SOURCE
#include "CVNWorker.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sched.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

struct cvnworker {
    pthread_t thread;
    int started;                 /* 1 running, -1 could not start */
    pthread_mutex_t mu;
    pthread_cond_t posted, finished;
    atomic_ulong job;            /* number of the last job posted */
    atomic_ulong done;           /* number of the last job the helper finished */
    atomic_ulong taken;          /* number of the last job whose part 1 someone began: the helper,
                                    or the caller when it finished part 0 first (see cvnworker_run) */
    atomic_int quit;
    atomic_int caller_cpu;       /* where the caller last posted from (-1: unknown) */
    atomic_size_t next_item;     /* cvnworker_claim's counter, reset by each run */
    double spin_ns;              /* how long either side spins for the other before sleeping */
    void (*fn)(void *, int);     /* written before `job` is released, read after it is acquired */
    void *ctx;
};

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* One step of waiting for the other side: a pause, and every 64th step a yield, so that a thread the
   scheduler put on the other's core (it does, now and then, for a while) gives the core back
   instead of spinning while the other waits for its time slice. */
static inline void wait_step(unsigned *n) {
    if ((++*n & 63) == 0) sched_yield(); else CPU_RELAX();
}

/* Whether the helper shares the caller's core (the scheduler puts it there now and then, for a
   while): then it sleeps at once instead of spinning, and waking it lets the scheduler place it on
   an idle core. */
static inline int on_callers_core(struct cvnworker *w) {
    int cpu = sched_getcpu();
    return cpu >= 0 && cpu == atomic_load_explicit(&w->caller_cpu, memory_order_relaxed);
}

static void *helper_main(void *arg) {
    struct cvnworker *w = arg;
    unsigned long seen = 0;
    for (;;) {
        double until = on_callers_core(w) ? 0 : now_ns() + w->spin_ns;
        unsigned steps = 0;
        while (atomic_load_explicit(&w->job, memory_order_acquire) == seen && !atomic_load(&w->quit)) {
            if (now_ns() > until) {
                pthread_mutex_lock(&w->mu);
                while (atomic_load_explicit(&w->job, memory_order_acquire) == seen && !atomic_load(&w->quit))
                    pthread_cond_wait(&w->posted, &w->mu);
                pthread_mutex_unlock(&w->mu);
                break;
            }
            wait_step(&steps);
        }
        if (atomic_load(&w->quit)) return NULL;
        seen = atomic_load_explicit(&w->job, memory_order_acquire);
        /* Jobs come one after another, each taken once: `taken` is seen - 1 unless the caller,
           done with its part before this thread got here, took part 1 and did not wait. */
        unsigned long before = seen - 1;
        if (!atomic_compare_exchange_strong(&w->taken, &before, seen)) continue;
        w->fn(w->ctx, 1);
        pthread_mutex_lock(&w->mu);
        atomic_store_explicit(&w->done, seen, memory_order_release);
        pthread_cond_signal(&w->finished);
        pthread_mutex_unlock(&w->mu);
    }
}

cvnworker *cvnworker_new(double spin_ns) {
    struct cvnworker *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->spin_ns = spin_ns > 0 ? spin_ns : 0;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->posted, NULL);
    pthread_cond_init(&w->finished, NULL);
    atomic_init(&w->job, 0);
    atomic_init(&w->done, 0);
    atomic_init(&w->taken, 0);
    atomic_init(&w->quit, 0);
    atomic_init(&w->caller_cpu, -1);
    atomic_init(&w->next_item, 0);
    return w;
}

void cvnworker_free(cvnworker *w) {
    if (!w) return;
    if (w->started == 1) {
        pthread_mutex_lock(&w->mu);
        atomic_store(&w->quit, 1);
        pthread_cond_signal(&w->posted);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
    }
    pthread_cond_destroy(&w->posted);
    pthread_cond_destroy(&w->finished);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

size_t cvnworker_claim(cvnworker *w) {
    return atomic_fetch_add_explicit(&w->next_item, 1, memory_order_relaxed);
}

void cvnworker_run(cvnworker *w, void (*fn)(void *ctx, int part), void *ctx) {
    if (w) atomic_store_explicit(&w->next_item, 0, memory_order_relaxed);
    if (w && w->started == 0) w->started = pthread_create(&w->thread, NULL, helper_main, w) == 0 ? 1 : -1;
    if (!w || w->started != 1) { fn(ctx, 0); fn(ctx, 1); return; }
    w->fn = fn;
    w->ctx = ctx;
    atomic_store_explicit(&w->caller_cpu, sched_getcpu(), memory_order_relaxed);
    unsigned long job = atomic_load(&w->job) + 1;
    pthread_mutex_lock(&w->mu);
    atomic_store_explicit(&w->job, job, memory_order_release);
    pthread_cond_signal(&w->posted);
    pthread_mutex_unlock(&w->mu);
    fn(ctx, 0);
    /* The helper has not begun (descheduled, or still waking): part 1 is run here at once rather
       than after the helper's wait for a core (up to milliseconds on a busy machine). */
    unsigned long before = job - 1;
    if (atomic_compare_exchange_strong(&w->taken, &before, job)) { fn(ctx, 1); return; }
    double until = now_ns() + w->spin_ns;
    unsigned steps = 0;
    while (atomic_load_explicit(&w->done, memory_order_acquire) != job) {
        if (now_ns() > until) {
            pthread_mutex_lock(&w->mu);
            while (atomic_load_explicit(&w->done, memory_order_acquire) != job) pthread_cond_wait(&w->finished, &w->mu);
            pthread_mutex_unlock(&w->mu);
            break;
        }
        wait_step(&steps);
    }
}
