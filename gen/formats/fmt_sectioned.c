/* fmt_sectioned.c - the parser goose and dbmate share: VERSION_name.sql
 * files holding an up section and optionally a down section, each starting
 * at a marker line. What a marker looks like, what else a marker line may
 * say (goose annotations, dbmate options) and how a section splits into
 * statements come from the format's pgmcg__section_syntax (fmt_goose.c,
 * fmt_dbmate.c). Sections are slices of their file.
 */
#include "formats/fmt_int.h"

#include <stdlib.h>
#include <string.h>

static int marks_push(pgmcg__marks *ms, pgmcg__mark m)
{
    if (ms->n == ms->cap) {
        size_t cap = ms->cap ? ms->cap * 2 : 8;
        pgmcg__mark *v = realloc(ms->v, cap * sizeof *v);
        if (!v)
            return -1;
        ms->v = v;
        ms->cap = cap;
    }
    ms->v[ms->n++] = m;
    return 0;
}

/* Collect one file's markers. */
static int collect_marks(pgmcg__loader *L, const pgmcg_input *in, const pgmcg__section_syntax *syn,
                         pgmcg__marks *ms)
{
    size_t pos = 0, next;
    uint32_t line = 1;
    while (pos < in->len) {
        size_t e = pgmcg__line_end(in->data, in->len, pos, &next);
        pgmcg__mark m = {0, pos, next, line, 0, 0};
        syn->marker(L, in, in->data + pos, e - pos, &m);
        if (m.kind && marks_push(ms, m)) {
            L->oom = 1;
            return -1;
        }
        pos = next;
        line++;
    }
    return 0;
}

/* Report SQL found where no section applies (before the up marker). */
static int check_no_sql(pgmcg__loader *L, const pgmcg_input *in, size_t len, const char *where)
{
    pgmcg_gen_script tmp;
    memset(&tmp, 0, sizeof tmp);
    pgmcg__script_range(&tmp, in, 0, len, 1, 1);
    int r = pgmcg__split_range(L, in, &tmp, 0, len, 1, 1);
    if (r == 0 && tmp.stmts.n) {
        pgmcg_diag_error(L->diag, in->path, tmp.stmts.v[0].line, tmp.stmts.v[0].column,
                         "SQL before %s belongs to no migration direction", where);
        r = -1;
    }
    pgmcg_stmt_vec_free(&tmp.stmts);
    return r;
}

/* Find the up and down markers among ms, checking every marker. Returns 1
 * if an error was reported. */
static int find_sections(pgmcg__loader *L, const pgmcg_input *in, const pgmcg__section_syntax *syn,
                         const pgmcg__marks *ms, const pgmcg__mark **up, const pgmcg__mark **down,
                         const char *annotation[2], uint32_t ann_line[2])
{
    int bad = 0;
    for (size_t k = 0; k < ms->n; k++) {
        const pgmcg__mark *m = &ms->v[k];
        int is_up = m->kind == PGMCG__MARK_UP;
        int is_down = m->kind == PGMCG__MARK_DOWN;
        if (is_up || is_down) {
            const pgmcg__mark **slot = is_up ? up : down;
            if (*slot) {
                pgmcg_diag_error(L->diag, in->path, m->line, m->col,
                                 "second %s marker (the first is on line %u)",
                                 is_up ? syn->up_name : syn->down_name, (*slot)->line);
                bad = 1;
            } else if (is_up && *down) {
                pgmcg_diag_error(L->diag, in->path, m->line, m->col, "%s after %s", syn->up_name,
                                 syn->down_name);
                bad = 1;
            }
            *slot = m;
        }
        if (syn->check(L, in, m, is_up, is_down, annotation, ann_line))
            bad = 1;
    }
    return bad;
}

/* The pieces of one file. Returns 0, 1 (errors reported: go on with the
 * next file) or -1 (out of memory: stop). */
static int parse_file(pgmcg__loader *L, const pgmcg_input *in, const pgmcg__section_syntax *syn,
                      size_t v)
{
    const char *nm = in->rel;
    pgmcg__marks ms = {0};
    if (collect_marks(L, in, syn, &ms)) {
        free(ms.v);
        return -1;
    }
    const pgmcg__mark *up = NULL, *down = NULL;
    const char *annotation[2] = {NULL, NULL};
    uint32_t ann_line[2] = {0, 0};
    int bad = find_sections(L, in, syn, &ms, &up, &down, annotation, ann_line);
    if (!up && !bad) {
        pgmcg_diag_error(L->diag, in->path, 0, 0, "no %s marker", syn->up_name);
        bad = 1;
    }
    if (!bad && syn->before_up && syn->before_up(L, in, &ms, up))
        bad = 1;
    if (bad || check_no_sql(L, in, up->off, syn->up_name)) {
        free(ms.v);
        return 1;
    }
    int rc = 0;
    for (int dir = 0; dir < 2; dir++) {
        const pgmcg__mark *m = dir ? down : up;
        if (!m)
            continue;
        size_t a = m->next, b = dir || !down ? in->len : down->off;
        pgmcg__piece pc;
        if (pgmcg__piece_init(L, &pc, in, pgmcg__canon_version(nm, v, "", ""), nm, v, nm + v + 1,
                              strlen(nm) - 4 - v - 1, PGMC_VERSIONED, dir)) {
            free(ms.v);
            return -1;
        }
        pgmcg__script_range(&pc.s, in, a, b - a, m->line + 1, 1);
        if (annotation[dir]) {
            pc.s.no_tx_annotated = 1;
            pc.s.annotation = annotation[dir];
            pc.s.annotation_line = ann_line[dir];
        }
        if (syn->split(L, in, &pc.s, &ms, a, b, m->line + 1))
            rc = 1;
        if (pgmcg__piece_push(L, &pc)) {
            pgmcg__piece_free(&pc);
            free(ms.v);
            return -1;
        }
    }
    free(ms.v);
    return rc;
}

int pgmcg__parse_sectioned(pgmcg__loader *L, const pgmcg__section_syntax *syn)
{
    int rc = 0;
    for (size_t i = 0; i < L->p->n_inputs; i++) {
        const pgmcg_input *in = &L->p->inputs[i];
        const char *nm = in->rel;
        if (!pgmcg__ends_with(nm, ".sql"))
            continue; /* a settings file of another format */
        size_t v = pgmcg__numeric_prefix(nm);
        if (!v || pgmcg__pair_name(nm)) {
            pgmcg__unknown_name(L, in, "VERSION_name.sql");
            rc = -1;
            continue;
        }
        int r = parse_file(L, in, syn, v);
        if (r < 0)
            return -1;
        if (r)
            rc = -1;
    }
    return rc;
}
