/* fmt_goose.c - the goose layout: VERSION_name.sql with "-- +goose Up" and
 * "-- +goose Down" sections (fmt_sectioned.c), "-- +goose StatementBegin"
 * / "StatementEnd" blocks that are one statement whatever semicolons they
 * hold, and "-- +goose NO TRANSACTION". Annotations are matched ignoring
 * case and runs of blanks, as goose does; any other one is an error.
 */
#include "formats/fmt_int.h"

#include "syntax/lexer.h"

#include <string.h>

/* Goose annotations besides PGMCG__MARK_UP and _DOWN. */
enum { G_BEGIN = 3, G_END, G_NOTX, G_OTHER };

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* The goose annotation on the line l[0..n), PGMCG__MARK_NONE when it is
 * not one; *col is the column of its "--". */
static int goose_marker(const char *l, size_t n, uint32_t *col)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (n - i < 9 || l[i] != '-' || l[i + 1] != '-')
        return PGMCG__MARK_NONE;
    *col = (uint32_t)i + 1;
    i += 2;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    static const char tag[] = "+goose";
    if (n - i < 6)
        return PGMCG__MARK_NONE;
    for (size_t j = 0; j < 6; j++)
        if (lower(l[i + j]) != tag[j])
            return PGMCG__MARK_NONE;
    i += 6;
    if (i < n && l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
        return PGMCG__MARK_NONE;
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
        return PGMCG__MARK_UP;
    if (!strcmp(w, "down"))
        return PGMCG__MARK_DOWN;
    if (!strcmp(w, "statementbegin"))
        return G_BEGIN;
    if (!strcmp(w, "statementend"))
        return G_END;
    if (!strcmp(w, "no transaction"))
        return G_NOTX;
    return G_OTHER;
}

/* A StatementBegin/End block: one statement from its first token to its
 * last, a trailing ';' excluded, whatever semicolons are inside. */
static int block_stmt(pgmcg__loader *L, const pgmcg_input *in, pgmcg_gen_script *s, size_t off,
                      size_t len, uint32_t line)
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
        if (pgmcg__stmt_push(&s->stmts, st)) {
            L->oom = 1;
            rc = -1;
        }
    }
    return rc;
}

static void marker(pgmcg__loader *L, const pgmcg_input *in, const char *l, size_t n, pgmcg__mark *m)
{
    (void)L;
    (void)in;
    m->kind = goose_marker(l, n, &m->col);
}

static int check(pgmcg__loader *L, const pgmcg_input *in, const pgmcg__mark *m, int is_up,
                 int is_down, const char *annotation[2], uint32_t ann_line[2])
{
    (void)is_up;
    (void)is_down;
    if (m->kind == G_NOTX) {
        annotation[0] = annotation[1] = "-- +goose NO TRANSACTION";
        ann_line[0] = ann_line[1] = m->line;
    }
    if (m->kind == G_OTHER) {
        pgmcg_diag_error(L->diag, in->path, m->line, m->col, "unsupported goose annotation '%.*s'",
                         (int)(m->next - m->off - (in->data[m->next - 1] == '\n')),
                         in->data + m->off);
        return 1;
    }
    return 0;
}

static int before_up(pgmcg__loader *L, const pgmcg_input *in, const pgmcg__marks *ms,
                     const pgmcg__mark *up)
{
    int bad = 0;
    for (size_t k = 0; k < ms->n; k++)
        if ((ms->v[k].kind == G_BEGIN || ms->v[k].kind == G_END) && ms->v[k].off < up->off) {
            pgmcg_diag_error(L->diag, in->path, ms->v[k].line, ms->v[k].col,
                             "goose statement block before %s", "'-- +goose Up'");
            bad = 1;
        }
    return bad;
}

/* Split a section [a, b) that starts at line `line`, honouring the
 * StatementBegin/End blocks among ms. */
static int split(pgmcg__loader *L, const pgmcg_input *in, pgmcg_gen_script *s,
                 const pgmcg__marks *ms, size_t a, size_t b, uint32_t line)
{
    int rc = 0;
    size_t cur = a;
    uint32_t cur_line = line;
    for (size_t i = 0; i < ms->n; i++) {
        const pgmcg__mark *m = &ms->v[i];
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
        if (pgmcg__split_range(L, in, s, cur, m->off - cur, cur_line, 1))
            rc = -1;
        if (block_stmt(L, in, s, m->next, ms->v[j].off - m->next, m->line + 1))
            rc = -1;
        cur = ms->v[j].next;
        cur_line = ms->v[j].line + 1;
        i = j;
    }
    if (pgmcg__split_range(L, in, s, cur, b - cur, cur_line, 1))
        rc = -1;
    return rc;
}

static const pgmcg__section_syntax goose_syntax = {
    "'-- +goose Up'", "'-- +goose Down'", marker, check, before_up, split,
};

/* A VERSION_x.sql file (not one of a pair) with a goose annotation line. */
static int detect(const pgmcg_input *in)
{
    if (!pgmcg__numeric_prefix(in->rel) || pgmcg__pair_name(in->rel))
        return 0;
    size_t pos = 0, next;
    while (pos < in->len) {
        size_t e = pgmcg__line_end(in->data, in->len, pos, &next);
        uint32_t col;
        if (goose_marker(in->data + pos, e - pos, &col) != PGMCG__MARK_NONE)
            return 1;
        pos = next;
    }
    return 0;
}

static int parse(pgmcg__loader *L)
{
    return pgmcg__parse_sectioned(L, &goose_syntax);
}

static const char goose_up[] = "-- +goose Up\n"
                               "-- +goose StatementBegin\n"
                               "SELECT 'up SQL query';\n"
                               "-- +goose StatementEnd\n";
static const char goose_both[] = "-- +goose Up\n"
                                 "-- +goose StatementBegin\n"
                                 "SELECT 'up SQL query';\n"
                                 "-- +goose StatementEnd\n"
                                 "\n"
                                 "-- +goose Down\n"
                                 "-- +goose StatementBegin\n"
                                 "SELECT 'down SQL query';\n"
                                 "-- +goose StatementEnd\n";

static int new_files(const pgmcg_new_request *rq, pgmcg_new_files *out)
{
    out->rel[0] = pgmcg__cat4(rq->version, "_", rq->slug, ".sql");
    out->body[0] = rq->no_down ? goose_up : goose_both;
    out->n = 1;
    return out->rel[0] ? 0 : -1;
}

const pgmcg_format_ops pgmcg__fmt_goose = {
    .name = "goose",
    .detect = detect,
    .parse = parse,
    .no_tx_hint = "add a line '-- +goose NO TRANSACTION'",
    .down_noun = "down",
    .up_noun = "up migration",
    .new_timestamps = 0,
    .pad_width = 4,
    .dashed_timestamps = 0,
    .new_files = new_files,
};
