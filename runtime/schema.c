/* schema.c - the compiled schema (pgmc_schema, made by the generator):
 * its sanity check before any query, and lookups of its migrations by
 * version, by name and by history row. No queries; uses only session.c
 * (to report) and the one version order (pgmc_version.h). */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "pgmc_internal.h"

static int script_ok(const pgmc_script *s)
{
    uint32_t i;

    if (!s->sql)
        return s->n_statements == 0;
    if (s->n_statements && !s->statements)
        return 0;
    for (i = 0; i < s->n_statements; i++)
        if (s->statements[i].offset > s->sql_len ||
            s->statements[i].length > s->sql_len - s->statements[i].offset)
            return 0;
    return 1;
}

int pgmc__check_schema(pgmc_ctx *c)
{
    const pgmc_schema *s = c->schema;
    const pgmc_migration *prev = NULL;
    uint32_t i;
    int seen_rep = 0;

    if (s->abi_version != PGMC_ABI_VERSION)
        return pgmc__fail(c, PGMC_ERR_SCHEMA,
                          "schema was generated for runtime ABI %u, this runtime is ABI %d; "
                          "regenerate it",
                          (unsigned)s->abi_version, PGMC_ABI_VERSION);
    if (s->n_migrations && !s->migrations)
        return pgmc__fail(c, PGMC_ERR_SCHEMA, "schema has no migration table");
    for (i = 0; i < s->n_migrations; i++) {
        const pgmc_migration *m = &s->migrations[i];
        if (!m->name || !m->checksum_hex || !script_ok(&m->up) || !script_ok(&m->down))
            return pgmc__fail(c, PGMC_ERR_SCHEMA, "schema entry %u is malformed", (unsigned)i);
        if (m->kind == PGMC_REPEATABLE) {
            if (prev && prev->kind == PGMC_REPEATABLE && strcmp(prev->name, m->name) >= 0)
                return pgmc__fail(c, PGMC_ERR_SCHEMA,
                                  "repeatable migrations are not sorted by name at \"%s\"",
                                  m->name);
            seen_rep = 1;
        } else {
            if (seen_rep || !m->version || !m->version[0] ||
                (prev && pgmc_version_cmp(prev->version, m->version) >= 0))
                return pgmc__fail(c, PGMC_ERR_SCHEMA,
                                  "versioned migrations are not sorted or unique at %s",
                                  m->version ? m->version : "(null)");
        }
        prev = m;
    }
    return PGMC_OK;
}

const pgmc_migration *pgmc__schema_find(const pgmc_schema *s, const char *version)
{
    size_t lo = 0, hi = s->n_migrations;

    while (lo < hi && s->migrations[hi - 1].kind == PGMC_REPEATABLE)
        hi--;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int k = pgmc_version_cmp(s->migrations[mid].version, version);
        if (k == 0)
            return &s->migrations[mid];
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *pgmc__vname(const char *v)
{
    return v && v[0] ? v : "none";
}

const char *pgmc__schema_max(const pgmc_schema *s)
{
    const char *v = NULL;
    uint32_t i;

    for (i = 0; i < s->n_migrations; i++)
        if (s->migrations[i].kind == PGMC_VERSIONED)
            v = s->migrations[i].version;
    return v;
}

const pgmc_migration *pgmc__schema_find_rep(const pgmc_schema *s, const char *name)
{
    uint32_t i;

    for (i = 0; i < s->n_migrations; i++)
        if (s->migrations[i].kind == PGMC_REPEATABLE && strcmp(s->migrations[i].name, name) == 0)
            return &s->migrations[i];
    return NULL;
}

const pgmc_migration *pgmc__row_migration(const pgmc_schema *s, const pgmc_hrow *w)
{
    return w->repeatable ? pgmc__schema_find_rep(s, w->name) : pgmc__schema_find(s, w->version);
}
