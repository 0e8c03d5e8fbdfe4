/* fmt_int.h - what the format parsers (fmt_*.c) share with the driver
 * (formats.c): the loader's state, the pieces a parser produces (one
 * direction of one migration each), and small helpers for names, lines,
 * settings files and statement splitting (fmt_common.c). Internal to
 * gen/formats/.
 */
#ifndef PGMC_FMT_INT_H
#define PGMC_FMT_INT_H

#include "formats/format_ops.h"
#include "formats/project.h"
#include "util/diag.h"

#include <stddef.h>
#include <stdint.h>

/* One direction of one migration, as found in one file or section. */
typedef struct pgmcg__piece {
    char *version, *raw, *name; /* owned until moved into a migration */
    pgmc_migration_kind kind;
    int down;
    pgmcg_gen_script s;
} pgmcg__piece;

typedef struct pgmcg__loader {
    const char *dir;             /* the folder as the user spelled it */
    const pgmcg_format_ops *fmt; /* the format being parsed */
    pgmcg_project *p;
    pgmcg_diag *diag;
    pgmcg__piece *pieces;
    size_t n, cap;
    int oom; /* memory ran out (not reported yet) */
} pgmcg__loader;

/* The sections of goose and dbmate files (fmt_sectioned.c): a marker line
 * found in a file. Kinds 1 and 2 are the up and down markers; others are
 * the format's own. */
enum { PGMCG__MARK_NONE = 0, PGMCG__MARK_UP = 1, PGMCG__MARK_DOWN = 2 };

typedef struct pgmcg__mark {
    int kind;
    size_t off, next; /* line start, next line start */
    uint32_t line, col;
    size_t opts; /* dbmate: offset of the options within the line */
} pgmcg__mark;

typedef struct pgmcg__marks {
    pgmcg__mark *v;
    size_t n, cap;
} pgmcg__marks;

/* What makes goose and dbmate differ inside the shared section parser. */
typedef struct pgmcg__section_syntax {
    const char *up_name, *down_name; /* "'-- +goose Up'" ... for messages */
    /* Classify the line l[0..n) (line number m->line of `in`): set m->kind
     * (PGMCG__MARK_NONE if not a marker), m->col and m->opts; may add notes. */
    void (*marker)(pgmcg__loader *L, const pgmcg_input *in, const char *l, size_t n,
                   pgmcg__mark *m);
    /* Check marker m (up/down says which it is, if either), after the
     * up/down bookkeeping: set annotation[dir] and ann_line[dir] for a
     * no-transaction marker. Returns 1 after reporting an error, else 0. */
    int (*check)(pgmcg__loader *L, const pgmcg_input *in, const pgmcg__mark *m, int is_up,
                 int is_down, const char *annotation[2], uint32_t ann_line[2]);
    /* Checks once the up marker is known; NULL for none. Returns 1 after
     * reporting an error, else 0. */
    int (*before_up)(pgmcg__loader *L, const pgmcg_input *in, const pgmcg__marks *ms,
                     const pgmcg__mark *up);
    /* Split the section in->data[a..b), which starts on line `line`, into s.
     * Returns 0 or -1. */
    int (*split)(pgmcg__loader *L, const pgmcg_input *in, pgmcg_gen_script *s,
                 const pgmcg__marks *ms, size_t a, size_t b, uint32_t line);
} pgmcg__section_syntax;

/* ---- fmt_common.c ---- */

/* malloc'd copy of s[0..n); NULL on OOM. */
char *pgmcg__dupn(const char *s, size_t n);

/* 1 if s ends with suf. */
int pgmcg__ends_with(const char *s, const char *suf);

/* 1 for an ASCII digit. */
int pgmcg__is_digit(char c);

/* "VERSION_rest": the digit count (>0) when name starts with digits and
 * then '_', else 0. */
size_t pgmcg__numeric_prefix(const char *name);

/* 1 if name ends with ".up.sql" or ".down.sql". */
int pgmcg__pair_name(const char *name);

/* Canonical version from s[0..n): digit runs separated by any of `seps`
 * become parts without leading zeros joined by '.'; characters in `drop`
 * are removed first (diesel's '-'). malloc'd; NULL if malformed or on OOM. */
char *pgmcg__canon_version(const char *s, size_t n, const char *seps, const char *drop);

/* The line of d[0..len) starting at pos: returns its end (without the
 * newline) and sets *next to the start of the next line. */
size_t pgmcg__line_end(const char *d, size_t len, size_t pos, size_t *next);

/* 1 if the input starts with "-- no-transaction". */
int pgmcg__starts_no_tx(const pgmcg_input *in);

/* 1 if a settings file holds `key` = `value` on a line of its own (spaces
 * around '=' allowed; '#' comments and other keys ignored). */
int pgmcg__setting_is(const pgmcg_input *in, const char *key, const char *value);

/* A per-migration settings file (diesel metadata.toml, flyway .sql.conf):
 * if p has the input `rel` and it sets `key` = false, mark *s as asking
 * for no transaction, with `annotation` (static text) saying how. */
void pgmcg__sidecar_no_tx(const pgmcg_project *p, const char *rel, const char *key,
                          const char *annotation, pgmcg_gen_script *s);

/* The input of p named rel, or NULL. Inputs are sorted by rel. */
const pgmcg_input *pgmcg__find_input(const pgmcg_project *p, const char *rel);

/* Report "not a <format> migration file name (expected <expected>)". */
void pgmcg__unknown_name(pgmcg__loader *L, const pgmcg_input *in, const char *expected);

/* Start *pc for input `in`, taking `version` (malloc'd, may be NULL: OOM)
 * and copying raw[0..raw_len) and name[0..name_len). Returns 0, or -1 with
 * L->oom set and everything freed. */
int pgmcg__piece_init(pgmcg__loader *L, pgmcg__piece *pc, const pgmcg_input *in, char *version,
                      const char *raw, size_t raw_len, const char *name, size_t name_len,
                      pgmc_migration_kind kind, int down);

/* Append *pc to L's pieces (which then own it). Returns 0, or -1 with
 * L->oom set (the caller still owns *pc then). */
int pgmcg__piece_push(pgmcg__loader *L, pgmcg__piece *pc);

/* Free what *pc owns. */
void pgmcg__piece_free(pgmcg__piece *pc);

/* Make s the script in->data[off..off+len) starting at line:col. */
void pgmcg__script_range(pgmcg_gen_script *s, const pgmcg_input *in, size_t off, size_t len,
                         uint32_t line, uint32_t col);

/* Split in->data[off..off+len) (which lies inside s->sql), starting at
 * line:col, appending to s->stmts. Returns 0, or -1 after reporting. */
int pgmcg__split_range(pgmcg__loader *L, const pgmcg_input *in, pgmcg_gen_script *s, size_t off,
                       size_t len, uint32_t line, uint32_t col);

/* Append st to *sv. Returns 0 or -1 on OOM. */
int pgmcg__stmt_push(pgmcg_stmt_vec *sv, pgmc_statement st);

/* malloc'd concatenation of up to four strings (NULLs skipped); NULL on OOM. */
char *pgmcg__cat4(const char *a, const char *b, const char *c, const char *d);

/* ---- fmt_golang_migrate.c ---- */

/* golang-migrate and sqlx: VERSION_name.up.sql / .down.sql, and when
 * allow_plain (sqlx) also VERSION_name.sql (up only). Returns 0 or -1. */
int pgmcg__parse_whole_files(pgmcg__loader *L, int allow_plain);

/* The up (and unless no_down, the down) file of a pair, with bodies. */
int pgmcg__new_pair(const pgmcg_new_request *rq, const char *up_body, const char *down_body,
                    pgmcg_new_files *out);

/* ---- fmt_sectioned.c ---- */

/* Goose and dbmate: VERSION_name.sql files with up and down sections
 * marked as `syn` says. Returns 0 or -1. */
int pgmcg__parse_sectioned(pgmcg__loader *L, const pgmcg__section_syntax *syn);

/* ---- the formats (fmt_<name>.c) ---- */

extern const pgmcg_format_ops pgmcg__fmt_golang_migrate, pgmcg__fmt_sqlx, pgmcg__fmt_goose,
    pgmcg__fmt_dbmate, pgmcg__fmt_diesel, pgmcg__fmt_flyway;

#endif
