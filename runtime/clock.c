/* clock.c - time and waiting for libpgmc: a monotonic clock, sleeping (cut
 * short by pgmc_cancel), and the backoff-with-jitter schedule every wait in
 * the runtime uses (lock polling, lock_timeout retries, connection
 * retries). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "pgmc_internal.h"

int64_t pgmc__now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void pgmc__sleep_ms(long ms)
{
    int64_t until = pgmc__now_ms() + ms;

    /* In slices, so that a pgmc_cancel() from another thread (which sends
     * no signal to this one) is seen within 50 ms; a signal ends a slice at
     * once (EINTR). */
    while (ms > 0 && !pgmc_cancel_requested()) {
        long slice = ms < 50 ? ms : 50;
        struct timespec ts;
        ts.tv_sec = slice / 1000;
        ts.tv_nsec = (slice % 1000) * 1000000L;
        nanosleep(&ts, NULL);
        ms = (long)(until - pgmc__now_ms());
    }
}

void pgmc__backoff_init(pgmc_backoff *b, long first_ms, long max_ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    b->delay_ms = first_ms > 0 ? first_ms : 1;
    b->max_ms = max_ms > b->delay_ms ? max_ms : b->delay_ms;
    b->seed = (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 16) ^ (uint32_t)(uintptr_t)b;
    if (!b->seed)
        b->seed = 0x9e3779b9u;
}

long pgmc__backoff_next(pgmc_backoff *b)
{
    uint32_t x = b->seed;
    long d = b->delay_ms, wait;

    /* xorshift32: jitter only, not security */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b->seed = x ? x : 0x9e3779b9u;
    wait = d / 2 + (long)(b->seed % (uint32_t)(d / 2 + 1)); /* in [d/2, d] */
    if (b->delay_ms < b->max_ms)
        b->delay_ms = b->delay_ms * 2 > b->max_ms ? b->max_ms : b->delay_ms * 2;
    return wait;
}
