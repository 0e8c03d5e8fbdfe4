/* txmode.h - decide how each script runs: in pgmc's transaction or without
 * one. Inputs: the format's annotation, the leading keywords of every
 * statement (CREATE INDEX CONCURRENTLY & co. cannot run in a transaction
 * block), and a file's own BEGIN/COMMIT.
 */
#ifndef PGMC_TXMODE_H
#define PGMC_TXMODE_H

#include "util/diag.h"
#include "formats/project.h"

/* Set tx_mode and tx_note of every script of every migration in *p, drop a
 * wrapping BEGIN/COMMIT pair from the statement table where the rules say
 * so, print notes about automatic choices, and report transaction control
 * that cannot be honoured. `p->format` picks the hint in messages.
 * Returns 0, or -1 after reporting errors to *diag. */
int pgmcg_txmode_apply(pgmcg_project *p, pgmcg_diag *diag);

/* What stops the statement s[0..len) from running in a transaction block,
 * e.g. "CREATE INDEX CONCURRENTLY", or NULL if nothing does. s must lie in a
 * buffer that is NUL-terminated at or after s + len. For tests. */
const char *pgmcg_txmode_blocker(const char *s, size_t len, const char *buf_end);

#endif
