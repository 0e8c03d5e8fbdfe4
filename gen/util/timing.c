/* timing.c - per-stage times of `pgmc gen` (see timing.h). */
#define _POSIX_C_SOURCE 200809L
#include "util/timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double sums[PGMCG_T_N];

static int on = -1; /* 0 off, 1 wall clock, 2 CPU time of the process */

int pgmcg_timing_on(void)
{
    if (on < 0) {
        const char *e = getenv("PGMC_TIMINGS");
        on = !e ? 0 : !strcmp(e, "cpu") ? 2 : 1;
    }
    return on != 0;
}

double pgmcg_now(void)
{
    struct timespec ts;
    clock_gettime(pgmcg_timing_on() && on == 2 ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void pgmcg_timing_add(pgmcg_stage s, double dt)
{
    sums[s] += dt;
}

void pgmcg_timing_report(void)
{
    static const char *const names[PGMCG_T_N] = {"list",   "read+hash",   "lex+split", "formats",
                                                 "txmode", "inputs hash", "replay",    "flat",
                                                 "emit",   "write",       "free"};
    if (!pgmcg_timing_on())
        return;
    /* gen.c times the whole of loading; listing, reading and splitting
     * happen inside it and are timed on their own. */
    sums[PGMCG_T_FORMATS] -= sums[PGMCG_T_LIST] + sums[PGMCG_T_READ] + sums[PGMCG_T_SPLIT];
    double total = 0;
    for (int i = 0; i < PGMCG_T_N; i++)
        total += sums[i];
    for (int i = 0; i < PGMCG_T_N; i++) {
        fprintf(stderr, "pgmc: timing: %-12s %8.2f ms %5.1f%%\n", names[i], sums[i] * 1e3,
                total > 0 ? 100 * sums[i] / total : 0.0);
        sums[i] = 0;
    }
    fprintf(stderr, "pgmc: timing: %-12s %8.2f ms\n", "total", total * 1e3);
}
