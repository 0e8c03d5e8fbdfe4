/* synth.h - synthetic migration folders for the benchmarks.
 *
 * Writes realistic, mixed DDL in golang-migrate layout (NNNNN_name.up.sql /
 * .down.sql): tables with constraints and comments, indexes, plpgsql
 * functions with dollar bodies, triggers, seed INSERTs with quoted strings
 * and UTF-8 text, ALTERs, views, and now and then a CREATE INDEX
 * CONCURRENTLY (a no-transaction migration) or a file wrapped in its own
 * BEGIN/COMMIT. Deterministic: the same n gives the same bytes.
 */
#ifndef PGMC_BENCH_SYNTH_H
#define PGMC_BENCH_SYNTH_H

#include <stddef.h>

/* Create `dir` if needed and write migrations 1..n into it. "small" gives a
 * short migration (one table, an index, a row) for the apply benchmark.
 * Returns the total bytes written, or 0 on error (after perror). */
size_t pgmc_synth_write(const char *dir, unsigned n, int small);

#endif
