/* test_lexer.c - unit tests of the re2c PostgreSQL lexer (gen/lexer.re).
 *
 * Each check lexes a small input and compares token kinds, texts and
 * positions. Prints every failure; exits non-zero if any check failed.
 */
#include "syntax/lexer.h"

#include <stdio.h>
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

/* The first token of src that is not whitespace. */
static pgmcg_tok_kind first_token(const char *src, pgmcg_token *tok, pgmcg_lexer *lx)
{
    pgmcg_lexer_init(lx, src, strlen(src), 1, 1);
    while (pgmcg_lex(lx, tok) == PGMC_TOK_SPACE) {
    }
    return tok->kind;
}

/* src's first token must be `kind` with text `text` (NULL: all of src). */
static void expect_tok(const char *src, pgmcg_tok_kind kind, const char *text)
{
    pgmcg_lexer lx;
    pgmcg_token tok;
    if (!text)
        text = src;
    first_token(src, &tok, &lx);
    CHECK(tok.kind == kind && tok.len == strlen(text) && memcmp(tok.start, text, tok.len) == 0,
          "[%s]: want %s [%s], got %s [%.*s] (%s)", src, pgmcg_tok_kind_name(kind), text,
          pgmcg_tok_kind_name(tok.kind), (int)tok.len, tok.start, lx.error);
}

/* The whole of src must lex to exactly these kinds (spaces included), and
 * the token texts must concatenate back to src. */
static void expect_kinds(const char *src, const pgmcg_tok_kind *kinds, size_t n)
{
    pgmcg_lexer lx;
    pgmcg_token tok;
    size_t i = 0, pos = 0;
    pgmcg_lexer_init(&lx, src, strlen(src), 1, 1);
    while (pgmcg_lex(&lx, &tok) > PGMC_TOK_ERROR) {
        CHECK(i < n && tok.kind == kinds[i], "[%s] token %zu: got %s [%.*s]", src, i,
              pgmcg_tok_kind_name(tok.kind), (int)tok.len, tok.start);
        CHECK(tok.start == src + pos, "[%s] token %zu not contiguous", src, i);
        pos += tok.len;
        i++;
    }
    CHECK(tok.kind == PGMC_TOK_EOF, "[%s] ended in %s: %s", src, pgmcg_tok_kind_name(tok.kind),
          lx.error);
    CHECK(i == n, "[%s] %zu tokens, want %zu", src, i, n);
    CHECK(pos == strlen(src), "[%s] tokens cover %zu of %zu bytes", src, pos, strlen(src));
}

#define KINDS(src, ...)                                                                            \
    do {                                                                                           \
        static const pgmcg_tok_kind k_[] = {__VA_ARGS__};                                          \
        expect_kinds((src), k_, sizeof k_ / sizeof k_[0]);                                         \
    } while (0)

/* Lexing buf[0..len) must fail at line:col with a message containing msg. */
static void expect_error_n(const char *buf, size_t len, uint32_t line, uint32_t col,
                           const char *msg)
{
    pgmcg_lexer lx;
    pgmcg_token tok;
    pgmcg_lexer_init(&lx, buf, len, 1, 1);
    while (pgmcg_lex(&lx, &tok) > PGMC_TOK_ERROR) {
    }
    CHECK(tok.kind == PGMC_TOK_ERROR, "[%s]: want error, got %s", buf,
          pgmcg_tok_kind_name(tok.kind));
    CHECK(tok.line == line && tok.col == col, "[%s]: error at %u:%u, want %u:%u", buf, tok.line,
          tok.col, line, col);
    CHECK(strstr(lx.error, msg) != NULL, "[%s]: message [%s] lacks [%s]", buf, lx.error, msg);
    /* Sticky: the same error again. */
    pgmcg_token again;
    CHECK(pgmcg_lex(&lx, &again) == PGMC_TOK_ERROR && again.line == tok.line &&
              again.col == tok.col,
          "[%s]: error not sticky", buf);
}

static void expect_error(const char *src, uint32_t line, uint32_t col, const char *msg)
{
    expect_error_n(src, strlen(src), line, col, msg);
}

static void test_comments_and_space(void)
{
    expect_tok("-- hello\nx", PGMC_TOK_LINE_COMMENT, "-- hello");
    expect_tok("--", PGMC_TOK_LINE_COMMENT, NULL);
    expect_tok("/* a */x", PGMC_TOK_BLOCK_COMMENT, "/* a */");
    expect_tok("/* a /* nested */ still */x", PGMC_TOK_BLOCK_COMMENT, "/* a /* nested */ still */");
    expect_tok("/*/ x */", PGMC_TOK_BLOCK_COMMENT, NULL);
    expect_tok("/**/", PGMC_TOK_BLOCK_COMMENT, NULL);
    expect_tok("/* ; ' \" $$ */", PGMC_TOK_BLOCK_COMMENT, NULL);
    KINDS(" \t\r\n\f\v", PGMC_TOK_SPACE);
    /* A comment start inside an operator run ends the operator. */
    KINDS("+--c", PGMC_TOK_OPERATOR, PGMC_TOK_LINE_COMMENT);
    KINDS("*/*c*/", PGMC_TOK_OPERATOR, PGMC_TOK_BLOCK_COMMENT);
    KINDS("/*c*/+", PGMC_TOK_BLOCK_COMMENT, PGMC_TOK_OPERATOR);
}

static void test_identifiers(void)
{
    expect_tok("abc_1 x", PGMC_TOK_IDENT, "abc_1");
    expect_tok("_x", PGMC_TOK_IDENT, NULL);
    expect_tok("a$b", PGMC_TOK_IDENT, NULL);
    expect_tok("a$$ x", PGMC_TOK_IDENT, "a$$");
    expect_tok("caf\xc3\xa9", PGMC_TOK_IDENT, NULL);
    expect_tok("e", PGMC_TOK_IDENT, NULL);
    expect_tok("u&x", PGMC_TOK_IDENT, "u");
    expect_tok("\"a b\"", PGMC_TOK_QUOTED_IDENT, NULL);
    expect_tok("\"a\"\"b\" x", PGMC_TOK_QUOTED_IDENT, "\"a\"\"b\"");
    expect_tok("\"a;\n'b\"", PGMC_TOK_QUOTED_IDENT, NULL);
    expect_tok("U&\"d\\0061t\"", PGMC_TOK_QUOTED_IDENT, NULL);
    expect_tok("u&\"d!0061t\" UESCAPE '!' x", PGMC_TOK_QUOTED_IDENT, "u&\"d!0061t\" UESCAPE '!'");
}

static void test_strings(void)
{
    expect_tok("'abc'", PGMC_TOK_STRING, NULL);
    expect_tok("'it''s' x", PGMC_TOK_STRING, "'it''s'");
    expect_tok("''", PGMC_TOK_STRING, NULL);
    expect_tok("'a\\' x'", PGMC_TOK_STRING, "'a\\'"); /* standard strings: \ is literal */
    expect_tok("'multi\nline;'", PGMC_TOK_STRING, NULL);
    expect_tok("E'\\''", PGMC_TOK_STRING, NULL);
    expect_tok("e'a\\\\' x", PGMC_TOK_STRING, "e'a\\\\'");
    expect_tok("E'x\\'y''z'", PGMC_TOK_STRING, NULL);
    expect_tok("E'\\n\\t\\x41'", PGMC_TOK_STRING, NULL);
    expect_tok("U&'d\\0061t'", PGMC_TOK_STRING, NULL);
    expect_tok("U&'d!0061t' UESCAPE '!'", PGMC_TOK_STRING, NULL);
    expect_tok("U&'d!0061t'\n  uescape\n'!' x", PGMC_TOK_STRING, "U&'d!0061t'\n  uescape\n'!'");
    expect_tok("U&'x' UESCAPE x", PGMC_TOK_STRING, "U&'x'");
    expect_tok("B'0101'", PGMC_TOK_STRING, NULL);
    expect_tok("b'1'", PGMC_TOK_STRING, NULL);
    expect_tok("X'1F'", PGMC_TOK_STRING, NULL);
    expect_tok("x'ab' y", PGMC_TOK_STRING, "x'ab'");
    expect_tok("N'nat''l'", PGMC_TOK_STRING, NULL);
    /* Adjacent literals (PostgreSQL's newline continuation) are separate tokens. */
    KINDS("'a'\n'b'", PGMC_TOK_STRING, PGMC_TOK_SPACE, PGMC_TOK_STRING);
    KINDS("xe'a'", PGMC_TOK_IDENT, PGMC_TOK_STRING);
}

static void test_dollar_quotes(void)
{
    expect_tok("$$a;b$$", PGMC_TOK_DOLLAR_STRING, NULL);
    expect_tok("$$$$ x", PGMC_TOK_DOLLAR_STRING, "$$$$");
    expect_tok("$fn$ select 1; $fn$ x", PGMC_TOK_DOLLAR_STRING, "$fn$ select 1; $fn$");
    expect_tok("$_x1$ a $_x1$", PGMC_TOK_DOLLAR_STRING, NULL);
    expect_tok("$a$ $b$ $a$", PGMC_TOK_DOLLAR_STRING, NULL);
    expect_tok("$outer$ x $inner$ ; $inner$ y; $outer$ z", PGMC_TOK_DOLLAR_STRING,
               "$outer$ x $inner$ ; $inner$ y; $outer$");
    expect_tok("$q$ '$$' \"x\" -- $q$", PGMC_TOK_DOLLAR_STRING, NULL);
    expect_tok("$Ab$ $ab$ $Ab$", PGMC_TOK_DOLLAR_STRING, NULL); /* tags are case-sensitive */
    expect_tok("$a$ x$a$ y", PGMC_TOK_DOLLAR_STRING, "$a$ x$a$");
    expect_tok("$\xc3\xa9$x$\xc3\xa9$", PGMC_TOK_DOLLAR_STRING, NULL);
    expect_tok("$1", PGMC_TOK_PARAM, NULL);
    expect_tok("$12 x", PGMC_TOK_PARAM, "$12");
    KINDS("$1a", PGMC_TOK_PARAM, PGMC_TOK_IDENT);
    KINDS("$", PGMC_TOK_PUNCT);
    KINDS("a$$b", PGMC_TOK_IDENT);
    KINDS("f($1,$2)", PGMC_TOK_IDENT, PGMC_TOK_PUNCT, PGMC_TOK_PARAM, PGMC_TOK_PUNCT,
          PGMC_TOK_PARAM, PGMC_TOK_PUNCT);
}

static void test_numbers(void)
{
    static const char *nums[] = {"42",    "1.5",     "1.",    ".5",     "1e10", "1.5E-3",
                                 "2e+7",  ".5e1",    "0x1F",  "0XaB",   "0o17", "0b101",
                                 "1_000", "1_000.5", "0x_FF", "1_0e1_0"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        expect_tok(nums[i], PGMC_TOK_NUMBER, NULL);
    KINDS("1..10", PGMC_TOK_NUMBER, PGMC_TOK_OPERATOR, PGMC_TOK_NUMBER);
    KINDS("a.b", PGMC_TOK_IDENT, PGMC_TOK_PUNCT, PGMC_TOK_IDENT);
    KINDS("t.*", PGMC_TOK_IDENT, PGMC_TOK_PUNCT, PGMC_TOK_OPERATOR);
}

static void test_operators_and_punct(void)
{
    KINDS("x::int", PGMC_TOK_IDENT, PGMC_TOK_TYPECAST, PGMC_TOK_IDENT);
    KINDS("a:=1", PGMC_TOK_IDENT, PGMC_TOK_OPERATOR, PGMC_TOK_NUMBER);
    KINDS("f(a=>1)", PGMC_TOK_IDENT, PGMC_TOK_PUNCT, PGMC_TOK_IDENT, PGMC_TOK_OPERATOR,
          PGMC_TOK_NUMBER, PGMC_TOK_PUNCT);
    KINDS("a[1:2]", PGMC_TOK_IDENT, PGMC_TOK_PUNCT, PGMC_TOK_NUMBER, PGMC_TOK_PUNCT,
          PGMC_TOK_NUMBER, PGMC_TOK_PUNCT);
    KINDS("(),.;", PGMC_TOK_PUNCT, PGMC_TOK_PUNCT, PGMC_TOK_PUNCT, PGMC_TOK_PUNCT,
          PGMC_TOK_SEMICOLON);
    expect_tok("@> x", PGMC_TOK_OPERATOR, "@>");
    expect_tok("<>", PGMC_TOK_OPERATOR, NULL);
    expect_tok("->>", PGMC_TOK_OPERATOR, NULL);
    expect_tok("#-", PGMC_TOK_OPERATOR, NULL); /* keeps '-': has a non-math char */
    expect_tok("!~~*", PGMC_TOK_OPERATOR, NULL);
    expect_tok("`?|&^%", PGMC_TOK_OPERATOR, NULL);
    /* A trailing + or - of a math-only operator is split off, like PostgreSQL. */
    KINDS("a*-1", PGMC_TOK_IDENT, PGMC_TOK_OPERATOR, PGMC_TOK_OPERATOR, PGMC_TOK_NUMBER);
    KINDS("a=-1", PGMC_TOK_IDENT, PGMC_TOK_OPERATOR, PGMC_TOK_OPERATOR, PGMC_TOK_NUMBER);
}

static void test_meta(void)
{
    KINDS("\\i file.sql\nselect", PGMC_TOK_META, PGMC_TOK_SPACE, PGMC_TOK_IDENT);
    expect_tok("  \\set x 1", PGMC_TOK_META, "\\set x 1");
    KINDS("select 1 \\gset", PGMC_TOK_IDENT, PGMC_TOK_SPACE, PGMC_TOK_NUMBER, PGMC_TOK_SPACE,
          PGMC_TOK_META);
    expect_tok("'\\i'", PGMC_TOK_STRING, NULL);
}

static void test_positions(void)
{
    const char *src = "select 'a\nb' as x, $f$\n\n$f$ /* c\n */ y\n  z";
    struct {
        const char *text;
        uint32_t line, col;
    } want[] = {{"select", 1, 1},      {"'a\nb'", 1, 8},    {"as", 2, 4}, {"x", 2, 7}, {",", 2, 8},
                {"$f$\n\n$f$", 2, 10}, {"/* c\n */", 4, 5}, {"y", 5, 5},  {"z", 6, 3}};
    pgmcg_lexer lx;
    pgmcg_token tok;
    size_t i = 0;
    pgmcg_lexer_init(&lx, src, strlen(src), 1, 1);
    while (pgmcg_lex(&lx, &tok) > PGMC_TOK_ERROR) {
        if (tok.kind == PGMC_TOK_SPACE)
            continue;
        CHECK(i < sizeof want / sizeof want[0], "extra token");
        if (i >= sizeof want / sizeof want[0])
            break;
        CHECK(tok.len == strlen(want[i].text) && memcmp(tok.start, want[i].text, tok.len) == 0,
              "token %zu is [%.*s], want [%s]", i, (int)tok.len, tok.start, want[i].text);
        CHECK(tok.line == want[i].line && tok.col == want[i].col, "[%s] at %u:%u, want %u:%u",
              want[i].text, tok.line, tok.col, want[i].line, want[i].col);
        i++;
    }
    CHECK(i == sizeof want / sizeof want[0], "got %zu tokens", i);
    CHECK(tok.kind == PGMC_TOK_EOF && tok.line == 6 && tok.col == 4, "EOF at %u:%u", tok.line,
          tok.col);

    /* first_line / first_col offset the first line only. */
    pgmcg_lexer_init(&lx, "a b\nc", 5, 10, 7);
    pgmcg_lex(&lx, &tok);
    CHECK(tok.line == 10 && tok.col == 7, "a at %u:%u", tok.line, tok.col);
    pgmcg_lex(&lx, &tok);
    pgmcg_lex(&lx, &tok);
    CHECK(tok.line == 10 && tok.col == 9, "b at %u:%u", tok.line, tok.col);
    pgmcg_lex(&lx, &tok);
    pgmcg_lex(&lx, &tok);
    CHECK(tok.line == 11 && tok.col == 1, "c at %u:%u", tok.line, tok.col);
}

static void test_errors(void)
{
    expect_error("select 'abc", 1, 8, "unterminated quoted string");
    expect_error("x\n  'it''s", 2, 3, "unterminated quoted string");
    expect_error("E'abc\\'", 1, 1, "unterminated E'' string");
    expect_error("a e'x\n\n", 1, 3, "unterminated E'' string");
    expect_error("U&'abc", 1, 1, "unterminated U&'' string");
    expect_error("U&\"abc", 1, 1, "unterminated U&\"\" quoted identifier");
    expect_error("B'01", 1, 1, "unterminated bit string");
    expect_error("X'01", 1, 1, "unterminated hex string");
    expect_error("N'01", 1, 1, "unterminated N'' string");
    expect_error("select \"abc", 1, 8, "unterminated quoted identifier");
    expect_error("\n /* a /* b */ c", 2, 2, "unterminated /* comment");
    expect_error("/* a */ /*", 1, 9, "unterminated /* comment");
    expect_error("do $fn$ begin; $f$", 1, 4, "unterminated dollar-quoted string (tag $fn$)");
    expect_error("x\n$$ abc $ $", 2, 1, "unterminated dollar-quoted string (tag $$)");
    expect_error("a {", 1, 3, "unexpected character '{'");
    expect_error("a \x01", 1, 3, "unexpected byte 0x01");
    expect_error_n("select 1;\0 x", 11, 1, 10, "NUL byte");
    expect_error_n("a\nb\0", 4, 2, 2, "NUL byte");
    expect_error_n("'a\nb\0c'", 7, 2, 2, "NUL byte");
    expect_error_n("$$a\n\0$$", 7, 2, 1, "NUL byte");
    expect_error_n("/* \0 */", 7, 1, 4, "NUL byte");
    expect_error_n("-- x\0\n", 6, 1, 5, "NUL byte");

    /* A meta-command is a token, not a lexer error (the splitter reports it). */
    pgmcg_lexer lx;
    pgmcg_token tok;
    CHECK(first_token("\\i x.sql", &tok, &lx) == PGMC_TOK_META, "meta");

    /* EOF is sticky too. */
    pgmcg_lexer_init(&lx, "", 0, 1, 1);
    CHECK(pgmcg_lex(&lx, &tok) == PGMC_TOK_EOF && pgmcg_lex(&lx, &tok) == PGMC_TOK_EOF, "eof");
}

/* pgmcg_lex_skip stops before anything significant, on a token boundary. */
static void test_skip(void)
{
    static const char src[] = "create table t (a int, b text)\n  ;x $1 e'\\'' -- c\n";
    pgmcg_lexer lx;
    pgmcg_token tok;
    pgmcg_lexer_init(&lx, src, strlen(src), 1, 1);
    const char *e = pgmcg_lex_skip(&lx);
    CHECK(e == src + 30 && lx.cur == src + 33, "skip 1: end %td cur %td", e - src, lx.cur - src);
    CHECK(pgmcg_lex(&lx, &tok) == PGMC_TOK_SEMICOLON && tok.line == 2 && tok.col == 3, "; at %u:%u",
          tok.line, tok.col);
    e = pgmcg_lex_skip(&lx);
    CHECK(e == src + 35 && lx.cur == src + 36, "skip 2: cur %td", lx.cur - src);
    CHECK(pgmcg_lex(&lx, &tok) == PGMC_TOK_PARAM, "$1");
    pgmcg_lex_skip(&lx);
    CHECK(pgmcg_lex(&lx, &tok) == PGMC_TOK_STRING && tok.len == 5, "e'\\''");
    pgmcg_lex_skip(&lx);
    CHECK(pgmcg_lex(&lx, &tok) == PGMC_TOK_LINE_COMMENT, "comment");
}

int main(void)
{
    test_comments_and_space();
    test_identifiers();
    test_strings();
    test_dollar_quotes();
    test_numbers();
    test_operators_and_punct();
    test_meta();
    test_positions();
    test_errors();
    test_skip();
    printf("test_lexer: %d checks, %d failed\n", checks, failures);
    return failures != 0;
}
