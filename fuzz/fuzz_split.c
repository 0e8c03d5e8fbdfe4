/* fuzz_split.c - libFuzzer target for the statement splitter.
 *
 * Splits arbitrary bytes, checks that statements are in bounds, ordered,
 * non-overlapping and start/end on significant bytes, and that the fast
 * path (pgmcg_lex_skip) gives exactly the statements and diagnostics of the
 * token-by-token reference build of the same splitter (split_ref.c).
 */
#include "syntax/split.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int pgmc_split_ref(const char *file, const char *buf, size_t len, uint32_t first_line,
                   uint32_t first_col, pgmcg_stmt_vec *out, pgmcg_diag *diag);
void pgmc_stmt_vec_free_ref(pgmcg_stmt_vec *sv);

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void check_statements(const char *buf, size_t size, const pgmcg_stmt_vec *sv)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < sv->n; i++) {
        const pgmc_statement *st = &sv->v[i];
        if (st->length == 0 || st->offset < prev_end || (size_t)st->offset + st->length > size)
            abort();
        if (is_space(buf[st->offset]) || is_space(buf[st->offset + st->length - 1]))
            abort();
        if (st->line == 0 || st->column == 0)
            abort();
        prev_end = (size_t)st->offset + st->length;
    }
}

static int same(const pgmcg_stmt_vec *a, const pgmcg_stmt_vec *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof a->v[0]) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    pgmcg_diag d1, d2;
    pgmcg_stmt_vec s1 = {0}, s2 = {0};
    pgmcg_diag_init(&d1, NULL);
    pgmcg_diag_init(&d2, NULL);
    int r1 = pgmcg_split("f.sql", buf, size, 1, 1, &s1, &d1);
    int r2 = pgmc_split_ref("f.sql", buf, size, 1, 1, &s2, &d2);
    if (r1 != r2 || (r1 == 0 && d1.errors != 0) || (r1 != 0 && d1.errors == 0))
        abort();
    if (r1 == 0) {
        check_statements(buf, size, &s1);
        if (!same(&s1, &s2))
            abort();
    }
    if (d1.len != d2.len || (d1.len && memcmp(d1.text, d2.text, d1.len) != 0))
        abort();
    pgmcg_stmt_vec_free(&s1);
    pgmc_stmt_vec_free_ref(&s2);
    pgmcg_diag_free(&d1);
    pgmcg_diag_free(&d2);
    free(buf);
    return 0;
}
