/* depfile.h - `pgmc gen --depfile`: a Makefile-syntax rule saying that the
 * generated files depend on every file the generator read and every
 * directory it listed, for build tools that rerun `pgmc gen` only when one
 * of those changed (CMake's DEPFILE, make, ninja).
 */
#ifndef PGMC_DEPFILE_H
#define PGMC_DEPFILE_H

#include "formats/project.h"
#include "util/buf.h"

#include <stddef.h>

/* Append to *out (the caller's buffer; check out->oom) one rule
 *     target... : dep...
 * with targets[0..n_targets) as the targets and, as prerequisites, every
 * input of p (sidecars included) and every directory in p->dirs (a
 * directory's mtime changes when an entry is added or removed), one per
 * line. Paths are escaped for Make: a blank as "\ ", '#' as "\#" (a run of
 * backslashes before either, or at the end of a path, doubled), '$' as
 * "$$". A path holding a newline cannot be written and is left out. */
void pgmcg_depfile_render(const pgmcg_project *p, const char *const *targets, size_t n_targets,
                          pgmcg_buf *out);

#endif
