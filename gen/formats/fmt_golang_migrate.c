/* fmt_golang_migrate.c - the golang-migrate layout: VERSION_name.up.sql and
 * VERSION_name.down.sql, whole files. The parser and the pair of new files
 * are shared with sqlx (fmt_sqlx.c), which adds single VERSION_name.sql
 * files; pgmc honours sqlx's "-- no-transaction" first line in both.
 */
#include "formats/fmt_int.h"

#include <string.h>

int pgmcg__parse_whole_files(pgmcg__loader *L, int allow_plain)
{
    int rc = 0;
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        const char *nm = in->rel;
        if (!pgmcg__ends_with(nm, ".sql"))
            continue; /* a settings file of another format */
        size_t v = pgmcg__numeric_prefix(nm);
        int down = 0;
        size_t stem;
        if (v && pgmcg__ends_with(nm, ".up.sql")) {
            stem = strlen(nm) - 7;
        } else if (v && pgmcg__ends_with(nm, ".down.sql")) {
            stem = strlen(nm) - 9;
            down = 1;
        } else if (v && allow_plain && pgmcg__ends_with(nm, ".sql")) {
            stem = strlen(nm) - 4;
        } else {
            pgmcg__unknown_name(L, in,
                                allow_plain
                                    ? "VERSION_name.sql, or VERSION_name.up.sql and .down.sql"
                                    : "VERSION_name.up.sql and VERSION_name.down.sql");
            rc = -1;
            continue;
        }
        pgmcg__piece pc;
        if (pgmcg__piece_init(L, &pc, in, pgmcg__canon_version(nm, v, "", ""), nm, v, nm + v + 1,
                              stem - v - 1, PGMC_VERSIONED, down))
            return -1;
        pgmcg__script_range(&pc.s, in, 0, in->len, 1, 1);
        if (pgmcg__starts_no_tx(in)) {
            pc.s.no_tx_annotated = 1;
            pc.s.annotation = "-- no-transaction";
            pc.s.annotation_line = 1;
        }
        if (pgmcg__split_range(L, in, &pc.s, 0, in->len, 1, 1))
            rc = -1;
        if (pgmcg__piece_push(L, &pc)) {
            pgmcg__piece_free(&pc);
            return -1;
        }
    }
    return rc;
}

int pgmcg__new_pair(const pgmcg_new_request *rq, const char *up_body, const char *down_body,
                    pgmcg_new_files *out)
{
    out->rel[out->n] = pgmcg__cat4(rq->version, "_", rq->slug, ".up.sql");
    out->body[out->n++] = up_body;
    if (!rq->no_down) {
        out->rel[out->n] = pgmcg__cat4(rq->version, "_", rq->slug, ".down.sql");
        out->body[out->n++] = down_body;
    }
    return out->rel[0] && (out->n < 2 || out->rel[1]) ? 0 : -1;
}

static int detect(const pgmcg_input *in)
{
    return pgmcg__numeric_prefix(in->rel) && pgmcg__pair_name(in->rel);
}

static int parse(pgmcg__loader *L)
{
    return pgmcg__parse_whole_files(L, 0);
}

static int new_files(const pgmcg_new_request *rq, pgmcg_new_files *out)
{
    return pgmcg__new_pair(rq, "", "", out);
}

const pgmcg_format_ops pgmcg__fmt_golang_migrate = {
    .name = "golang-migrate",
    .detect = detect,
    .parse = parse,
    /* golang-migrate has no marker of its own: sqlx's is honoured. */
    .no_tx_hint = "make '-- no-transaction' its first line",
    .down_noun = "down",
    .up_noun = "up migration",
    .new_timestamps = 0,
    .pad_width = 4,
    .dashed_timestamps = 0,
    .new_files = new_files,
};
