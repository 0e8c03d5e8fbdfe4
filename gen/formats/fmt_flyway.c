/* fmt_flyway.c - the flyway layout: V<version>__<desc>.sql (versioned; the
 * version's parts separated by '.' or '_'), U<version>__<desc>.sql (its
 * undo, read as the down), R__<desc>.sql (repeatable), each optionally with
 * a <file>.sql.conf whose `executeInTransaction=false` runs it outside a
 * transaction.
 */
#include "formats/fmt_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [VU]<digits>([._]<digits>)*__<desc>.sql or R__<desc>.sql. Sets *kind
 * ('V','U','R'), the version slice and the description slice. */
static int flyway_name(const char *name, char *kind, size_t *vlen, const char **desc, size_t *dlen)
{
    if (!pgmcg__ends_with(name, ".sql"))
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
    if (!pgmcg__is_digit(name[i]))
        return 0;
    for (;;) {
        while (pgmcg__is_digit(name[i]))
            i++;
        if ((name[i] == '.' || name[i] == '_') && pgmcg__is_digit(name[i + 1]))
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

static int parse(pgmcg__loader *L)
{
    int rc = 0;
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        if (!pgmcg__ends_with(in->rel, ".sql"))
            continue; /* V1__x.sql.conf is looked up below */
        char kind;
        size_t vlen, dlen;
        const char *desc;
        if (!flyway_name(in->rel, &kind, &vlen, &desc, &dlen)) {
            pgmcg__unknown_name(L, in, "V1__name.sql, U1__name.sql or R__name.sql");
            rc = -1;
            continue;
        }
        char *version =
            kind == 'R' ? pgmcg__dupn("", 0) : pgmcg__canon_version(in->rel + 1, vlen, "._", "");
        pgmcg__piece pc;
        if (pgmcg__piece_init(L, &pc, in, version, in->rel + 1, vlen, desc, dlen,
                              kind == 'R' ? PGMC_REPEATABLE : PGMC_VERSIONED, kind == 'U'))
            return -1;
        pgmcg__script_range(&pc.s, in, 0, in->len, 1, 1);
        char conf[4096];
        snprintf(conf, sizeof conf, "%s.conf", in->rel);
        pgmcg__sidecar_no_tx(L->p, conf, "executeInTransaction",
                             "executeInTransaction=false (.sql.conf)", &pc.s);
        if (pgmcg__split_range(L, in, &pc.s, 0, in->len, 1, 1))
            rc = -1;
        if (pgmcg__piece_push(L, &pc)) {
            pgmcg__piece_free(&pc);
            return -1;
        }
    }
    return rc;
}

static int detect(const pgmcg_input *in)
{
    char k;
    size_t a, b;
    const char *c;
    return flyway_name(in->rel, &k, &a, &c, &b);
}

/* "<kind><version>__<slug>.sql", malloc'd; NULL on OOM. */
static char *file_name(char kind, const pgmcg_new_request *rq)
{
    size_t n = strlen(rq->version) + strlen(rq->slug) + 8;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%c%s__%s.sql", kind, rq->version, rq->slug);
    return p;
}

/* V<n>__name.sql, and its U file when the folder already has undo files. */
static int new_files(const pgmcg_new_request *rq, pgmcg_new_files *out)
{
    out->rel[out->n] = file_name('V', rq);
    out->body[out->n++] = "";
    if (rq->has_downs && !rq->no_down) {
        out->rel[out->n] = file_name('U', rq);
        out->body[out->n++] = "";
    }
    return out->rel[0] && (out->n < 2 || out->rel[1]) ? 0 : -1;
}

const pgmcg_format_ops pgmcg__fmt_flyway = {
    .name = "flyway",
    .detect = detect,
    .parse = parse,
    .no_tx_hint = "put 'executeInTransaction=false' in a <file>.sql.conf next to it",
    .down_noun = "undo",
    .up_noun = "versioned (V) migration",
    .new_timestamps = 0,
    .pad_width = 0,
    .dashed_timestamps = 0,
    .new_files = new_files,
};
