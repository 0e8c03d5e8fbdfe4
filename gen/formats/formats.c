/* formats.c - see formats.h.
 *
 * Detection (--format auto), in this order:
 *   1. subdirectories holding up.sql or down.sql  -> diesel (mixing them
 *      with top-level .sql files is an error);
 *   2. .sql names like V1__x.sql, U1__x.sql, R__x.sql -> flyway (mixing
 *      them with names that start with a digit is an error);
 *   3. names VERSION_x.up.sql / VERSION_x.down.sql -> sqlx if any file starts
 *      with "-- no-transaction", else golang-migrate (the two layouts are the
 *      same; pgmc honours "-- no-transaction" in both);
 *   4. single files VERSION_x.sql: goose if any file has a "-- +goose"
 *      annotation line, dbmate if any has a "-- migrate:up|down" line (both
 *      is an error), else sqlx.
 * Files that are not .sql are ignored (README, LICENSE, *.txt), except the
 * per-migration settings that a format defines (diesel metadata.toml,
 * flyway V1__x.sql.conf), which are read and hashed. A .sql file whose name
 * does not fit the format is an error: a migration silently skipped is worse
 * than a build that stops.
 *
 * Which directory entries are inputs, and the checks on them before and
 * while reading (regular files only, a size cap, UTF-8, file names), are in
 * formats_read.c.
 *
 * Each format is a pgmcg_format_ops (format_ops.h) in its own fmt_<name>.c:
 * its detection sign, its parser, its texts. This file is the driver: it
 * lists and reads the folder, applies the detection order above to the
 * formats' signs, runs the format's parser, then sorts the pieces it made
 * and pairs each up with its down.
 */
#include "formats/formats.h"

#include "formats/fmt_int.h"
#include "formats/formats_read.h"
#include "util/fsutil.h"
#include "util/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const pgmcg_format_ops *const pgmcg_formats[] = {
    &pgmcg__fmt_golang_migrate, &pgmcg__fmt_sqlx,   &pgmcg__fmt_goose,
    &pgmcg__fmt_dbmate,         &pgmcg__fmt_diesel, &pgmcg__fmt_flyway,
};
const size_t pgmcg_n_formats = sizeof pgmcg_formats / sizeof pgmcg_formats[0];

const pgmcg_format_ops *pgmcg_format_find(const char *name)
{
    for (size_t i = 0; i < pgmcg_n_formats; i++)
        if (!strcmp(name, pgmcg_formats[i]->name))
            return pgmcg_formats[i];
    return NULL;
}

int pgmcg_format_known(const char *name)
{
    return !strcmp(name, "auto") || pgmcg_format_find(name);
}

int pgmcg_format_check(const char *format, pgmcg_diag *diag)
{
    if (!format || pgmcg_format_known(format))
        return 0;
    char list[256] = "auto";
    for (size_t i = 0, n = strlen(list); i < pgmcg_n_formats && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, ", %s", pgmcg_formats[i]->name);
    pgmcg_diag_error(diag, NULL, 0, 0, "unknown --format '%s' (%s)", format, list);
    return -1;
}

const char *pgmcg_format_no_tx_hint(const char *format)
{
    const pgmcg_format_ops *f = pgmcg_format_find(format);
    return (f ? f : &pgmcg__fmt_sqlx)->no_tx_hint;
}

/* ---- detection ---- */

/* The format the folder's names and markers show (the order and mixing
 * rules in the comment at the top), or NULL after reporting an error. */
static const pgmcg_format_ops *detect(pgmcg__loader *L, const pgmcg_dirent *ents, size_t n_ents)
{
    const pgmcg_input *diesel = NULL, *fly = NULL, *num = NULL, *updown = NULL, *plain = NULL;
    const pgmcg_input *g = NULL, *d = NULL;
    int no_tx = 0;
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        if (!pgmcg__ends_with(in->rel, ".sql"))
            continue;
        if (!diesel && pgmcg__fmt_diesel.detect(in))
            diesel = in;
        if (pgmcg__fmt_flyway.detect(in)) {
            fly = fly ? fly : in;
            continue;
        }
        if (!pgmcg__numeric_prefix(in->rel))
            continue;
        num = num ? num : in;
        if (pgmcg__fmt_golang_migrate.detect(in)) {
            updown = updown ? updown : in;
            no_tx = no_tx || pgmcg__fmt_sqlx.detect(in);
        } else {
            plain = plain ? plain : in;
            if (!g && pgmcg__fmt_goose.detect(in))
                g = in;
            if (!d && pgmcg__fmt_dbmate.detect(in))
                d = in;
        }
    }
    if (diesel) {
        for (size_t i = 0; i < n_ents; i++)
            if (!ents[i].is_dir && pgmcg__ends_with(ents[i].name, ".sql")) {
                pgmcg_diag_error(L->diag, L->dir, 0, 0,
                                 "mixes diesel migration directories with .sql files (%s); "
                                 "use --format",
                                 ents[i].name);
                return NULL;
            }
        return &pgmcg__fmt_diesel;
    }
    if (fly && num) {
        pgmcg_diag_error(L->diag, L->dir, 0, 0,
                         "cannot tell the format: %s is a flyway name, %s is not; use --format",
                         fly->rel, num->rel);
        return NULL;
    }
    if (fly)
        return &pgmcg__fmt_flyway;
    if (updown && plain) {
        pgmcg_diag_error(L->diag, L->dir, 0, 0,
                         "cannot tell the format: %s is one direction of a pair, %s is a single "
                         "file; use --format",
                         updown->rel, plain->rel);
        return NULL;
    }
    if (updown)
        return no_tx ? &pgmcg__fmt_sqlx : &pgmcg__fmt_golang_migrate;
    if (g && d) {
        pgmcg_diag_error(L->diag, L->dir, 0, 0,
                         "cannot tell the format: %s has goose annotations, %s has dbmate "
                         "markers; use --format",
                         g->rel, d->rel);
        return NULL;
    }
    if (g)
        return &pgmcg__fmt_goose;
    if (d)
        return &pgmcg__fmt_dbmate;
    if (plain)
        return &pgmcg__fmt_sqlx;
    /* .sql files, none with a migration name. */
    for (size_t i = 0; i < L->p->n_inputs; i++)
        pgmcg_diag_error(L->diag, L->p->inputs[i].path, 0, 0,
                         "not a migration file name (expected e.g. 1_name.up.sql, 1_name.sql, "
                         "V1__name.sql)");
    return NULL;
}

/* ---- pairing ---- */

static int cmp_piece(const void *pa, const void *pb)
{
    const pgmcg__piece *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind == PGMC_VERSIONED ? -1 : 1;
    int c = a->kind == PGMC_VERSIONED ? pgmc_version_order(a->version, b->version)
                                      : strcmp(a->name, b->name);
    if (c)
        return c;
    if (a->down != b->down)
        return a->down - b->down;
    return strcmp(a->s.input->rel, b->s.input->rel);
}

static int same_key(const pgmcg__piece *a, const pgmcg__piece *b)
{
    if (a->kind != b->kind)
        return 0;
    /* "1" and "1.0" are one version to refuse (adjacent in the sort) */
    return a->kind == PGMC_VERSIONED ? pgmc_version_same(a->version, b->version)
                                     : !strcmp(a->name, b->name);
}

/* Move the pieces up and down (may be NULL) into a new migration. Returns
 * 0, or -1 with L->oom set. */
static int add_migration(pgmcg__loader *L, pgmcg__piece *up, pgmcg__piece *down)
{
    pgmcg_gen_migration *m = pgmcg_project_add_migration(L->p);
    if (!m) {
        L->oom = 1;
        return -1;
    }
    m->version = up->version;
    m->version_raw = up->raw;
    m->name = up->name;
    m->kind = up->kind;
    m->up = up->s;
    up->version = up->raw = up->name = NULL;
    memset(&up->s, 0, sizeof up->s);
    if (down) {
        m->down = down->s;
        memset(&down->s, 0, sizeof down->s);
    }
    const pgmcg_input *ui = m->up.input;
    if (ui->hashed && m->up.sql == ui->data && m->up.sql_len == ui->len)
        memcpy(m->checksum, ui->sha256, sizeof m->checksum); /* hashed while reading */
    /* (A whole file with a byte order mark is always hashed while read:
     * its checksum is of the exact file bytes, the mark included.) */
    else
        pgmcg_sha256(m->up.sql, m->up.sql_len, m->checksum);
    return 0;
}

/* Pair sorted pieces into migrations; report duplicates and lone downs. */
static int assemble(pgmcg__loader *L)
{
    int rc = 0;
    const pgmcg_format_ops *f = L->fmt;
    if (L->n)
        qsort(L->pieces, L->n, sizeof *L->pieces, cmp_piece);
    for (size_t i = 0, j; i < L->n; i = j) {
        pgmcg__piece *up = NULL, *down = NULL;
        for (j = i; j < L->n && same_key(&L->pieces[i], &L->pieces[j]); j++) {
            pgmcg__piece *pc = &L->pieces[j];
            pgmcg__piece **slot = pc->down ? &down : &up;
            if (!*slot) {
                *slot = pc;
                continue;
            }
            if (pc->kind == PGMC_REPEATABLE)
                pgmcg_diag_error(L->diag, pc->s.input->path, 0, 0,
                                 "duplicate repeatable migration '%s': %s and %s", pc->name,
                                 (*slot)->s.input->path, pc->s.input->path);
            else if ((*slot)->s.input == pc->s.input)
                pgmcg_diag_error(L->diag, pc->s.input->path, 0, 0,
                                 "duplicate %s section for version %s", pc->down ? "down" : "up",
                                 pc->version);
            else
                pgmcg_diag_error(L->diag, pc->s.input->path, 0, 0,
                                 "duplicate %s version %s: %s and %s",
                                 pc->down ? f->down_noun : "up", pc->version,
                                 (*slot)->s.input->path, pc->s.input->path);
            rc = -1;
        }
        if (!up) {
            pgmcg_diag_error(L->diag, down->s.input->path, 0, 0,
                             "%s migration for version %s has no %s", f->down_noun, down->version,
                             f->up_noun);
            rc = -1;
            continue;
        }
        if (rc)
            continue;
        if (add_migration(L, up, down))
            return -1;
    }
    return rc;
}

/* ---- the entry ---- */

int pgmcg_formats_load(const char *dir, const char *format, pgmcg_project *p, pgmcg_diag *diag)
{
    pgmcg__loader L;
    memset(&L, 0, sizeof L);
    L.dir = dir;
    L.p = p;
    L.diag = diag;
    pgmcg_dirent *ents;
    size_t n_ents;
    int e = pgmcg_list_dir(dir, &ents, &n_ents);
    if (e) {
        pgmcg_diag_error(diag, dir, 0, 0, "cannot read migrations directory: %s", strerror(e));
        return -1;
    }
    if (pgmcg_project_add_dir(p, dir))
        L.oom = 1;
    int n_diesel, rc = pgmcg_formats_read_inputs(dir, ents, n_ents, p, diag, &n_diesel, &L.oom);
    size_t n_sql = 0;
    for (size_t i = 0; i < p->n_inputs; i++)
        n_sql += pgmcg__ends_with(p->inputs[i].rel, ".sql");
    if (rc == 0 && n_sql == 0) {
        pgmcg_diag_error(diag, dir, 0, 0,
                         "no migrations found (no .sql files, no diesel "
                         "VERSION_name/up.sql directories)");
        rc = -1;
    }
    if (rc == 0) {
        if (!format || !strcmp(format, "auto")) {
            L.fmt = detect(&L, ents, n_ents);
        } else {
            L.fmt = pgmcg_format_find(format);
            if (!L.fmt)
                pgmcg_diag_error(diag, NULL, 0, 0, "unknown format '%s'", format);
        }
        if (!L.fmt)
            rc = -1;
    }
    pgmcg_dirents_free(ents, n_ents);
    if (rc == 0) {
        p->format = L.fmt->name;
        rc = L.fmt->parse(&L);
    }
    if (rc == 0 && !L.oom)
        rc = assemble(&L);
    if (L.oom) {
        pgmcg_diag_error(diag, NULL, 0, 0, "out of memory");
        rc = -1;
    }
    for (size_t i = 0; i < L.n; i++)
        pgmcg__piece_free(&L.pieces[i]);
    free(L.pieces);
    return rc;
}
