/* test_emit_rows.c - the row-struct emitter on a hand-built catalog
 * (tests/support/rows_catalog.h): golden output in tests/golden/rows/
 * expected/rows.{h,c} (PGMC_UPDATE_GOLDEN=1 rewrites it; review the diff),
 * plus the C identifier rule and determinism. The golden files are also
 * compiled with the strict warnings and decoded into by
 * tests/db/test_rows_decode.c.
 */
#include "emit/emit.h"
#include "emit/emit_rows.h"
#include "util/fsutil.h"

#include "../support/rows_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c);                  \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static void check_ident(const char *in, const char *want)
{
    char out[128];
    pgmcg_rows_c_ident(in, out, sizeof out);
    checks++;
    if (strcmp(out, want)) {
        fprintf(stderr, "c_ident(\"%s\") = \"%s\", expected \"%s\"\n", in, out, want);
        failures++;
    }
}

static int contains(const pgmcg_buf *b, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= b->len; i++)
        if (!memcmp(b->p + i, s, n))
            return 1;
    return 0;
}

static void golden(const char *name, const pgmcg_buf *got, int update)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/golden/rows/expected/%s", PGMC_SOURCE_DIR, name);
    if (update) {
        char *tmp;
        int e = pgmcg_mkdirs(PGMC_SOURCE_DIR "/tests/golden/rows/expected");
        if (!e)
            e = pgmcg_write_prepare(path, got->p, got->len, &tmp);
        if (!e)
            e = pgmcg_write_commit(tmp, path);
        CHECK(e == 0);
        printf("updated %s\n", path);
        return;
    }
    char *want;
    size_t wn;
    int e = pgmcg_read_file(path, &want, &wn);
    CHECK(e == 0);
    if (e)
        return;
    int same = wn == got->len && !memcmp(want, got->p, wn);
    CHECK(same);
    if (!same)
        fprintf(stderr, "%s differs from the emitter's output (PGMC_UPDATE_GOLDEN=1 rewrites)\n",
                path);
    free(want);
}

static const char flat[] = "enum app.status 0001 active\n"
                           "schema app\n"
                           "schema public\n";

static void render(pgmcg_buf *h, pgmcg_buf *c)
{
    pgmcg_catalog cat;
    rows_catalog_build(&cat);
    pgmcg_project p;
    memset(&p, 0, sizeof p);
    p.format = "hand";
    CHECK(pgmcg_emit_full(&p, "rows", "0000", &cat, flat, h, c) == 0);
}

int main(void)
{
    const char *u = getenv("PGMC_UPDATE_GOLDEN");
    int update = u && !strcmp(u, "1");

    check_ident("email", "email");
    check_ident("Weird Name", "Weird_Name");
    check_ident("1st", "_1st");
    check_ident("int", "int_");
    check_ident("bool", "bool_");
    check_ident("errno", "errno_");
    check_ident("caf\xc3\xa9", "caf_");
    check_ident("\xe6\x97\xa5\xe6\x9c\xac", "__");
    check_ident("__x", "x__x");
    check_ident("_Foo", "x_Foo");
    check_ident("_foo", "_foo");
    check_ident("a-b.c", "a_b_c");
    check_ident("", "_");

    pgmcg_buf h = {0}, c = {0}, h2 = {0}, c2 = {0};
    render(&h, &c);
    render(&h2, &c2);
    CHECK(h.len == h2.len && !memcmp(h.p, h2.p, h.len));
    CHECK(c.len == c2.len && !memcmp(c.p, c2.p, c.len));

    /* Naming and collisions, as README.md documents them. */
    CHECK(contains(&h, "typedef struct rows_all_types {"));
    CHECK(contains(&h, "typedef struct rows_app_events {"));
    CHECK(contains(&h, "typedef struct rows_active_moods {")); /* a view */
    CHECK(contains(&h, "typedef struct rows_measurements {")); /* partitioned */
    CHECK(!contains(&h, "rows_measurements_2024"));            /* its partition */
    CHECK(contains(&h, "    bool t_null;"));                   /* column t's flag */
    CHECK(contains(&h, "    pgmc_text t_null_2;"));            /* column "t_null" */
    CHECK(contains(&h, "    int32_t int_;"));
    CHECK(contains(&h, "    pgmc_text _1st;"));
    CHECK(contains(&h, "    pgmc_text Weird_Name;"));
    CHECK(contains(&h, "    int32_t dom;")); /* domain: its base */
    CHECK(contains(&h, "    rows_mood mood;"));
    CHECK(contains(&h, "    int64_t id;           /* bigint NOT NULL */\n    int16_t i2;"));
    CHECK(contains(&h, "ROWS_MOOD_VERY_HAPPY = 3"));
    CHECK(contains(&h, "ROWS_MOOD__UNKNOWN = -1"));
    CHECK(contains(&h, "rows_mood rows_mood_from_string(const char *s);"));
    CHECK(contains(&h, "#error Regenerate this file"));
    {
        char abi[64];
        snprintf(abi, sizeof abi, "#if PGMC_ABI_VERSION != %d\n", PGMC_ABI_VERSION);
        CHECK(contains(&h, abi)); /* the runtime header's number, not a literal */
    }
    CHECK(contains(&c, "\\\"unk\\\"::text AS \\\"unk\\\""));  /* unmapped: cast */
    CHECK(contains(&c, ", \"\\\"app\\\".\\\"events\\\"\",")); /* qualified */
    CHECK(contains(&c, "enum app.status 0001 active\\n"));    /* catalog_flat */
    CHECK(contains(&c, ".n_tables = 4,"));
    CHECK(contains(&c, ".n_enums = 2,"));

    /* No catalog: no row section, an empty flat form. */
    pgmcg_buf h3 = {0}, c3 = {0};
    pgmcg_project p;
    memset(&p, 0, sizeof p);
    p.format = "hand";
    CHECK(pgmcg_emit_full(&p, "none", "0000", NULL, NULL, &h3, &c3) == 0);
    CHECK(!contains(&h3, "typedef struct"));
    CHECK(contains(&c3, "    \"\\0\"\n    ;\n")); /* the empty flat form */
    CHECK(contains(&c3, ".catalog_flat = none_sql + 0,"));

    /* The compact flat form (runtime/pgmc_schema.h): kind and name shared
     * with the last full line become a leading space. */
    {
        pgmcg_buf f = {0};
        pgmcg_catalog_flat_compact("column public.\"my t\" 0001 a - int\n"
                                   "column public.\"my t\" 0002 b not_null text\n"
                                   "column public.u 0001 a - int\n"
                                   "enum public.e 0001 x\n"
                                   "enum public.e 0002 y\n"
                                   "schema public\n",
                                   &f);
        pgmcg_buf_putc(&f, '\0');
        CHECK(f.p && !strcmp(f.p, "column public.\"my t\" 0001 a - int\n"
                                  " 0002 b not_null text\n"
                                  "column public.u 0001 a - int\n"
                                  "enum public.e 0001 x\n"
                                  " 0002 y\n"
                                  "schema public\n"));
        pgmcg_buf_free(&f);
    }

    golden("rows.h", &h, update);
    golden("rows.c", &c, update);

    pgmcg_buf_free(&h);
    pgmcg_buf_free(&c);
    pgmcg_buf_free(&h2);
    pgmcg_buf_free(&c2);
    pgmcg_buf_free(&h3);
    pgmcg_buf_free(&c3);
    printf("test_emit_rows: %d checks, %d failures\n", checks, failures);
    return failures != 0;
}
