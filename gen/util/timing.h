/* timing.h - per-stage wall-clock times of `pgmc gen`, for the edit-build
 * loop benchmarks: with PGMC_TIMINGS set in the environment, pgmcg_gen_run
 * prints one line per stage to stderr; PGMC_TIMINGS=cpu measures the CPU
 * time of the process (all threads) instead of the wall clock, which is
 * steadier on a busy machine. Measuring never changes what is generated.
 */
#ifndef PGMC_TIMING_H
#define PGMC_TIMING_H

/* Stages whose times are summed over a run. */
typedef enum pgmcg_stage {
    PGMCG_T_LIST,    /* listing the migrations folder */
    PGMCG_T_READ,    /* reading (and hashing) the inputs, all threads, wall clock */
    PGMCG_T_SPLIT,   /* lexing and splitting into statements and tokens */
    PGMCG_T_FORMATS, /* the rest of loading: names, checks, sections, sorting */
    PGMCG_T_TXMODE,
    PGMCG_T_HASH,   /* the inputs hash of the banner */
    PGMCG_T_REPLAY, /* catalog replay */
    PGMCG_T_FLAT,   /* the catalog's flat form */
    PGMCG_T_EMIT,
    PGMCG_T_WRITE,
    PGMCG_T_FREE,
    PGMCG_T_N
} pgmcg_stage;

/* 1 if PGMC_TIMINGS is set (read once). */
int pgmcg_timing_on(void);

/* Seconds on a monotonic clock (or of CPU time, PGMC_TIMINGS=cpu). */
double pgmcg_now(void);

/* Add dt seconds to stage s. Not thread-safe: call from the main thread. */
void pgmcg_timing_add(pgmcg_stage s, double dt);

/* Print the stages' sums, and their total, to stderr, then reset them.
 * Does nothing unless pgmcg_timing_on(). */
void pgmcg_timing_report(void);

#endif
