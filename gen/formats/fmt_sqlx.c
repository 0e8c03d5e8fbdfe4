/* fmt_sqlx.c - the sqlx layout: VERSION_name.sql (up only), or the pairs
 * VERSION_name.up.sql / .down.sql that golang-migrate also uses (the
 * parser is shared, fmt_golang_migrate.c). A first line
 * "-- no-transaction" runs the file outside a transaction; in a folder of
 * pairs it is what tells sqlx from golang-migrate.
 */
#include "formats/fmt_int.h"

static int detect(const pgmcg_input *in)
{
    return pgmcg__numeric_prefix(in->rel) && pgmcg__pair_name(in->rel) && pgmcg__starts_no_tx(in);
}

static int parse(pgmcg__loader *L)
{
    return pgmcg__parse_whole_files(L, 1);
}

/* `sqlx migrate add` writes single files unless the folder has pairs. */
static int new_files(const pgmcg_new_request *rq, pgmcg_new_files *out)
{
    if (rq->has_pairs)
        return pgmcg__new_pair(rq, "-- Add up migration script here\n",
                               "-- Add down migration script here\n", out);
    out->rel[0] = pgmcg__cat4(rq->version, "_", rq->slug, ".sql");
    out->body[0] = "-- Add migration script here\n";
    out->n = 1;
    return out->rel[0] ? 0 : -1;
}

const pgmcg_format_ops pgmcg__fmt_sqlx = {
    .name = "sqlx",
    .detect = detect,
    .parse = parse,
    .no_tx_hint = "make '-- no-transaction' its first line",
    .down_noun = "down",
    .up_noun = "up migration",
    .new_timestamps = 0,
    .pad_width = 4,
    .dashed_timestamps = 0,
    .new_files = new_files,
};
