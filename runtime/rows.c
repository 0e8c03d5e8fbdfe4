/* rows.c - the typed-row decoder's public entry points: PGresult values
 * (binary or text format) into generated row structs, driven by
 * pgmc_table_desc / pgmc_column_desc (pgmc_schema.h). One engine for every
 * table: per column a kind, a field offset and a null-flag offset,
 * protobuf-c style. pgmc_row_map_init matches and type-checks the columns
 * once per PGresult; pgmc_decode_row hands each value to rows_binary.c or
 * rows_text.c. The arena and the decoding context are rows_arena.c's.
 *
 * Every length read from the wire is checked before use; a malformed value
 * is PGMC_ERR_DECODE in the result, never an out-of-bounds read.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rows_internal.h"

/* ---- the engine ---- */

static int set_usage(pgmc_result *res, const char *fmt, ...) PGMC_PRINTF(2, 3);
static int set_usage(pgmc_result *res, const char *fmt, ...)
{
    if (res) {
        va_list ap;
        va_start(ap, fmt);
        res->code = PGMC_ERR_USAGE;
        vsnprintf(res->message, sizeof res->message, fmt, ap);
        va_end(ap);
    }
    return PGMC_ERR_USAGE;
}

/* Contract in pgmc.h: match t's columns to r's fields by name (missing
 * ones counted in m->missing) and check each field's type oid and format;
 * PGMC_ERR_USAGE / PGMC_ERR_DECODE with res set. */
int pgmc_row_map_init(pgmc_row_map *m, const PGresult *r, const pgmc_table_desc *t,
                      pgmc_result *res)
{
    if (res)
        memset(res, 0, sizeof *res);
    if (!m || !r || !t)
        return set_usage(res, "pgmc_row_map_init: NULL argument");
    if (t->n_columns > PGMC_MAX_COLUMNS)
        return set_usage(res, "table %s has more than %d columns", t->name, PGMC_MAX_COLUMNS);
    m->table = t;
    m->missing = 0;
    int nf = PQnfields(r);
    for (uint32_t c = 0; c < t->n_columns; c++) {
        const pgmc_column_desc *cd = &t->columns[c];
        m->col[c] = -1;
        for (int f = 0; f < nf; f++) {
            if (!strcmp(PQfname(r, f), cd->name)) {
                m->col[c] = (int16_t)f;
                break;
            }
        }
        if (m->col[c] < 0) {
            m->missing++;
            continue;
        }
        Oid oid = PQftype(r, m->col[c]);
        if (!pgmc__rows_column_oid_ok(cd, oid, PQfformat(r, m->col[c]) == 1)) {
            pgmc_dctx d = {PGMC_ROWS_BORROW, NULL, res, cd};
            return pgmc__rows_err(
                &d,
                "the result's column has type oid %u, which does not decode into "
                "this field%s",
                oid, PQfformat(r, m->col[c]) == 1 ? " (in binary format: cast it to text?)" : "");
        }
    }
    return PGMC_OK;
}

/* Contract in pgmc.h: zero *out, then decode row `row` of r through m
 * into it (NULLs set null flags; NULL in a NOT NULL field fails);
 * PGMC_ERR_USAGE / PGMC_ERR_DECODE with res set. */
int pgmc_decode_row(const pgmc_row_map *m, const PGresult *r, int row, void *out,
                    pgmc_rows_mode mode, pgmc_arena *arena, pgmc_result *res)
{
    if (res)
        memset(res, 0, sizeof *res);
    if (!m || !m->table || !r || !out)
        return set_usage(res, "pgmc_decode_row: NULL argument");
    if (row < 0 || row >= PQntuples(r))
        return set_usage(res, "pgmc_decode_row: row %d of %d", row, PQntuples(r));
    const pgmc_table_desc *t = m->table;
    memset(out, 0, t->size);
    char *base = out;
    pgmc_dctx d = {mode, arena, res, NULL};
    for (uint32_t c = 0; c < t->n_columns; c++) {
        const pgmc_column_desc *cd = &t->columns[c];
        d.col = cd;
        int f = m->col[c];
        bool *nullp = cd->null_offset == PGMC_NOT_NULL ? NULL : (bool *)(base + cd->null_offset);
        if (f < 0 || PQgetisnull(r, row, f)) {
            if (nullp) {
                *nullp = true;
                continue;
            }
            if (f < 0)
                continue;
            return pgmc__rows_err(&d, "NULL in a NOT NULL field");
        }
        const char *p = PQgetvalue(r, row, f);
        int len = PQgetlength(r, row, f);
        if (len < 0)
            return pgmc__rows_err(&d, "negative value length");
        void *dst = base + cd->offset;
        int binary = PQfformat(r, f) == 1, rc;
        if (cd->kind == PGMC_C_ARRAY)
            rc = binary ? pgmc__rows_bin_array(&d, cd->elem_kind, p, (size_t)len, dst)
                        : pgmc__rows_text_array(&d, cd->elem_kind, p, (size_t)len, dst);
        else
            rc = binary ? pgmc__rows_bin_scalar(&d, cd->kind, p, (size_t)len, 1, dst)
                        : pgmc__rows_text_scalar(&d, cd->kind, p, (size_t)len, 1, dst);
        if (rc)
            return rc;
    }
    return PGMC_OK;
}
