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
 * Sections (goose, dbmate) are slices of their file; statements are split
 * by pgmcg_split on NUL-terminated ranges: the file buffer is ours, so the
 * byte after a range is set to '\0' for the call and restored afterwards.
 */
#include "formats/formats.h"

#include "formats/formats_read.h"
#include "util/fsutil.h"
#include "syntax/lexer.h"
#include "util/sha256.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pgmcg_format_names[] = {"golang-migrate", "sqlx",   "goose", "dbmate",
                                          "diesel",         "flyway", NULL};

int pgmcg_format_known(const char *name)
{
    if (!strcmp(name, "auto"))
        return 1;
    for (int i = 0; pgmcg_format_names[i]; i++)
        if (!strcmp(name, pgmcg_format_names[i]))
            return 1;
    return 0;
}

int pgmcg_format_check(const char *format, pgmcg_diag *diag)
{
    if (!format || pgmcg_format_known(format))
        return 0;
    pgmcg_diag_error(diag, NULL, 0, 0,
                     "unknown --format '%s' (auto, golang-migrate, sqlx, goose, dbmate, diesel, "
                     "flyway)",
                     format);
    return -1;
}

const char *pgmcg_format_no_tx_hint(const char *format)
{
    if (!strcmp(format, "goose"))
        return "add a line '-- +goose NO TRANSACTION'";
    if (!strcmp(format, "dbmate"))
        return "write the marker as '-- migrate:up transaction:false'";
    if (!strcmp(format, "diesel"))
        return "put 'run_in_transaction = false' in the migration's metadata.toml";
    if (!strcmp(format, "flyway"))
        return "put 'executeInTransaction=false' in a <file>.sql.conf next to it";
    /* sqlx, and golang-migrate (which has no marker of its own). */
    return "make '-- no-transaction' its first line";
}

/* One direction of one migration, as found in one file or section. */
typedef struct piece {
    char *version, *raw, *name; /* owned until moved into a migration */
    pgmc_migration_kind kind;
    int down;
    pgmcg_gen_script s;
} piece;

typedef struct loader {
    const char *dir;
    const char *format;
    pgmcg_project *p;
    pgmcg_diag *diag;
    piece *pieces;
    size_t n, cap;
    int oom;
} loader;

/* ---- small helpers ---- */

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !memcmp(s + n - m, suf, m);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Canonical version from s[0..n): digit runs separated by any of `seps`
 * become parts without leading zeros joined by '.'; characters in `drop`
 * are removed first (diesel's '-'). NULL if malformed or on OOM. */
static char *canon_version(const char *s, size_t n, const char *seps, const char *drop)
{
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    for (;;) {
        while (i < n && strchr(drop, s[i]))
            i++;
        size_t start = o;
        int digits = 0;
        for (; i < n && (is_digit(s[i]) || strchr(drop, s[i])); i++) {
            if (!is_digit(s[i]))
                continue;
            digits = 1;
            if (o == start && s[i] == '0')
                continue; /* leading zero */
            out[o++] = s[i];
        }
        if (!digits) {
            free(out);
            return NULL;
        }
        if (o == start)
            out[o++] = '0';
        if (i == n)
            break;
        if (!strchr(seps, s[i]) || !*seps) {
            free(out);
            return NULL;
        }
        out[o++] = '.';
        i++;
    }
    out[o] = '\0';
    return out;
}

/* Lines: [*start, *end) without the newline, *next is the next line. */
static size_t line_end(const char *d, size_t len, size_t pos, size_t *next)
{
    const char *nl = memchr(d + pos, '\n', len - pos);
    size_t e = nl ? (size_t)(nl - d) : len;
    *next = nl ? e + 1 : len;
    return e;
}

static int piece_push(loader *L, piece *pc)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 64;
        piece *v = realloc(L->pieces, cap * sizeof *v);
        if (!v) {
            L->oom = 1;
            return -1;
        }
        L->pieces = v;
        L->cap = cap;
    }
    L->pieces[L->n++] = *pc;
    return 0;
}

static void piece_free(piece *pc)
{
    free(pc->version);
    free(pc->raw);
    free(pc->name);
    pgmcg_stmt_vec_free(&pc->s.stmts);
    free(pc->s.tx_note);
}

/* Start a piece for input `in`: version/raw/name copied from slices. */
static int piece_init(loader *L, piece *pc, const pgmcg_input *in, char *version, const char *raw,
                      size_t raw_len, const char *name, size_t name_len, pgmc_migration_kind kind,
                      int down)
{
    memset(pc, 0, sizeof *pc);
    pc->version = version;
    pc->raw = dupn(raw, raw_len);
    pc->name = dupn(name, name_len);
    pc->kind = kind;
    pc->down = down;
    pc->s.input = in;
    if (!pc->version || !pc->raw || !pc->name) {
        piece_free(pc);
        L->oom = 1;
        return -1;
    }
    return 0;
}

static void script_range(pgmcg_gen_script *s, const pgmcg_input *in, size_t off, size_t len,
                         uint32_t line, uint32_t col)
{
    s->input = in;
    s->sql = in->data + off;
    s->sql_len = len;
    s->first_line = line;
    s->first_col = col;
}

/* Split in->data[off..off+len) (which lies inside s->sql) into s->stmts. */
static int split_range(loader *L, const pgmcg_input *in, pgmcg_gen_script *s, size_t off,
                       size_t len, uint32_t line, uint32_t col)
{
    char *d = in->data;
    char save = d[off + len];
    d[off + len] = '\0';
    size_t before = s->stmts.n;
    int r = pgmcg_split(in->path, d + off, len, line, col, &s->stmts, L->diag);
    d[off + len] = save;
    uint32_t delta = (uint32_t)(d + off - s->sql);
    for (size_t i = before; i < s->stmts.n; i++)
        s->stmts.v[i].offset += delta;
    return r;
}

static int stmt_push(pgmcg_stmt_vec *sv, pgmc_statement st)
{
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 16;
        pgmc_statement *v = realloc(sv->v, cap * sizeof *v);
        if (!v)
            return -1;
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = st;
    return 0;
}

/* A goose StatementBegin/End block: one statement from its first token to
 * its last, a trailing ';' excluded, whatever semicolons are inside. */
static int block_stmt(loader *L, const pgmcg_input *in, pgmcg_gen_script *s, size_t off, size_t len,
                      uint32_t line)
{
    char *d = in->data;
    char save = d[off + len];
    d[off + len] = '\0';
    pgmcg_lexer lx;
    pgmcg_token t;
    pgmcg_lexer_init(&lx, d + off, len, line, 1);
    const char *first = NULL, *last_end = NULL;
    uint32_t fl = 0, fc = 0;
    int rc = 0;
    for (;;) {
        pgmcg_tok_kind k = pgmcg_lex(&lx, &t);
        if (k == PGMC_TOK_EOF)
            break;
        if (k == PGMC_TOK_ERROR) {
            pgmcg_diag_error(L->diag, in->path, t.line, t.col, "%s",
                             lx.error ? lx.error : "invalid input");
            rc = -1;
            break;
        }
        if (k == PGMC_TOK_META) {
            pgmcg_diag_error(L->diag, in->path, t.line, t.col,
                             "psql meta-command '%.*s' is not SQL; pgmc sends SQL to the server",
                             (int)(t.len > 40 ? 40 : t.len), t.start);
            rc = -1;
            break;
        }
        if (k == PGMC_TOK_SPACE || k == PGMC_TOK_LINE_COMMENT || k == PGMC_TOK_BLOCK_COMMENT)
            continue;
        if (!first) {
            first = t.start;
            fl = t.line;
            fc = t.col;
        }
        if (k != PGMC_TOK_SEMICOLON)
            last_end = t.start + t.len;
    }
    d[off + len] = save;
    if (rc == 0 && first && last_end > first) {
        pgmc_statement st = {(uint32_t)(first - s->sql), (uint32_t)(last_end - first), fl, fc};
        if (stmt_push(&s->stmts, st)) {
            L->oom = 1;
            rc = -1;
        }
    }
    return rc;
}

/* Report SQL found where no section applies (before the up marker). */
static int check_no_sql(loader *L, const pgmcg_input *in, size_t len, const char *where)
{
    pgmcg_gen_script tmp;
    memset(&tmp, 0, sizeof tmp);
    script_range(&tmp, in, 0, len, 1, 1);
    int r = split_range(L, in, &tmp, 0, len, 1, 1);
    if (r == 0 && tmp.stmts.n) {
        pgmcg_diag_error(L->diag, in->path, tmp.stmts.v[0].line, tmp.stmts.v[0].column,
                         "SQL before %s belongs to no migration direction", where);
        r = -1;
    }
    pgmcg_stmt_vec_free(&tmp.stmts);
    return r;
}

/* ---- file name patterns ---- */

/* "VERSION_rest": returns the digit count (>0) when name starts with digits
 * and then '_', else 0. */
static size_t numeric_prefix(const char *name)
{
    size_t i = 0;
    while (is_digit(name[i]))
        i++;
    return i && name[i] == '_' ? i : 0;
}

/* Flyway: [VU]<digits>([._]<digits>)*__<desc>.sql or R__<desc>.sql.
 * Sets *kind ('V','U','R'), the version slice and the description slice. */
static int flyway_name(const char *name, char *kind, size_t *vlen, const char **desc, size_t *dlen)
{
    if (!ends_with(name, ".sql"))
        return 0;
    size_t n = strlen(name) - 4;
    char k = name[0];
    if (k == 'R') {
        if (strncmp(name, "R__", 3) || n <= 3)
            return 0;
        *kind = k;
        *vlen = 0;
        *desc = name + 3;
        *dlen = n - 3;
        return 1;
    }
    if (k != 'V' && k != 'U')
        return 0;
    size_t i = 1;
    if (!is_digit(name[i]))
        return 0;
    for (;;) {
        while (is_digit(name[i]))
            i++;
        if ((name[i] == '.' || name[i] == '_') && is_digit(name[i + 1]))
            i++;
        else
            break;
    }
    if (strncmp(name + i, "__", 2) || i + 2 > n)
        return 0;
    *kind = k;
    *vlen = i - 1;
    *desc = name + i + 2;
    *dlen = n - (i + 2);
    return 1;
}

/* Goose annotation on the line l[0..n): G_NONE when it is not one. */
enum { G_NONE, G_UP, G_DOWN, G_BEGIN, G_END, G_NOTX, G_OTHER };

static int goose_marker(const char *l, size_t n, uint32_t *col)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (n - i < 9 || l[i] != '-' || l[i + 1] != '-')
        return G_NONE;
    *col = (uint32_t)i + 1;
    i += 2;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    static const char tag[] = "+goose";
    if (n - i < 6)
        return G_NONE;
    for (size_t j = 0; j < 6; j++)
        if (lower(l[i + j]) != tag[j])
            return G_NONE;
    i += 6;
    if (i < n && l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
        return G_NONE;
    /* The rest, lowercased, whitespace runs collapsed, trimmed. */
    char w[32];
    size_t o = 0;
    for (; i < n && o < sizeof w - 1; i++) {
        char c = l[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            if (o && w[o - 1] != ' ')
                w[o++] = ' ';
        } else {
            w[o++] = lower(c);
        }
    }
    while (o && w[o - 1] == ' ')
        o--;
    w[o] = '\0';
    if (!strcmp(w, "up"))
        return G_UP;
    if (!strcmp(w, "down"))
        return G_DOWN;
    if (!strcmp(w, "statementbegin"))
        return G_BEGIN;
    if (!strcmp(w, "statementend"))
        return G_END;
    if (!strcmp(w, "no transaction"))
        return G_NOTX;
    return G_OTHER;
}

/* dbmate marker "-- migrate:up [options]" on l[0..n): 1 up, 2 down, else 0.
 * *indent is the offset of "--", *opts of what follows the keyword. */
static int dbmate_marker(const char *l, size_t n, size_t *indent, size_t *opts)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    *indent = i;
    if (n - i < 12 || l[i] != '-' || l[i + 1] != '-')
        return 0;
    i += 2;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (n - i < 10 || memcmp(l + i, "migrate:", 8))
        return 0;
    i += 8;
    int kind;
    if (n - i >= 2 && !memcmp(l + i, "up", 2)) {
        kind = 1;
        i += 2;
    } else if (n - i >= 4 && !memcmp(l + i, "down", 4)) {
        kind = 2;
        i += 4;
    } else {
        return 0;
    }
    if (i < n && l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
        return 0;
    *opts = i;
    return kind;
}

/* 1 if any line of the file is a goose annotation (which = 'g') or a dbmate
 * marker (which = 'd'). */
static int has_marker(const pgmcg_input *in, char which)
{
    size_t pos = 0, next;
    while (pos < in->len) {
        size_t e = line_end(in->data, in->len, pos, &next);
        uint32_t col;
        size_t a, b;
        if (which == 'g' ? goose_marker(in->data + pos, e - pos, &col) != G_NONE
                         : dbmate_marker(in->data + pos, e - pos, &a, &b) != 0)
            return 1;
        pos = next;
    }
    return 0;
}

static int starts_no_tx(const pgmcg_input *in)
{
    return in->len >= 17 && !memcmp(in->data, "-- no-transaction", 17);
}

/* ---- the formats ---- */

static void unknown_name(loader *L, const pgmcg_input *in, const char *expected)
{
    pgmcg_diag_error(L->diag, in->path, 0, 0, "not a %s migration file name (expected %s)",
                     L->format, expected);
}

/* golang-migrate and sqlx: VERSION_name.up.sql / .down.sql, and for sqlx
 * also VERSION_name.sql (up only). Whole-file scripts. */
static int parse_whole_files(loader *L, int allow_plain)
{
    int rc = 0;
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        const char *nm = in->rel;
        if (!ends_with(nm, ".sql"))
            continue; /* a settings file of another format */
        size_t v = numeric_prefix(nm);
        int down = 0;
        size_t stem;
        if (v && ends_with(nm, ".up.sql")) {
            stem = strlen(nm) - 7;
        } else if (v && ends_with(nm, ".down.sql")) {
            stem = strlen(nm) - 9;
            down = 1;
        } else if (v && allow_plain && ends_with(nm, ".sql")) {
            stem = strlen(nm) - 4;
        } else {
            unknown_name(L, in,
                         allow_plain ? "VERSION_name.sql, or VERSION_name.up.sql and .down.sql"
                                     : "VERSION_name.up.sql and VERSION_name.down.sql");
            rc = -1;
            continue;
        }
        piece pc;
        if (piece_init(L, &pc, in, canon_version(nm, v, "", ""), nm, v, nm + v + 1, stem - v - 1,
                       PGMC_VERSIONED, down))
            return -1;
        script_range(&pc.s, in, 0, in->len, 1, 1);
        if (starts_no_tx(in)) {
            pc.s.no_tx_annotated = 1;
            pc.s.annotation = "-- no-transaction";
            pc.s.annotation_line = 1;
        }
        if (split_range(L, in, &pc.s, 0, in->len, 1, 1))
            rc = -1;
        if (piece_push(L, &pc)) {
            piece_free(&pc);
            return -1;
        }
    }
    return rc;
}

typedef struct mark {
    int kind;
    size_t off, next; /* line start, next line start */
    uint32_t line, col;
    size_t opts; /* dbmate: offset of the options within the line */
} mark;

typedef struct marks {
    mark *v;
    size_t n, cap;
} marks;

static int marks_push(marks *ms, mark m)
{
    if (ms->n == ms->cap) {
        size_t cap = ms->cap ? ms->cap * 2 : 8;
        mark *v = realloc(ms->v, cap * sizeof *v);
        if (!v)
            return -1;
        ms->v = v;
        ms->cap = cap;
    }
    ms->v[ms->n++] = m;
    return 0;
}

/* Split a goose section [a, b) that starts at line `line`, honouring the
 * StatementBegin/End blocks among ms->v[from..]. */
static int goose_section(loader *L, const pgmcg_input *in, pgmcg_gen_script *s, const marks *ms,
                         size_t a, size_t b, uint32_t line)
{
    int rc = 0;
    size_t cur = a;
    uint32_t cur_line = line;
    for (size_t i = 0; i < ms->n; i++) {
        const mark *m = &ms->v[i];
        if (m->off < a || m->off >= b)
            continue;
        if (m->kind == G_END) {
            pgmcg_diag_error(L->diag, in->path, m->line, m->col,
                             "'-- +goose StatementEnd' without a StatementBegin");
            rc = -1;
            continue;
        }
        if (m->kind != G_BEGIN)
            continue;
        size_t j = i + 1;
        if (j >= ms->n || ms->v[j].kind != G_END || ms->v[j].off >= b) {
            pgmcg_diag_error(L->diag, in->path, m->line, m->col,
                             "'-- +goose StatementBegin' without a StatementEnd in its section");
            return -1;
        }
        if (split_range(L, in, s, cur, m->off - cur, cur_line, 1))
            rc = -1;
        if (block_stmt(L, in, s, m->next, ms->v[j].off - m->next, m->line + 1))
            rc = -1;
        cur = ms->v[j].next;
        cur_line = ms->v[j].line + 1;
        i = j;
    }
    if (split_range(L, in, s, cur, b - cur, cur_line, 1))
        rc = -1;
    return rc;
}

/* Collect one file's goose or dbmate markers. */
static int collect_marks(loader *L, const pgmcg_input *in, int goose, marks *ms)
{
    size_t pos = 0, next;
    uint32_t line = 1;
    while (pos < in->len) {
        size_t e = line_end(in->data, in->len, pos, &next);
        mark m = {0, pos, next, line, 0, 0};
        if (goose) {
            m.kind = goose_marker(in->data + pos, e - pos, &m.col);
        } else {
            size_t indent;
            m.kind = dbmate_marker(in->data + pos, e - pos, &indent, &m.opts);
            m.col = (uint32_t)indent + 1;
            if (m.kind && indent) {
                /* upchieve has three of these. dbmate rejects them; read as
                 * SQL they would put the down SQL into the up section, so
                 * pgmc reads them as markers and says so. */
                pgmcg_diag_note(L->diag, in->path, line, m.col,
                                "indented '-- migrate:%s' read as a section marker (dbmate "
                                "wants it at the start of the line)",
                                m.kind == 1 ? "up" : "down");
            }
        }
        if (m.kind && marks_push(ms, m)) {
            L->oom = 1;
            return -1;
        }
        pos = next;
        line++;
    }
    return 0;
}

/* Goose and dbmate: VERSION_name.sql with up and down sections. */
static int parse_sectioned(loader *L, int goose)
{
    int rc = 0;
    const char *up_name = goose ? "'-- +goose Up'" : "'-- migrate:up'";
    const char *down_name = goose ? "'-- +goose Down'" : "'-- migrate:down'";
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        const char *nm = in->rel;
        if (!ends_with(nm, ".sql"))
            continue; /* a settings file of another format */
        size_t v = numeric_prefix(nm);
        if (!v || ends_with(nm, ".up.sql") || ends_with(nm, ".down.sql")) {
            unknown_name(L, in, "VERSION_name.sql");
            rc = -1;
            continue;
        }
        marks ms = {0};
        if (collect_marks(L, in, goose, &ms))
            return -1;
        const mark *up = NULL, *down = NULL;
        const char *annotation[2] = {NULL, NULL};
        uint32_t ann_line[2] = {0, 0};
        int bad = 0;
        for (size_t k = 0; k < ms.n; k++) {
            const mark *m = &ms.v[k];
            int is_up = goose ? m->kind == G_UP : m->kind == 1;
            int is_down = goose ? m->kind == G_DOWN : m->kind == 2;
            if (is_up || is_down) {
                const mark **slot = is_up ? &up : &down;
                if (*slot) {
                    pgmcg_diag_error(L->diag, in->path, m->line, m->col,
                                     "second %s marker (the first is on line %u)",
                                     is_up ? up_name : down_name, (*slot)->line);
                    bad = 1;
                } else if (is_up && down) {
                    pgmcg_diag_error(L->diag, in->path, m->line, m->col, "%s after %s", up_name,
                                     down_name);
                    bad = 1;
                }
                *slot = m;
            }
            if (goose && m->kind == G_NOTX) {
                annotation[0] = annotation[1] = "-- +goose NO TRANSACTION";
                ann_line[0] = ann_line[1] = m->line;
            }
            if (goose && m->kind == G_OTHER) {
                pgmcg_diag_error(
                    L->diag, in->path, m->line, m->col, "unsupported goose annotation '%.*s'",
                    (int)(m->next - m->off - (in->data[m->next - 1] == '\n')), in->data + m->off);
                bad = 1;
            }
            if (!goose && (is_up || is_down)) {
                /* Options after the keyword: only transaction:true|false. */
                const char *l = in->data + m->off;
                size_t e = m->next - m->off, o = m->opts;
                while (o < e) {
                    while (o < e && (l[o] == ' ' || l[o] == '\t' || l[o] == '\r' || l[o] == '\n'))
                        o++;
                    size_t w = o;
                    while (w < e && l[w] != ' ' && l[w] != '\t' && l[w] != '\r' && l[w] != '\n')
                        w++;
                    if (w == o)
                        break;
                    if (w - o == 17 && !memcmp(l + o, "transaction:false", 17)) {
                        annotation[is_down] = is_down ? "-- migrate:down transaction:false"
                                                      : "-- migrate:up transaction:false";
                        ann_line[is_down] = m->line;
                    } else if (!(w - o == 16 && !memcmp(l + o, "transaction:true", 16))) {
                        pgmcg_diag_error(L->diag, in->path, m->line, (uint32_t)o + 1,
                                         "unknown dbmate option '%.*s' (pgmc knows "
                                         "transaction:false)",
                                         (int)(w - o), l + o);
                        bad = 1;
                    }
                    o = w;
                }
            }
        }
        if (!up && !bad) {
            pgmcg_diag_error(L->diag, in->path, 0, 0, "no %s marker", up_name);
            bad = 1;
        }
        if (bad) {
            free(ms.v);
            rc = -1;
            continue;
        }
        if (goose) {
            for (size_t k = 0; k < ms.n; k++)
                if ((ms.v[k].kind == G_BEGIN || ms.v[k].kind == G_END) && ms.v[k].off < up->off) {
                    pgmcg_diag_error(L->diag, in->path, ms.v[k].line, ms.v[k].col,
                                     "goose statement block before %s", up_name);
                    bad = 1;
                }
        }
        if (bad || check_no_sql(L, in, up->off, up_name)) {
            free(ms.v);
            rc = -1;
            continue;
        }
        for (int dir = 0; dir < 2; dir++) {
            const mark *m = dir ? down : up;
            if (!m)
                continue;
            size_t a = m->next, b = dir || !down ? in->len : down->off;
            piece pc;
            if (piece_init(L, &pc, in, canon_version(nm, v, "", ""), nm, v, nm + v + 1,
                           strlen(nm) - 4 - v - 1, PGMC_VERSIONED, dir)) {
                free(ms.v);
                return -1;
            }
            script_range(&pc.s, in, a, b - a, m->line + 1, 1);
            if (annotation[dir]) {
                pc.s.no_tx_annotated = 1;
                pc.s.annotation = annotation[dir];
                pc.s.annotation_line = ann_line[dir];
            }
            int r = goose ? goose_section(L, in, &pc.s, &ms, a, b, m->line + 1)
                          : split_range(L, in, &pc.s, a, b - a, m->line + 1, 1);
            if (r)
                rc = -1;
            if (piece_push(L, &pc)) {
                piece_free(&pc);
                free(ms.v);
                return -1;
            }
        }
        free(ms.v);
    }
    return rc;
}

/* 1 if a settings file holds `key` = `value` on a line of its own (spaces
 * around '=' allowed; '#' comments and other keys ignored). */
static int setting_is(const pgmcg_input *in, const char *key, const char *value)
{
    size_t pos = 0, next, kn = strlen(key), vn = strlen(value);
    while (pos < in->len) {
        size_t e = line_end(in->data, in->len, pos, &next);
        const char *l = in->data + pos;
        size_t n = e - pos, i = 0;
        while (n && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r'))
            n--;
        while (i < n && (l[i] == ' ' || l[i] == '\t'))
            i++;
        if (n - i >= kn && !memcmp(l + i, key, kn)) {
            i += kn;
            while (i < n && (l[i] == ' ' || l[i] == '\t'))
                i++;
            if (i < n && l[i] == '=') {
                i++;
                while (i < n && (l[i] == ' ' || l[i] == '\t'))
                    i++;
                if (n - i == vn && !memcmp(l + i, value, vn))
                    return 1;
            }
        }
        pos = next;
    }
    return 0;
}

/* The input named rel, or NULL. Inputs are sorted by rel. */
static const pgmcg_input *find_input(const pgmcg_project *p, const char *rel)
{
    size_t lo = 0, hi = p->n_inputs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(p->inputs[mid].rel, rel);
        if (!c)
            return &p->inputs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Diesel: VERSION_name/up.sql and down.sql (+ metadata.toml). */
static int parse_diesel(loader *L)
{
    int rc = 0;
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        const char *slash = strchr(in->rel, '/');
        if (!slash && ends_with(in->rel, ".sql")) {
            pgmcg_diag_error(L->diag, in->path, 0, 0,
                             "not a diesel migration (expected VERSION_name/up.sql)");
            rc = -1;
            continue;
        }
        if (!slash || (strcmp(slash, "/up.sql") && strcmp(slash, "/down.sql")))
            continue; /* metadata.toml is looked up below; .sql.conf ignored */
        int down = !strcmp(slash, "/down.sql");
        size_t dn = (size_t)(slash - in->rel), v = 0;
        while (v < dn && (is_digit(in->rel[v]) || in->rel[v] == '-'))
            v++;
        char *version = v < dn && in->rel[v] == '_' ? canon_version(in->rel, v, "", "-") : NULL;
        if (!version) {
            pgmcg_diag_error(L->diag, in->path, 0, 0,
                             "not a diesel migration directory name (expected VERSION_name/, "
                             "e.g. 2020-01-01-000000_create_users/)");
            rc = -1;
            continue;
        }
        piece pc;
        if (piece_init(L, &pc, in, version, in->rel, v, in->rel + v + 1, dn - v - 1, PGMC_VERSIONED,
                       down))
            return -1;
        script_range(&pc.s, in, 0, in->len, 1, 1);
        char meta[4096];
        snprintf(meta, sizeof meta, "%.*s/metadata.toml", (int)dn, in->rel);
        const pgmcg_input *mt = find_input(L->p, meta);
        if (mt && setting_is(mt, "run_in_transaction", "false")) {
            pc.s.no_tx_annotated = 1;
            pc.s.annotation = "run_in_transaction = false (metadata.toml)";
        }
        if (split_range(L, in, &pc.s, 0, in->len, 1, 1))
            rc = -1;
        if (piece_push(L, &pc)) {
            piece_free(&pc);
            return -1;
        }
    }
    return rc;
}

/* Flyway: V1__x.sql, U1__x.sql (undo = down of 1), R__x.sql (+ .sql.conf). */
static int parse_flyway(loader *L)
{
    int rc = 0;
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        if (!ends_with(in->rel, ".sql"))
            continue; /* V1__x.sql.conf is looked up below */
        char kind;
        size_t vlen, dlen;
        const char *desc;
        if (!flyway_name(in->rel, &kind, &vlen, &desc, &dlen)) {
            unknown_name(L, in, "V1__name.sql, U1__name.sql or R__name.sql");
            rc = -1;
            continue;
        }
        char *version = kind == 'R' ? dupn("", 0) : canon_version(in->rel + 1, vlen, "._", "");
        piece pc;
        if (piece_init(L, &pc, in, version, in->rel + 1, vlen, desc, dlen,
                       kind == 'R' ? PGMC_REPEATABLE : PGMC_VERSIONED, kind == 'U'))
            return -1;
        script_range(&pc.s, in, 0, in->len, 1, 1);
        char conf[4096];
        snprintf(conf, sizeof conf, "%s.conf", in->rel);
        const pgmcg_input *cf = find_input(L->p, conf);
        if (cf && setting_is(cf, "executeInTransaction", "false")) {
            pc.s.no_tx_annotated = 1;
            pc.s.annotation = "executeInTransaction=false (.sql.conf)";
        }
        if (split_range(L, in, &pc.s, 0, in->len, 1, 1))
            rc = -1;
        if (piece_push(L, &pc)) {
            piece_free(&pc);
            return -1;
        }
    }
    return rc;
}

/* ---- detection and assembly ---- */

/* Guess the format from names and markers; NULL after reporting an error. */
static const char *detect(loader *L, const pgmcg_dirent *ents, size_t n_ents, int n_diesel)
{
    const pgmcg_input *fly = NULL, *num = NULL, *updown = NULL, *plain = NULL, *g = NULL, *d = NULL;
    int no_tx = 0;
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        if (!ends_with(in->rel, ".sql"))
            continue;
        char k;
        size_t a, b;
        const char *c;
        if (flyway_name(in->rel, &k, &a, &c, &b)) {
            fly = fly ? fly : in;
            continue;
        }
        if (!numeric_prefix(in->rel))
            continue;
        num = num ? num : in;
        if (ends_with(in->rel, ".up.sql") || ends_with(in->rel, ".down.sql")) {
            updown = updown ? updown : in;
            no_tx |= starts_no_tx(in);
        } else {
            plain = plain ? plain : in;
            if (!g && has_marker(in, 'g'))
                g = in;
            if (!d && has_marker(in, 'd'))
                d = in;
        }
    }
    if (n_diesel) {
        for (size_t i = 0; i < n_ents; i++)
            if (!ents[i].is_dir && ends_with(ents[i].name, ".sql")) {
                pgmcg_diag_error(L->diag, L->dir, 0, 0,
                                 "mixes diesel migration directories with .sql files (%s); "
                                 "use --format",
                                 ents[i].name);
                return NULL;
            }
        return "diesel";
    }
    if (fly && num) {
        pgmcg_diag_error(L->diag, L->dir, 0, 0,
                         "cannot tell the format: %s is a flyway name, %s is not; use --format",
                         fly->rel, num->rel);
        return NULL;
    }
    if (fly)
        return "flyway";
    if (updown && plain) {
        pgmcg_diag_error(L->diag, L->dir, 0, 0,
                         "cannot tell the format: %s is one direction of a pair, %s is a single "
                         "file; use --format",
                         updown->rel, plain->rel);
        return NULL;
    }
    if (updown)
        return no_tx ? "sqlx" : "golang-migrate";
    if (g && d) {
        pgmcg_diag_error(L->diag, L->dir, 0, 0,
                         "cannot tell the format: %s has goose annotations, %s has dbmate "
                         "markers; use --format",
                         g->rel, d->rel);
        return NULL;
    }
    if (g)
        return "goose";
    if (d)
        return "dbmate";
    if (plain)
        return "sqlx";
    /* .sql files, none with a migration name. */
    for (size_t i = 0; i < L->p->n_inputs; i++)
        pgmcg_diag_error(L->diag, L->p->inputs[i].path, 0, 0,
                         "not a migration file name (expected e.g. 1_name.up.sql, 1_name.sql, "
                         "V1__name.sql)");
    return NULL;
}

static int cmp_piece(const void *pa, const void *pb)
{
    const piece *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind == PGMC_VERSIONED ? -1 : 1;
    int c = a->kind == PGMC_VERSIONED ? pgmc_version_cmp(a->version, b->version)
                                      : strcmp(a->name, b->name);
    if (c)
        return c;
    if (a->down != b->down)
        return a->down - b->down;
    return strcmp(a->s.input->rel, b->s.input->rel);
}

static int same_key(const piece *a, const piece *b)
{
    if (a->kind != b->kind)
        return 0;
    /* "1" and "1.0" are one version to refuse (adjacent in the sort) */
    return a->kind == PGMC_VERSIONED ? pgmc_version_same(a->version, b->version)
                                     : !strcmp(a->name, b->name);
}

/* Pair sorted pieces into migrations; report duplicates and lone downs. */
static int assemble(loader *L)
{
    int rc = 0;
    int flyway = !strcmp(L->format, "flyway");
    if (L->n)
        qsort(L->pieces, L->n, sizeof *L->pieces, cmp_piece);
    for (size_t i = 0, j; i < L->n; i = j) {
        piece *up = NULL, *down = NULL;
        for (j = i; j < L->n && same_key(&L->pieces[i], &L->pieces[j]); j++) {
            piece *pc = &L->pieces[j];
            piece **slot = pc->down ? &down : &up;
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
                                 pc->down ? (flyway ? "undo" : "down") : "up", pc->version,
                                 (*slot)->s.input->path, pc->s.input->path);
            rc = -1;
        }
        if (!up) {
            pgmcg_diag_error(L->diag, down->s.input->path, 0, 0,
                             flyway ? "undo migration for version %s has no versioned (V) "
                                      "migration"
                                    : "down migration for version %s has no up migration",
                             down->version);
            rc = -1;
            continue;
        }
        if (rc)
            continue;
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
    }
    return rc;
}

int pgmcg_formats_load(const char *dir, const char *format, pgmcg_project *p, pgmcg_diag *diag)
{
    loader L;
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
    int n_diesel, rc = pgmcg_formats_read_inputs(dir, ents, n_ents, p, diag, &n_diesel, &L.oom);
    size_t n_sql = 0;
    for (size_t i = 0; i < p->n_inputs; i++)
        n_sql += ends_with(p->inputs[i].rel, ".sql");
    if (rc == 0 && n_sql == 0) {
        pgmcg_diag_error(diag, dir, 0, 0,
                         "no migrations found (no .sql files, no diesel "
                         "VERSION_name/up.sql directories)");
        rc = -1;
    }
    if (rc == 0) {
        if (!format || !strcmp(format, "auto")) {
            L.format = detect(&L, ents, n_ents, n_diesel);
        } else {
            for (int i = 0; pgmcg_format_names[i]; i++)
                if (!strcmp(format, pgmcg_format_names[i]))
                    L.format = pgmcg_format_names[i];
            if (!L.format)
                pgmcg_diag_error(diag, NULL, 0, 0, "unknown format '%s'", format);
        }
        if (!L.format)
            rc = -1;
    }
    pgmcg_dirents_free(ents, n_ents);
    if (rc == 0) {
        p->format = L.format;
        if (!strcmp(L.format, "golang-migrate"))
            rc = parse_whole_files(&L, 0);
        else if (!strcmp(L.format, "sqlx"))
            rc = parse_whole_files(&L, 1);
        else if (!strcmp(L.format, "goose"))
            rc = parse_sectioned(&L, 1);
        else if (!strcmp(L.format, "dbmate"))
            rc = parse_sectioned(&L, 0);
        else if (!strcmp(L.format, "diesel"))
            rc = parse_diesel(&L);
        else
            rc = parse_flyway(&L);
    }
    if (rc == 0 && !L.oom)
        rc = assemble(&L);
    if (L.oom) {
        pgmcg_diag_error(diag, NULL, 0, 0, "out of memory");
        rc = -1;
    }
    for (size_t i = 0; i < L.n; i++)
        piece_free(&L.pieces[i]);
    free(L.pieces);
    return rc;
}
