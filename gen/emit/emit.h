/* emit.h - write a project as C: <prefix>.h declares the schema, <prefix>.c
 * holds one string table (every script as readable literals, one C line per
 * SQL line, and all names) plus the statement, migration and typed-row
 * tables pointing into it, in the layout of runtime/pgmc_schema.h.
 */
#ifndef PGMC_EMIT_H
#define PGMC_EMIT_H

#include "util/buf.h"
#include "catalog/catalog.h"
#include "formats/project.h"

/* Render both files into *h and *c (empty buffers owned by the caller, who
 * frees them with pgmcg_buf_free). `prefix` must be a C identifier;
 * `inputs_hex` is the hex SHA-256 of the inputs for the banner and the
 * schema. The project must have been through pgmcg_txmode_apply. Output
 * depends only on these arguments. Returns 0, or -1 on out-of-memory. */
int pgmcg_emit(const pgmcg_project *p, const char *prefix, const char *inputs_hex, pgmcg_buf *h,
               pgmcg_buf *c);

/* pgmcg_emit plus typed rows: structs, enums and descriptors for every table
 * and enum of `cat` (emit_rows.h; NULL: none), and `catalog_flat` (the
 * catalog's pgmcg_catalog_flat text; NULL: "") as the schema's catalog_flat,
 * written in the compact form of runtime/pgmc_schema.h. Same contract
 * otherwise. */
int pgmcg_emit_full(const pgmcg_project *p, const char *prefix, const char *inputs_hex,
                    const pgmcg_catalog *cat, const char *catalog_flat, pgmcg_buf *h, pgmcg_buf *c);

#endif
