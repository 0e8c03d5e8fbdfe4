/* fmt_diesel.c - the diesel layout: one directory per migration,
 * VERSION_name/ (the version's dashes ignored: 2020-01-01-000000_x/)
 * holding up.sql, optionally down.sql, and optionally metadata.toml, whose
 * `run_in_transaction = false` runs both outside a transaction.
 */
#include "formats/fmt_int.h"

#include <stdio.h>
#include <string.h>

static int parse(pgmcg__loader *L)
{
    int rc = 0;
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        const char *slash = strchr(in->rel, '/');
        if (!slash && pgmcg__ends_with(in->rel, ".sql")) {
            pgmcg_diag_error(L->diag, in->path, 0, 0,
                             "not a diesel migration (expected VERSION_name/up.sql)");
            rc = -1;
            continue;
        }
        if (!slash || (strcmp(slash, "/up.sql") && strcmp(slash, "/down.sql")))
            continue; /* metadata.toml is looked up below; .sql.conf ignored */
        int down = !strcmp(slash, "/down.sql");
        size_t dn = (size_t)(slash - in->rel), v = 0;
        while (v < dn && (pgmcg__is_digit(in->rel[v]) || in->rel[v] == '-'))
            v++;
        char *version =
            v < dn && in->rel[v] == '_' ? pgmcg__canon_version(in->rel, v, "", "-") : NULL;
        if (!version) {
            pgmcg_diag_error(L->diag, in->path, 0, 0,
                             "not a diesel migration directory name (expected VERSION_name/, "
                             "e.g. 2020-01-01-000000_create_users/)");
            rc = -1;
            continue;
        }
        pgmcg__piece pc;
        if (pgmcg__piece_init(L, &pc, in, version, in->rel, v, in->rel + v + 1, dn - v - 1,
                              PGMC_VERSIONED, down))
            return -1;
        pgmcg__script_range(&pc.s, in, 0, in->len, 1, 1);
        char meta[4096];
        snprintf(meta, sizeof meta, "%.*s/metadata.toml", (int)dn, in->rel);
        pgmcg__sidecar_no_tx(L->p, meta, "run_in_transaction",
                             "run_in_transaction = false (metadata.toml)", &pc.s);
        if (pgmcg__split_range(L, in, &pc.s, 0, in->len, 1, 1))
            rc = -1;
        if (pgmcg__piece_push(L, &pc)) {
            pgmcg__piece_free(&pc);
            return -1;
        }
    }
    return rc;
}

/* An input inside a directory: only diesel directories are read. */
static int detect(const pgmcg_input *in)
{
    return strchr(in->rel, '/') != NULL;
}

static int new_files(const pgmcg_new_request *rq, pgmcg_new_files *out)
{
    out->dir = pgmcg__cat4(rq->version, "_", rq->slug, NULL);
    if (!out->dir)
        return -1;
    out->rel[out->n] = pgmcg__cat4(out->dir, "/up.sql", NULL, NULL);
    out->body[out->n++] = "-- Your SQL goes here\n";
    if (!rq->no_down) {
        out->rel[out->n] = pgmcg__cat4(out->dir, "/down.sql", NULL, NULL);
        out->body[out->n++] = "-- This file should undo anything in `up.sql`\n";
    }
    return out->rel[0] && (out->n < 2 || out->rel[1]) ? 0 : -1;
}

const pgmcg_format_ops pgmcg__fmt_diesel = {
    .name = "diesel",
    .detect = detect,
    .parse = parse,
    .no_tx_hint = "put 'run_in_transaction = false' in the migration's metadata.toml",
    .down_noun = "down",
    .up_noun = "up migration",
    .new_timestamps = 1,
    .pad_width = 4,
    .dashed_timestamps = 1,
    .new_files = new_files,
};
