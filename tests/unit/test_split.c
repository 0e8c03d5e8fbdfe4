/* test_split.c - unit tests of the statement splitter (gen/split.c).
 *
 * Splits small inputs and compares statement texts and positions, checks
 * that errors name the opening position, and splits every real-world corpus
 * file (harbor, atuin) without errors. The corpora directory is argv[1], or
 * PGMC_CORPORA_DIR when the build defines it. Exits non-zero on failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "syntax/split.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static int checks;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                            \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
        }                                                                                          \
    } while (0)

/* Statement i's tokens, expanded, are exactly the significant tokens a
 * lexer over the whole of src gives in the statement's text (kind, text,
 * line and column), and its compact span is followed by its ';' or EOF. */
static void check_span(const char *src, const pgmcg_stmt_vec *sv, size_t i, uint32_t line,
                       uint32_t col)
{
    const pgmcg_ctok *c;
    size_t n, m = 0, cap = 0;
    pgmcg_token *t = NULL;
    const pgmc_statement *st = &sv->v[i];
    if (!pgmcg_stmt_tokens(sv, i, &c, &n) || n == 0 ||
        pgmcg_stmt_expand(sv, i, src, &t, &cap, &m) != 1 || m != n) {
        CHECK(0, "[%s]: statement %zu has no tokens", src, i);
        free(t);
        return;
    }
    CHECK(pgmcg_ctok_kind(c[n]) == PGMC_TOK_SEMICOLON || pgmcg_ctok_kind(c[n]) == PGMC_TOK_EOF,
          "[%s]: statement %zu is followed by %s", src, i,
          pgmcg_tok_kind_name(pgmcg_ctok_kind(c[n])));
    pgmcg_lexer lx;
    pgmcg_token r;
    size_t k = 0;
    pgmcg_lexer_init(&lx, src, strlen(src), line, col);
    while (pgmcg_lex(&lx, &r) > PGMC_TOK_ERROR) {
        if (r.kind == PGMC_TOK_SPACE || r.kind == PGMC_TOK_LINE_COMMENT ||
            r.kind == PGMC_TOK_BLOCK_COMMENT || r.start < src + st->offset ||
            r.start >= src + st->offset + st->length)
            continue;
        CHECK(k < n && t[k].kind == r.kind && t[k].start == r.start && t[k].len == r.len &&
                  t[k].line == r.line && t[k].col == r.col,
              "[%s]: statement %zu: token %zu differs from the lexer's (%u:%u)", src, i, k, r.line,
              r.col);
        k++;
    }
    CHECK(k == n, "[%s]: statement %zu: %zu tokens, the lexer gives %zu", src, i, n, k);
    free(t);
}

/* Split src; the statement texts must be exactly the NULL-terminated
 * variadic list of strings. */
static void expect_stmts(const char *src, ...)
{
    pgmcg_diag d;
    pgmcg_stmt_vec sv = {0};
    va_list ap;
    size_t i = 0;
    pgmcg_diag_init(&d, NULL);
    int rc = pgmcg_split("t.sql", src, strlen(src), 1, 1, &sv, &d);
    CHECK(rc == 0, "[%s]: split failed: %s", src, d.text ? d.text : "");
    va_start(ap, src);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL; i++) {
        if (i >= sv.n) {
            CHECK(0, "[%s]: missing statement %zu [%s]", src, i, want);
            continue;
        }
        const pgmc_statement *st = &sv.v[i];
        CHECK(st->length == strlen(want) && memcmp(src + st->offset, want, st->length) == 0,
              "[%s]: statement %zu is [%.*s], want [%s]", src, i, (int)st->length, src + st->offset,
              want);
        check_span(src, &sv, i, 1, 1);
    }
    va_end(ap);
    CHECK(i == sv.n, "[%s]: %zu statements, want %zu", src, sv.n, i);
    pgmcg_stmt_vec_free(&sv);
    pgmcg_diag_free(&d);
}

/* Splitting src must fail with a diagnostic that contains `msg`. */
static void expect_error(const char *src, size_t len, const char *msg)
{
    pgmcg_diag d;
    pgmcg_stmt_vec sv = {0};
    pgmcg_diag_init(&d, NULL);
    int rc = pgmcg_split("t.sql", src, len, 1, 1, &sv, &d);
    CHECK(rc == -1 && d.errors > 0, "[%s]: want an error", src);
    CHECK(d.text && strstr(d.text, msg), "[%s]: diagnostics [%s] lack [%s]", src,
          d.text ? d.text : "", msg);
    pgmcg_stmt_vec_free(&sv);
    pgmcg_diag_free(&d);
}

static void test_basic(void)
{
    expect_stmts("select 1; select 2;", "select 1", "select 2", NULL);
    expect_stmts("select 1", "select 1", NULL);
    expect_stmts("  select 1  \n", "select 1", NULL);
    expect_stmts("a;\nb", "a", "b", NULL);
    expect_stmts("", NULL);
    expect_stmts(" \n\t", NULL);
    expect_stmts(";;;", NULL);
    expect_stmts("-- only a comment\n", NULL);
    expect_stmts("/* c */ ; -- x\n;", NULL);
    expect_stmts("-- head\nselect 1 -- tail\n; /* between */ select 2 /* end */", "select 1",
                 "select 2", NULL);
    expect_stmts("create table t (\n  id int -- the id\n);\n",
                 "create table t (\n  id int -- the id\n)", NULL);
    expect_stmts("insert into t values (1);insert into t values (2)", "insert into t values (1)",
                 "insert into t values (2)", NULL);
}

static void test_quoted_semicolons(void)
{
    expect_stmts("select ';'; select 2", "select ';'", "select 2", NULL);
    expect_stmts("select 'a'';b'; x", "select 'a'';b'", "x", NULL);
    expect_stmts("select E'\\';'; x", "select E'\\';'", "x", NULL);
    expect_stmts("select e'\\\\'; x", "select e'\\\\'", "x", NULL);
    expect_stmts("select U&';' UESCAPE '!'; x", "select U&';' UESCAPE '!'", "x", NULL);
    expect_stmts("select N';', B'1', X';'; x", "select N';', B'1', X';'", "x", NULL);
    expect_stmts("select \"a;b\"; x", "select \"a;b\"", "x", NULL);
    expect_stmts("select U&\"a;\"; x", "select U&\"a;\"", "x", NULL);
    expect_stmts("select 1 -- ;\n; x", "select 1", "x", NULL);
    expect_stmts("select /* ; /* ; */ ; */ 1; x", "select /* ; /* ; */ ; */ 1", "x", NULL);
    expect_stmts("select 1 +/* ; */2; x", "select 1 +/* ; */2", "x", NULL);
    expect_stmts("do $$ begin; end $$; x", "do $$ begin; end $$", "x", NULL);
    expect_stmts("create function f() returns int as $fn$ select 1; $fn$ language sql; x",
                 "create function f() returns int as $fn$ select 1; $fn$ language sql", "x", NULL);
    expect_stmts("do $outer$ begin execute $inner$ a; b $inner$; end $outer$; x",
                 "do $outer$ begin execute $inner$ a; b $inner$; end $outer$", "x", NULL);
    expect_stmts("select a$$b; x", "select a$$b", "x", NULL);
    expect_stmts("select $1; x", "select $1", "x", NULL);
    /* The fast path restarts the lexer on token boundaries: 0.0x$$ is 0.0 x$$. */
    expect_stmts("select 0.0x$$; y", "select 0.0x$$", "y", NULL);
    expect_stmts("select 1e+0x1F$$; y", "select 1e+0x1F$$", "y", NULL);
}

static void test_begin_atomic(void)
{
    static const char f1[] = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\n"
                             "BEGIN ATOMIC\n  SELECT a + 1;\n  SELECT 2;\nEND";
    expect_stmts("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\n"
                 "BEGIN ATOMIC\n  SELECT a + 1;\n  SELECT 2;\nEND;\nselect f(1);",
                 f1, "select f(1)", NULL);
    static const char f2[] = "create or replace procedure p() begin atomic\n"
                             "  insert into t select case when x then 1 else 2 end;\n"
                             "  select case x when 1 then case when y then 3 end end;\n"
                             "end";
    expect_stmts("create or replace procedure p() begin atomic\n"
                 "  insert into t select case when x then 1 else 2 end;\n"
                 "  select case x when 1 then case when y then 3 end end;\n"
                 "end; select 1",
                 f2, "select 1", NULL);
    /* Only in CREATE [OR REPLACE] FUNCTION/PROCEDURE; BEGIN alone is a transaction. */
    expect_stmts("begin; select 1; end;", "begin", "select 1", "end", NULL);
    expect_stmts("begin atomic; x", "begin atomic", "x", NULL);
    expect_stmts("create table begin (atomic int); x", "create table begin (atomic int)", "x",
                 NULL);
    /* A function named begin is not a body. */
    expect_stmts("create function begin() returns int as 'select 1' language sql; x",
                 "create function begin() returns int as 'select 1' language sql", "x", NULL);
    /* Quoted "end" does not close the body. */
    expect_stmts("create function f() returns int begin atomic select \"end\"; select 1; end; x",
                 "create function f() returns int begin atomic select \"end\"; select 1; end", "x",
                 NULL);
}

static void test_create_rule(void)
{
    expect_stmts("CREATE RULE r AS ON INSERT TO t DO ALSO (insert into a values (1); "
                 "insert into b values (2)); select 1",
                 "CREATE RULE r AS ON INSERT TO t DO ALSO (insert into a values (1); "
                 "insert into b values (2))",
                 "select 1", NULL);
    expect_stmts("create or replace rule r as on update to t do instead (update a set x = 1; "
                 "notify c);\nx",
                 "create or replace rule r as on update to t do instead (update a set x = 1; "
                 "notify c)",
                 "x", NULL);
    expect_stmts("create rule r as on delete to t do nothing; x",
                 "create rule r as on delete to t do nothing", "x", NULL);
    /* Parentheses do not protect ';' in other statements. */
    expect_stmts("select (1; 2)", "select (1", "2)", NULL);
}

/* The splitter's fast path (pgmcg_lex_skip): 16 bytes at a time, plain
 * quotes skipped whole, prefixed or unterminated ones left to the lexer. */
/* Lex once: several texts split into one vector (goose sections), with a
 * statement appended by hand between them (a StatementBegin block): spans
 * stay aligned with statements, the hand-made one has none, and erasing
 * statements keeps them aligned. */
static void test_token_spans(void)
{
    const char *a = "select 1; create function f() begin atomic select 2; end;";
    const char *b = "drop table t";
    pgmcg_diag d;
    pgmcg_stmt_vec sv = {0};
    pgmcg_diag_init(&d, NULL);
    CHECK(pgmcg_split("t.sql", a, strlen(a), 1, 1, &sv, &d) == 0, "split a");
    CHECK(sv.n == 2, "a: %zu statements", sv.n);
    pgmc_statement hand = {0, 1, 9, 1};
    sv.v[sv.n++] = hand; /* sv.cap is at least 16 */
    CHECK(pgmcg_split("t.sql", b, strlen(b), 5, 3, &sv, &d) == 0, "split b");
    CHECK(sv.n == 4 && sv.n_range == 4, "%zu statements, %zu ranges", sv.n, sv.n_range);
    const pgmcg_ctok *t;
    size_t n;
    CHECK(pgmcg_stmt_tokens(&sv, 1, &t, &n) && n == 11 &&
              pgmcg_ctok_kind(t[9]) == PGMC_TOK_SEMICOLON,
          "BEGIN ATOMIC span keeps its inner ';'");
    CHECK(!pgmcg_stmt_tokens(&sv, 2, &t, &n), "hand-made statement has no span");
    CHECK(pgmcg_stmt_tokens(&sv, 3, &t, &n) && n == 3 && pgmcg_ctok_kind(t[n]) == PGMC_TOK_EOF,
          "span of the second text");
    check_span(b, &sv, 3, 5, 3);
    pgmcg_stmt_vec_erase(&sv, 0, 1);
    CHECK(sv.n == 3 && pgmcg_stmt_tokens(&sv, 0, &t, &n) && n == 11, "erase keeps spans");
    CHECK(!pgmcg_stmt_tokens(&sv, 1, &t, &n) && pgmcg_stmt_tokens(&sv, 2, &t, &n) && n == 3,
          "erase keeps spans aligned");
    /* positions across lines, in a section that starts mid-line */
    const char *c3 = "select 1, /* x\n */ 'a\nb', $$\n$$ ;\n  select\n2 -- c";
    pgmcg_stmt_vec sv3 = {0};
    CHECK(pgmcg_split("t.sql", c3, strlen(c3), 7, 4, &sv3, &d) == 0 && sv3.n == 2, "split c3");
    for (size_t i = 0; i < sv3.n; i++)
        check_span(c3, &sv3, i, 7, 4);
    pgmcg_stmt_vec_free(&sv3);
    pgmcg_stmt_vec_drop_tokens(&sv);
    CHECK(sv.n == 3 && !pgmcg_stmt_tokens(&sv, 0, &t, &n), "drop_tokens keeps statements");
    pgmcg_stmt_vec_free(&sv);
    pgmcg_diag_free(&d);
}

static void test_fast_path(void)
{
    expect_stmts("select aaaaaaaaaaaaaaaaaaaaaaaa, 'it''s; a string', \"a;\"\"b\" from t; x",
                 "select aaaaaaaaaaaaaaaaaaaaaaaa, 'it''s; a string', \"a;\"\"b\" from t", "x",
                 NULL);
    expect_stmts("select\t1,\r\n\t2 + 3 * 4 = 5 <> 6, 'a' 'b', ''''; y",
                 "select\t1,\r\n\t2 + 3 * 4 = 5 <> 6, 'a' 'b', ''''", "y", NULL);
    expect_stmts("select bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, E'\\';' , x'1F', u&'\\0041;'; x",
                 "select bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, E'\\';' , x'1F', u&'\\0041;'", "x",
                 NULL);
    expect_stmts("select 'caf\xc3\xa9; \xe2\x80\x94', cccccccccccccccccccc\xc3\xa9; x",
                 "select 'caf\xc3\xa9; \xe2\x80\x94', cccccccccccccccccccc\xc3\xa9", "x", NULL);
    expect_error("select 1, 2, 3, 4, 5, 6, 7, 'abc;\n", 34,
                 "t.sql:1:29: error: unterminated quoted string");
    expect_error("select 1, 2, 3, 4, 5, 6, 7, \"abc;\n", 34,
                 "t.sql:1:29: error: unterminated quoted identifier");

    /* Lines are still counted inside skipped strings and identifiers. */
    static const char src[] = "select 'a\nb;\nc', \"x\ny\" from long_table_name;\n  next";
    pgmcg_diag d;
    pgmcg_stmt_vec sv = {0};
    pgmcg_diag_init(&d, NULL);
    CHECK(pgmcg_split("t.sql", src, strlen(src), 1, 1, &sv, &d) == 0 && sv.n == 2, "split");
    if (sv.n == 2)
        CHECK(sv.v[1].line == 5 && sv.v[1].column == 3, "next at %u:%u", sv.v[1].line,
              sv.v[1].column);
    pgmcg_stmt_vec_free(&sv);
    pgmcg_diag_free(&d);
}

static void test_positions(void)
{
    static const char src[] = "-- c\n  select 1;\n\n /* x\n */ insert\n into t;  \tz";
    pgmcg_diag d;
    pgmcg_stmt_vec sv = {0};
    pgmcg_diag_init(&d, NULL);
    CHECK(pgmcg_split("t.sql", src, strlen(src), 1, 1, &sv, &d) == 0, "split");
    CHECK(sv.n == 3, "n %zu", sv.n);
    if (sv.n == 3) {
        CHECK(sv.v[0].offset == 7 && sv.v[0].line == 2 && sv.v[0].column == 3, "s0 %u %u:%u",
              sv.v[0].offset, sv.v[0].line, sv.v[0].column);
        CHECK(sv.v[1].line == 5 && sv.v[1].column == 5 && sv.v[1].length == 14, "s1 %u:%u len %u",
              sv.v[1].line, sv.v[1].column, sv.v[1].length);
        CHECK(sv.v[2].line == 6 && sv.v[2].column == 12, "s2 %u:%u", sv.v[2].line, sv.v[2].column);
    }
    pgmcg_stmt_vec_free(&sv);

    /* first_line/first_col: a section that starts mid-file. */
    CHECK(pgmcg_split("t.sql", "a; b", 4, 40, 5, &sv, &d) == 0 && sv.n == 2, "section");
    if (sv.n == 2)
        CHECK(sv.v[0].line == 40 && sv.v[0].column == 5 && sv.v[1].line == 40 &&
                  sv.v[1].column == 8,
              "section positions %u:%u %u:%u", sv.v[0].line, sv.v[0].column, sv.v[1].line,
              sv.v[1].column);
    pgmcg_stmt_vec_free(&sv);

    /* Appends to what *out already holds. */
    CHECK(pgmcg_split("t.sql", "a;", 2, 1, 1, &sv, &d) == 0, "append 1");
    CHECK(pgmcg_split("t.sql", "b;c", 3, 1, 1, &sv, &d) == 0 && sv.n == 3, "append 2");
    pgmcg_stmt_vec_free(&sv);
    pgmcg_diag_free(&d);
}

static void test_errors(void)
{
    expect_error("select 1;\nselect 'abc;\n", 22, "t.sql:2:8: error: unterminated quoted string");
    expect_error("x;\n  E'\\'", 9, "t.sql:2:3: error: unterminated E'' string");
    expect_error("U&'x", 4, "t.sql:1:1: error: unterminated U&'' string");
    expect_error("select 1;\nselect a, U&\"x", 22,
                 "t.sql:2:11: error: unterminated U&\"\" quoted identifier");
    expect_error("select \"x", 9, "t.sql:1:8: error: unterminated quoted identifier");
    expect_error("a;\n/* /* */", 10, "t.sql:2:1: error: unterminated /* comment");
    expect_error("select 1;\ndo $fn$ begin end; $$;\n", 33,
                 "t.sql:2:4: error: unterminated dollar-quoted string (tag $fn$)");
    expect_error("select 1;\n\\i other.sql\nselect 2;", 31,
                 "t.sql:2:1: error: psql meta-command \\i is not SQL; pgmc runs SQL only");
    expect_error("\\set ON_ERROR_STOP on", 21, "psql meta-command \\set is not SQL");
    expect_error("select 1;\nselect\0 2;", 20, "t.sql:2:7: error: NUL byte in input");
    expect_error("select {1}", 10, "t.sql:1:8: error: unexpected character '{'");
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

/* Split every *.sql file of dir; returns the number of files split. */
static int split_corpus(const char *dir)
{
    DIR *dp = opendir(dir);
    int files = 0;
    CHECK(dp != NULL, "cannot open %s", dir);
    if (!dp)
        return 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".sql") != 0)
            continue;
        char path[4096];
        size_t len = 0;
        int w = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        CHECK(w > 0 && (size_t)w < sizeof path, "path too long: %s", e->d_name);
        if (w <= 0 || (size_t)w >= sizeof path)
            continue;
        char *buf = read_file(path, &len);
        CHECK(buf != NULL, "cannot read %s", path);
        if (!buf)
            continue;
        pgmcg_diag d;
        pgmcg_stmt_vec sv = {0};
        pgmcg_diag_init(&d, NULL);
        int rc = pgmcg_split(path, buf, len, 1, 1, &sv, &d);
        CHECK(rc == 0 && sv.n > 0, "%s: rc %d, %zu statements: %s", path, rc, sv.n,
              d.text ? d.text : "");
        for (size_t i = 0; i < sv.n; i++) {
            const pgmc_statement *st = &sv.v[i];
            char last = st->length ? buf[st->offset + st->length - 1] : ';';
            CHECK(st->length > 0 && st->offset + st->length <= len && last != ';',
                  "%s: bad statement %zu", path, i);
        }
        pgmcg_stmt_vec_free(&sv);
        pgmcg_diag_free(&d);
        free(buf);
        files++;
    }
    closedir(dp);
    return files;
}

static void test_corpora(const char *root)
{
    static const char *const names[] = {"harbor", "atuin"};
    for (size_t i = 0; i < 2; i++) {
        char dir[4096];
        int w = snprintf(dir, sizeof dir, "%s/%s", root, names[i]);
        CHECK(w > 0 && (size_t)w < sizeof dir, "path too long: %s", root);
        if (w <= 0 || (size_t)w >= sizeof dir)
            continue;
        int files = split_corpus(dir);
        CHECK(files > 0, "no .sql files in %s", dir);
        printf("test_split: corpus %s: %d files split\n", names[i], files);
    }
}

int main(int argc, char **argv)
{
    const char *corpora = argc > 1 ? argv[1] : NULL;
#ifdef PGMC_CORPORA_DIR
    if (!corpora)
        corpora = PGMC_CORPORA_DIR;
#endif
    test_basic();
    test_quoted_semicolons();
    test_begin_atomic();
    test_create_rule();
    test_fast_path();
    test_token_spans();
    test_positions();
    test_errors();
    if (corpora)
        test_corpora(corpora);
    else
        printf("test_split: no corpora directory given; corpus checks skipped\n");
    printf("test_split: %d checks, %d failed\n", checks, failures);
    return failures != 0;
}
