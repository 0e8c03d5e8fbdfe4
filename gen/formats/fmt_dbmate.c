/* fmt_dbmate.c - the dbmate layout: VERSION_name.sql with "-- migrate:up"
 * and "-- migrate:down" sections (fmt_sectioned.c); the only option a
 * marker may carry is transaction:false|true. An indented marker, which
 * dbmate rejects, is read as a marker with a note.
 */
#include "formats/fmt_int.h"

#include <string.h>

/* The marker "-- migrate:up [options]" on l[0..n): PGMCG__MARK_UP or
 * _DOWN, else PGMCG__MARK_NONE. *indent is the offset of "--", *opts of
 * what follows the keyword. */
static int dbmate_marker(const char *l, size_t n, size_t *indent, size_t *opts)
{
    size_t i = 0;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    *indent = i;
    if (n - i < 12 || l[i] != '-' || l[i + 1] != '-')
        return PGMCG__MARK_NONE;
    i += 2;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (n - i < 10 || memcmp(l + i, "migrate:", 8))
        return PGMCG__MARK_NONE;
    i += 8;
    int kind;
    if (n - i >= 2 && !memcmp(l + i, "up", 2)) {
        kind = PGMCG__MARK_UP;
        i += 2;
    } else if (n - i >= 4 && !memcmp(l + i, "down", 4)) {
        kind = PGMCG__MARK_DOWN;
        i += 4;
    } else {
        return PGMCG__MARK_NONE;
    }
    if (i < n && l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
        return PGMCG__MARK_NONE;
    *opts = i;
    return kind;
}

static void marker(pgmcg__loader *L, const pgmcg_input *in, const char *l, size_t n, pgmcg__mark *m)
{
    size_t indent;
    m->kind = dbmate_marker(l, n, &indent, &m->opts);
    m->col = (uint32_t)indent + 1;
    if (m->kind && indent) {
        /* upchieve has three of these. dbmate rejects them; read as SQL
         * they would put the down SQL into the up section, so pgmc reads
         * them as markers and says so. */
        pgmcg_diag_note(L->diag, in->path, m->line, m->col,
                        "indented '-- migrate:%s' read as a section marker (dbmate "
                        "wants it at the start of the line)",
                        m->kind == PGMCG__MARK_UP ? "up" : "down");
    }
}

/* Options after the keyword: only transaction:true|false. */
static int check(pgmcg__loader *L, const pgmcg_input *in, const pgmcg__mark *m, int is_up,
                 int is_down, const char *annotation[2], uint32_t ann_line[2])
{
    if (!is_up && !is_down)
        return 0;
    int bad = 0;
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
            annotation[is_down] =
                is_down ? "-- migrate:down transaction:false" : "-- migrate:up transaction:false";
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
    return bad;
}

static int split(pgmcg__loader *L, const pgmcg_input *in, pgmcg_gen_script *s,
                 const pgmcg__marks *ms, size_t a, size_t b, uint32_t line)
{
    (void)ms;
    return pgmcg__split_range(L, in, s, a, b - a, line, 1);
}

static const pgmcg__section_syntax dbmate_syntax = {
    "'-- migrate:up'", "'-- migrate:down'", marker, check, NULL, split,
};

/* A VERSION_x.sql file (not one of a pair) with a dbmate marker line. */
static int detect(const pgmcg_input *in)
{
    if (!pgmcg__numeric_prefix(in->rel) || pgmcg__pair_name(in->rel))
        return 0;
    size_t pos = 0, next;
    while (pos < in->len) {
        size_t e = pgmcg__line_end(in->data, in->len, pos, &next);
        size_t a, b;
        if (dbmate_marker(in->data + pos, e - pos, &a, &b) != PGMCG__MARK_NONE)
            return 1;
        pos = next;
    }
    return 0;
}

static int parse(pgmcg__loader *L)
{
    return pgmcg__parse_sectioned(L, &dbmate_syntax);
}

static int new_files(const pgmcg_new_request *rq, pgmcg_new_files *out)
{
    out->rel[0] = pgmcg__cat4(rq->version, "_", rq->slug, ".sql");
    out->body[0] = rq->no_down ? "-- migrate:up\n\n" : "-- migrate:up\n\n\n-- migrate:down\n\n";
    out->n = 1;
    return out->rel[0] ? 0 : -1;
}

const pgmcg_format_ops pgmcg__fmt_dbmate = {
    .name = "dbmate",
    .detect = detect,
    .parse = parse,
    .no_tx_hint = "write the marker as '-- migrate:up transaction:false'",
    .down_noun = "down",
    .up_noun = "up migration",
    .new_timestamps = 1,
    .pad_width = 4,
    .dashed_timestamps = 0,
    .new_files = new_files,
};
