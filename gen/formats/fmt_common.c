/* fmt_common.c - helpers the format parsers share (see fmt_int.h): names,
 * versions, lines, settings files, pieces, and statement splitting.
 *
 * Statements are split by pgmcg_split on NUL-terminated ranges: the file
 * buffer is ours, so the byte after a range is set to '\0' for the call and
 * restored afterwards.
 */
#include "formats/fmt_int.h"

#include <stdlib.h>
#include <string.h>

char *pgmcg__dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

int pgmcg__ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !memcmp(s + n - m, suf, m);
}

int pgmcg__is_digit(char c)
{
    return c >= '0' && c <= '9';
}

size_t pgmcg__numeric_prefix(const char *name)
{
    size_t i = 0;
    while (pgmcg__is_digit(name[i]))
        i++;
    return i && name[i] == '_' ? i : 0;
}

int pgmcg__pair_name(const char *name)
{
    return pgmcg__ends_with(name, ".up.sql") || pgmcg__ends_with(name, ".down.sql");
}

char *pgmcg__canon_version(const char *s, size_t n, const char *seps, const char *drop)
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
        for (; i < n && (pgmcg__is_digit(s[i]) || strchr(drop, s[i])); i++) {
            if (!pgmcg__is_digit(s[i]))
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

size_t pgmcg__line_end(const char *d, size_t len, size_t pos, size_t *next)
{
    const char *nl = memchr(d + pos, '\n', len - pos);
    size_t e = nl ? (size_t)(nl - d) : len;
    *next = nl ? e + 1 : len;
    return e;
}

int pgmcg__starts_no_tx(const pgmcg_input *in)
{
    return in->len >= 17 && !memcmp(in->data, "-- no-transaction", 17);
}

int pgmcg__setting_is(const pgmcg_input *in, const char *key, const char *value)
{
    size_t pos = 0, next, kn = strlen(key), vn = strlen(value);
    while (pos < in->len) {
        size_t e = pgmcg__line_end(in->data, in->len, pos, &next);
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

void pgmcg__sidecar_no_tx(const pgmcg_project *p, const char *rel, const char *key,
                          const char *annotation, pgmcg_gen_script *s)
{
    const pgmcg_input *in = pgmcg__find_input(p, rel);
    if (in && pgmcg__setting_is(in, key, "false")) {
        s->no_tx_annotated = 1;
        s->annotation = annotation;
    }
}

const pgmcg_input *pgmcg__find_input(const pgmcg_project *p, const char *rel)
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

void pgmcg__unknown_name(pgmcg__loader *L, const pgmcg_input *in, const char *expected)
{
    pgmcg_diag_error(L->diag, in->path, 0, 0, "not a %s migration file name (expected %s)",
                     L->fmt->name, expected);
}

int pgmcg__piece_push(pgmcg__loader *L, pgmcg__piece *pc)
{
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 64;
        pgmcg__piece *v = realloc(L->pieces, cap * sizeof *v);
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

void pgmcg__piece_free(pgmcg__piece *pc)
{
    free(pc->version);
    free(pc->raw);
    free(pc->name);
    pgmcg_stmt_vec_free(&pc->s.stmts);
    free(pc->s.tx_note);
}

int pgmcg__piece_init(pgmcg__loader *L, pgmcg__piece *pc, const pgmcg_input *in, char *version,
                      const char *raw, size_t raw_len, const char *name, size_t name_len,
                      pgmc_migration_kind kind, int down)
{
    memset(pc, 0, sizeof *pc);
    pc->version = version;
    pc->raw = pgmcg__dupn(raw, raw_len);
    pc->name = pgmcg__dupn(name, name_len);
    pc->kind = kind;
    pc->down = down;
    pc->s.input = in;
    if (!pc->version || !pc->raw || !pc->name) {
        pgmcg__piece_free(pc);
        L->oom = 1;
        return -1;
    }
    return 0;
}

void pgmcg__script_range(pgmcg_gen_script *s, const pgmcg_input *in, size_t off, size_t len,
                         uint32_t line, uint32_t col)
{
    s->input = in;
    s->sql = in->data + off;
    s->sql_len = len;
    s->first_line = line;
    s->first_col = col;
}

int pgmcg__split_range(pgmcg__loader *L, const pgmcg_input *in, pgmcg_gen_script *s, size_t off,
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

int pgmcg__stmt_push(pgmcg_stmt_vec *sv, pgmc_statement st)
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

char *pgmcg__cat4(const char *a, const char *b, const char *c, const char *d)
{
    const char *v[4] = {a, b, c, d};
    size_t n = 0;
    for (int i = 0; i < 4; i++)
        n += v[i] ? strlen(v[i]) : 0;
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    p[0] = '\0';
    for (int i = 0; i < 4; i++)
        if (v[i])
            strcat(p, v[i]);
    return p;
}

void pgmcg_new_files_free(pgmcg_new_files *f)
{
    free(f->dir);
    for (int i = 0; i < 2; i++)
        free(f->rel[i]);
    memset(f, 0, sizeof *f);
}
