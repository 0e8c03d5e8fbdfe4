/* emit_rows.h - typed row structs from the schema catalog: one C struct per
 * table (and per view whose columns are known), one C enum per CREATE TYPE
 * ... AS ENUM, and the descriptors (pgmc_table_desc, pgmc_enum_desc of
 * runtime/pgmc_schema.h) that the runtime's generic decoder reads.
 */
#ifndef PGMC_EMIT_ROWS_H
#define PGMC_EMIT_ROWS_H

#include "util/buf.h"
#include "catalog/catalog.h"

/* Append the declarations (enums, structs, extern descriptors and enum
 * helper prototypes) to *h and the definitions (descriptors, enum helpers,
 * the `<prefix>_columns`, `<prefix>_table_list` and `<prefix>_enum_list`
 * arrays) to *c, for every relation and enum of `cat` (NULL: none). The
 * generated .c must define the schema after
 * this, referencing <prefix>_table_list and <prefix>_enum_list when
 * *n_tables / *n_enums are not zero. Output depends only on the
 * arguments. Returns 0, or -1 on out-of-memory. */
int pgmcg_emit_rows(const pgmcg_catalog *cat, const char *prefix, pgmcg_buf *h, pgmcg_buf *c,
                    size_t *n_tables, size_t *n_enums);

/* The C identifier for a SQL name (README.md, "Typed rows"): bytes outside
 * [A-Za-z0-9_] become '_' (one per UTF-8 character), a leading digit gets
 * a '_' prefix, a leading "__" or "_" + upper-case letter gets an 'x'
 * prefix, C keywords and standard macro names get a trailing '_'. Writes
 * at most cap-1 bytes plus a NUL into out. */
void pgmcg_rows_c_ident(const char *name, char *out, size_t cap);

#endif
