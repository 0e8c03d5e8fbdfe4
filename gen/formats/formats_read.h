/* formats_read.h - the discovery half of formats.c: which entries of a
 * migrations folder are inputs, refusing hostile ones before reading
 * (non-regular files, oversized files, bad file names), then reading them
 * (UTF-8 checked, a byte order mark stripped). Internal to the generator.
 */
#ifndef PGMC_FORMATS_READ_H
#define PGMC_FORMATS_READ_H

#include "util/diag.h"
#include "util/fsutil.h"
#include "formats/project.h"

/* Read every input of the folder `dir` listed in ents[0..n) (as from
 * pgmcg_list_dir) into the project *p (no inputs yet), sorted by rel: the
 * top-level .sql and .sql.conf files, and up.sql, down.sql, metadata.toml
 * of diesel VERSION_name/ directories (their count goes to *n_diesel).
 * Every subdirectory (not hidden) is added to p->dirs. Refused, each
 * with a `file:1:1: error:` and without opening it where the listing
 * already tells: a file that is not regular (FIFO, device, socket, or a
 * symlink to one; checked again with fstat on the open file), a directory
 * named like a migration file, a file larger than PGMC_MAX_INPUT_BYTES, a
 * name that is not valid UTF-8 or holds a control character (printed
 * escaped). A .sql file that is not valid UTF-8 is an error at the line and
 * column of its first bad byte. A leading UTF-8 byte order mark is removed
 * from every input's data (as psql does), so positions count from after it;
 * in->bom records it and in->sha256 stays the hash of the exact file bytes.
 * A file that misses an input name only by the case of its extension
 * (2_b.UP.SQL) gets a warning. Returns 0, or -1 after reporting every error
 * (*oom set, unreported, when memory ran out). */
int pgmcg_formats_read_inputs(const char *dir, const pgmcg_dirent *ents, size_t n, pgmcg_project *p,
                              pgmcg_diag *diag, int *n_diesel, int *oom);

#endif
