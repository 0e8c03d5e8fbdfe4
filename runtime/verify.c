/* verify.c - `verify`: compare the schema the migrations describe (the
 * generator's catalog, in the flat form specified in pgmc_schema.h, full
 * or compact) with the live database's (live_catalog.c), line by line,
 * and report every difference. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "pgmc_internal.h"

typedef struct line {
    const char *p;
    size_t n;
} line;

typedef struct lines {
    line *v;
    size_t n;
} lines;

static int line_cmp(const line *a, const line *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->p, b->p, n);

    if (c)
        return c;
    return a->n < b->n ? -1 : a->n > b->n;
}

static int line_qcmp(const void *a, const void *b)
{
    return line_cmp(a, b);
}

/* Split `text` into its non-empty lines, sorted bytewise. The lines point
 * into `text`; ls->v is malloc'd. Returns 0, or -1 out of memory. */
static int split_lines(const char *text, lines *ls)
{
    size_t cap = 1, i = 0, k;
    const char *p;

    ls->n = 0;
    for (p = text; *p; p++)
        cap += *p == '\n';
    ls->v = malloc(cap * sizeof *ls->v);
    if (!ls->v)
        return -1;
    p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n) {
            ls->v[i].p = p;
            ls->v[i].n = n;
            i++;
        }
        p += e ? (size_t)(e - p) + 1 : strlen(p);
    }
    qsort(ls->v, i, sizeof *ls->v, line_qcmp);
    /* A repeated fact is one fact. */
    ls->n = 0;
    for (k = 0; k < i; k++)
        if (!ls->n || line_cmp(&ls->v[ls->n - 1], &ls->v[k]) != 0)
            ls->v[ls->n++] = ls->v[k];
    return 0;
}

/* The end of the space-separated token at p (double-quoted parts may hold
 * spaces; "" inside quotes toggles twice, so it needs no special case). */
static const char *token_end(const char *p, const char *end)
{
    int q = 0;

    while (p < end && (q || *p != ' ')) {
        if (*p == '"')
            q = !q;
        p++;
    }
    return p;
}

/* Where a line's key ends: the facts that identify the object, so that a
 * missing and an extra line with the same key are one "differs". The key
 * is the first `keep` tokens, plus for columns and attributes the name
 * after the position (the position is then part of the value). */
typedef struct split {
    line key1; /* "column public.users" */
    line pos;  /* "0003", or empty */
    line key2; /* "email", or empty */
    line val;  /* "not_null citext" */
} split;

static line mk(const char *a, const char *b)
{
    line l;

    l.p = a;
    l.n = (size_t)(b - a);
    return l;
}

static void split_line(const line *l, split *s)
{
    const char *p = l->p, *end = l->p + l->n, *t, *kind_end = token_end(p, end);
    size_t kn = (size_t)(kind_end - p);
    int keep;

    memset(s, 0, sizeof *s);
    s->pos.p = s->key2.p = s->val.p = end;
    if ((kn == 6 && !memcmp(p, "column", 6)) || (kn == 9 && !memcmp(p, "attribute", 9))) {
        /* kind rel pos name | rest */
        const char *rel_end = token_end(kind_end + 1 < end ? kind_end + 1 : end, end);
        const char *pos_b = rel_end < end ? rel_end + 1 : end, *pos_e = token_end(pos_b, end);
        const char *nm_b = pos_e < end ? pos_e + 1 : end, *nm_e = token_end(nm_b, end);
        s->key1 = mk(p, rel_end);
        s->pos = mk(pos_b, pos_e);
        s->key2 = mk(nm_b, nm_e);
        s->val = mk(nm_e < end ? nm_e + 1 : end, end);
        return;
    }
    /* enum T pos | label; relation R | kind; partition R | parent;
     * domain T | flags type; anything else: the whole line. */
    if (kn == 4 && !memcmp(p, "enum", 4))
        keep = 3;
    else if ((kn == 8 && !memcmp(p, "relation", 8)) || (kn == 9 && !memcmp(p, "partition", 9)) ||
             (kn == 6 && !memcmp(p, "domain", 6)))
        keep = 2;
    else
        keep = 0;
    if (!keep) {
        s->key1 = *l;
        return;
    }
    t = p;
    while (keep-- > 0 && t < end) {
        t = token_end(t, end);
        if (keep > 0 && t < end)
            t++;
    }
    s->key1 = mk(p, t);
    s->val = mk(t < end ? t + 1 : end, end);
}

static int line_eq(line a, line b)
{
    return a.n == b.n && !memcmp(a.p, b.p, a.n);
}

static int key_cmp(const split *a, const split *b)
{
    int c = line_cmp(&a->key1, &b->key1);

    return c ? c : line_cmp(&a->key2, &b->key2);
}

/* One difference, in the order of the line it comes from. */
typedef struct diff {
    const line *exp, *live; /* either may be NULL */
    split se, sl;
} diff;

static int diff_qcmp(const void *a, const void *b)
{
    const diff *x = a, *y = b;

    return line_cmp(x->exp ? x->exp : x->live, y->exp ? y->exp : y->live);
}

static int diff_key_qcmp(const void *a, const void *b)
{
    const diff *x = a, *y = b;

    return key_cmp(x->exp ? &x->se : &x->sl, y->exp ? &y->se : &y->sl);
}

/* An opaque view in the migrations matches a view or matview in the
 * database, whatever its columns. */
static int opaque_match(const diff *e, const diff *l)
{
    return e->exp && l->live && !e->se.key2.n && line_eq(e->se.key1, l->sl.key1) &&
           e->se.val.n == 11 && !memcmp(e->se.val.p, "opaque-view", 11) &&
           ((l->sl.val.n == 4 && !memcmp(l->sl.val.p, "view", 4)) ||
            (l->sl.val.n == 7 && !memcmp(l->sl.val.p, "matview", 7)));
}

/* "relation <R> opaque-view" lines of `exp`: their columns are unknown. */
static int is_opaque_col(const lines *exp, const split *s)
{
    static const char pre[] = "relation ";
    size_t i, rel_n;
    const char *rel;

    if (!s->key2.n || s->key1.n < 7 || memcmp(s->key1.p, "column ", 7))
        return 0;
    rel = s->key1.p + 7;
    rel_n = s->key1.n - 7;
    for (i = 0; i < exp->n; i++) {
        const line *l = &exp->v[i];
        if (l->n == sizeof pre - 1 + rel_n + 12 && !memcmp(l->p, pre, sizeof pre - 1) &&
            !memcmp(l->p + sizeof pre - 1, rel, rel_n) &&
            !memcmp(l->p + sizeof pre - 1 + rel_n, " opaque-view", 12))
            return 1;
    }
    return 0;
}

/* The value part of a line for a "differs" message: with its position
 * in front unless the positions are the same (truncated to cap). */
static void show_value(const split *s, int same_pos, char *buf, size_t cap)
{
    if (same_pos || !s->pos.n)
        pgmc__fmt(buf, cap, "%.*s", (int)s->val.n, s->val.p);
    else
        pgmc__fmt(buf, cap, "%.*s %.*s", (int)s->pos.n, s->pos.p, (int)s->val.n, s->val.p);
}

/* The full flat text of `text`, which may be in the compact form of
 * pgmc_schema.h (a line starting with a space continues the kind and name
 * of the last full line). Returns a malloc'd copy, or NULL out of memory. */
static char *expand_compact(const char *text)
{
    size_t cap = strlen(text) * 2 + 2, n = 0, key_off = 0, key_n = 0;
    const char *p;
    char *out = malloc(cap); /* grows when continuations need more */

    if (!out)
        return NULL;
    p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t need = len + 1 + (*p == ' ' ? key_n : 0);
        if (n + need + 1 > cap) {
            size_t nc = (cap + need + 1) * 2;
            char *q = realloc(out, nc);
            if (!q) {
                free(out);
                return NULL;
            }
            out = q;
            cap = nc;
        }
        if (*p == ' ' && key_n) {
            memmove(out + n, out + key_off, key_n);
            n += key_n;
        } else if (*p != ' ') {
            const char *k = token_end(p, p + len);
            if (k < p + len)
                k = token_end(k + 1, p + len);
            key_off = n;
            key_n = (size_t)(k - p);
        }
        memcpy(out + n, p, len);
        n += len;
        out[n++] = '\n';
        p += e ? len + 1 : len;
    }
    out[n] = '\0';
    return out;
}

/* Merge the two sorted sets into the differences: lines only in `exp`
 * or only in `live`, then pair those with equal keys. */
static int compare(pgmc_ctx *c, const lines *exp, const lines *live, size_t *n_missing,
                   size_t *n_extra, size_t *n_differ)
{
    diff *d = malloc((exp->n + live->n + 1) * sizeof *d);
    size_t i = 0, j = 0, n = 0, k, out = 0;

    if (!d)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory comparing catalogs");
    while (i < exp->n || j < live->n) {
        int cmp = i == exp->n ? 1 : j == live->n ? -1 : line_cmp(&exp->v[i], &live->v[j]);
        if (cmp == 0) {
            i++, j++;
            continue;
        }
        memset(&d[n], 0, sizeof d[n]);
        if (cmp < 0) {
            d[n].exp = &exp->v[i++];
            split_line(d[n].exp, &d[n].se);
        } else {
            d[n].live = &live->v[j++];
            split_line(d[n].live, &d[n].sl);
            if (is_opaque_col(exp, &d[n].sl))
                continue;
        }
        n++;
    }
    /* Pair a missing and an extra line with the same key. The sort puts
     * them next to each other; a stable tie-break is not needed since a
     * key appears at most once per side. */
    qsort(d, n, sizeof *d, diff_key_qcmp);
    for (k = 0; k < n; k++) {
        if (k + 1 < n && diff_key_qcmp(&d[k], &d[k + 1]) == 0 && !!d[k].exp != !!d[k + 1].exp) {
            diff *e = d[k].exp ? &d[k] : &d[k + 1], *l = d[k].exp ? &d[k + 1] : &d[k];
            if (opaque_match(e, l)) {
                k++;
                continue;
            }
            d[out] = *e;
            d[out].live = l->live;
            d[out].sl = l->sl;
            out++;
            k++;
            continue;
        }
        d[out++] = d[k];
    }
    qsort(d, out, sizeof *d, diff_qcmp);
    for (k = 0; k < out; k++) {
        const diff *x = &d[k];
        if (x->exp && x->live) {
            /* Show the position only when it is what differs. */
            int same_pos = line_eq(x->se.pos, x->sl.pos);
            char ev[512], lv[512];
            show_value(&x->se, same_pos, ev, sizeof ev);
            show_value(&x->sl, same_pos, lv, sizeof lv);
            (*n_differ)++;
            if (x->se.key2.n)
                pgmc__log(c, PGMC_LOG_WARN,
                          "differs: %.*s %.*s: migrations say `%s`, database has `%s`",
                          (int)x->se.key1.n, x->se.key1.p, (int)x->se.key2.n, x->se.key2.p, ev, lv);
            else
                pgmc__log(c, PGMC_LOG_WARN, "differs: %.*s: migrations say `%s`, database has `%s`",
                          (int)x->se.key1.n, x->se.key1.p, ev, lv);
        } else if (x->exp) {
            (*n_missing)++;
            pgmc__log(c, PGMC_LOG_WARN, "missing in database: %.*s", (int)x->exp->n, x->exp->p);
        } else {
            (*n_extra)++;
            pgmc__log(c, PGMC_LOG_WARN, "not in migrations: %.*s", (int)x->live->n, x->live->p);
        }
    }
    free(d);
    return PGMC_OK;
}

static int verify_flat(pgmc_ctx *c, const char *expected)
{
    char *live = NULL, *full;
    lines e = {0}, l = {0};
    size_t missing = 0, extra = 0, differ = 0;
    int rc;

    if (!expected)
        return pgmc__fail(c, PGMC_ERR_USAGE, "verify: no expected catalog given");
    full = expand_compact(expected);
    if (!full)
        return pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory comparing catalogs");
    rc = pgmc__live_flat(c, &live, NULL);
    if (rc != PGMC_OK) {
        free(full);
        return rc;
    }
    if (split_lines(full, &e) || split_lines(live, &l))
        rc = pgmc__fail(c, PGMC_ERR_NOMEM, "out of memory comparing catalogs");
    if (rc == PGMC_OK)
        rc = compare(c, &e, &l, &missing, &extra, &differ);
    if (rc == PGMC_OK && missing + extra + differ) {
        rc = pgmc__fail(c, PGMC_ERR_VALIDATE,
                        "the database schema differs from the migrations: %zu difference%s "
                        "(%zu missing in database, %zu not in migrations, %zu differing)",
                        missing + extra + differ, missing + extra + differ == 1 ? "" : "s", missing,
                        extra, differ);
        pgmc__copy(c->res->hint, sizeof c->res->hint,
                   "a migration was changed after it was applied, the schema was changed by "
                   "hand, or the database is not at the newest migration");
    } else if (rc == PGMC_OK) {
        pgmc__log(c, PGMC_LOG_INFO, "schema matches the migrations (%zu facts compared)", e.n);
    }
    free(e.v);
    free(l.v);
    free(live);
    free(full);
    return rc;
}

int pgmc_verify_flat(PGconn *conn, const char *expected_flat, const pgmc_options *opt,
                     pgmc_result *res)
{
    pgmc_ctx c;
    int rc = pgmc__begin(&c, conn, NULL, opt, res);

    if (rc == PGMC_OK)
        rc = verify_flat(&c, expected_flat);
    return pgmc__end(&c, rc);
}

int pgmc_verify(PGconn *conn, const pgmc_schema *s, const pgmc_options *opt, pgmc_result *res)
{
    pgmc_ctx c;
    int rc = pgmc__begin(&c, conn, s, opt, res);

    if (rc == PGMC_OK && !s)
        rc = pgmc__fail(&c, PGMC_ERR_USAGE, "verify: no schema given");
#if PGMC_ABI_VERSION >= 2
    /* ABI 2 (the typed-rows branch) adds pgmc_schema.catalog_flat. This
     * guard only lets verify merge before it; drop it once ABI 2 is in. */
    else if (rc == PGMC_OK && (!s->catalog_flat || !s->catalog_flat[0]))
        rc = pgmc__fail(&c, PGMC_ERR_SCHEMA,
                        "this build carries no schema catalog to verify against; regenerate it "
                        "with a pgmc that has `verify`");
    if (rc == PGMC_OK)
        rc = verify_flat(&c, s->catalog_flat);
#else
    else if (rc == PGMC_OK)
        rc = pgmc__fail(&c, PGMC_ERR_SCHEMA,
                        "this build carries no schema catalog to verify against (schema ABI %u "
                        "has none)",
                        (unsigned)PGMC_ABI_VERSION);
#endif
    return pgmc__end(&c, rc);
}
