/* test_emit.c - SHA-256 vectors, C string literal escaping (round-tripped
 * through a small C unescaper), comment sanitising, number formatting, and
 * determinism of a whole render. */
#include "util/buf.h"
#include "emit/emit.h"
#include "emit/c_literal.h"
#include "gen.h"
#include "util/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

static void check_sha(const void *p, size_t n, const char *want)
{
    uint8_t d[32];
    char hex[65];
    pgmcg_sha256(p, n, d);
    pgmcg_sha256_hex(d, hex);
    checks++;
    if (strcmp(hex, want)) {
        failures++;
        fprintf(stderr, "sha256 of %zu bytes: got %s want %s\n", n, hex, want);
    }
}

static void test_sha256(void)
{
    check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_sha(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *a = malloc(1000000);
    if (!a)
        exit(1);
    memset(a, 'a', 1000000);
    check_sha(a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* Same digest when fed in odd-sized pieces. */
    pgmcg_sha256_ctx c;
    pgmcg_sha256_init(&c);
    for (size_t off = 0, step = 1; off < 1000000; off += step, step = step * 3 % 997 + 1)
        pgmcg_sha256_update(&c, a + off, off + step > 1000000 ? 1000000 - off : step);
    uint8_t d[32];
    char hex[65];
    pgmcg_sha256_final(&c, d);
    pgmcg_sha256_hex(d, hex);
    CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    free(a);
}

/* Decode the C string literals in s (as pgmcg_emit_string writes them:
 * quoted pieces separated by whitespace) into out. Returns the length, or
 * (size_t)-1 if the text is not what a C compiler would accept, or could
 * form a trigraph. */
static size_t unescape(const char *s, size_t n, char *out)
{
    size_t o = 0, i = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '\n') {
            i++;
            continue;
        }
        if (s[i] != '"')
            return (size_t)-1;
        i++;
        while (i < n && s[i] != '"') {
            unsigned char c = (unsigned char)s[i];
            if (c == '\n' || c < 0x20 || c >= 0x7f)
                return (size_t)-1; /* raw control or non-ASCII byte in a literal */
            if (c == '?' && i + 1 < n && s[i + 1] == '?')
                return (size_t)-1; /* trigraph risk */
            if (c != '\\') {
                out[o++] = (char)c;
                i++;
                continue;
            }
            c = (unsigned char)s[++i];
            if (c >= '0' && c <= '7') {
                int v = 0, k = 0;
                while (k < 3 && s[i] >= '0' && s[i] <= '7') {
                    v = v * 8 + (s[i] - '0');
                    i++;
                    k++;
                }
                out[o++] = (char)v;
                continue;
            }
            switch (c) {
            case 'n':
                out[o++] = '\n';
                break;
            case 't':
                out[o++] = '\t';
                break;
            case 'r':
                out[o++] = '\r';
                break;
            case '\\':
                out[o++] = '\\';
                break;
            case '"':
                out[o++] = '"';
                break;
            case '?':
                out[o++] = '?';
                break;
            default:
                return (size_t)-1;
            }
            i++;
        }
        if (i >= n)
            return (size_t)-1;
        i++;
    }
    return o;
}

static void roundtrip(const char *s, size_t n)
{
    pgmcg_buf b = {0};
    pgmcg_c_string(&b, s, n, "    ");
    char *out = malloc(n + 1);
    size_t m = unescape(b.p, b.len, out);
    checks++;
    if (m != n || memcmp(out, s, n)) {
        failures++;
        fprintf(stderr, "escape roundtrip failed for %zu bytes: %.*s\n", n, (int)b.len, b.p);
    }
    free(out);
    pgmcg_buf_free(&b);
}

static void expect_literal(const char *s, const char *want)
{
    pgmcg_buf b = {0};
    pgmcg_c_string(&b, s, strlen(s), "    ");
    pgmcg_buf_putc(&b, '\0');
    checks++;
    if (strcmp(b.p, want)) {
        failures++;
        fprintf(stderr, "literal of [%s]:\n got: %s\nwant: %s\n", s, b.p, want);
    }
    pgmcg_buf_free(&b);
}

static void test_escape(void)
{
    expect_literal("", "\"\"");
    expect_literal("CREATE TABLE users (\n    id int\n);\n",
                   "\"CREATE TABLE users (\\n\"\n    \"    id int\\n\"\n    \");\\n\"");
    expect_literal("no newline", "\"no newline\"");
    expect_literal("a\"b\\c\td\r\n", "\"a\\\"b\\\\c\\td\\r\\n\"");
    /* Octal, always three digits, even before a digit (no \x greediness). */
    expect_literal("\x01"
                   "7\xc3\xa9",
                   "\"\\0017\\303\\251\"");
    /* Trigraphs: the second '?' of a pair is escaped. */
    expect_literal("a?\?=b ? c?\?\?/", "\"a?\\?=b ? c?\\?\\?/\"");
    roundtrip("", 0);
    char all[512];
    for (int i = 0; i < 512; i++)
        all[i] = (char)(i * 7 + i / 256);
    roundtrip(all, sizeof all);
    /* Runs of newlines write the most per input byte (\n" newline indent
       "): a chunk of them once overflowed the space reserved (ASan). */
    {
        size_t big = 3 * 65536 + 7;
        char *nl = malloc(big);
        memset(nl, '\n', big);
        nl[big - 1] = 'x';
        roundtrip(nl, 65535);
        roundtrip(nl + 1, 65535);
        roundtrip(nl, big);
        expect_literal("\n\n", "\"\\n\"\n    \"\\n\"");
        free(nl);
    }
    srand(42);
    for (int t = 0; t < 200; t++) {
        char buf[300];
        size_t n = (size_t)(rand() % 300);
        for (size_t i = 0; i < n; i++) {
            static const char pool[] = "ab?\\\"\n\t\r0189 $'*/";
            buf[i] = rand() % 4 ? pool[rand() % (sizeof pool - 1)] : (char)(rand() % 256);
        }
        roundtrip(buf, n);
    }
}

static void expect_comment(const char *s, size_t max, const char *want)
{
    pgmcg_buf b = {0};
    pgmcg_c_comment(&b, s, strlen(s), max);
    pgmcg_buf_putc(&b, '\0');
    checks++;
    if (strcmp(b.p, want)) {
        failures++;
        fprintf(stderr, "comment of [%s]: got [%s] want [%s]\n", s, b.p, want);
    }
    pgmcg_buf_free(&b);
}

static void test_comment(void)
{
    expect_comment("CREATE  TABLE\n\tusers (id int)", 40, "CREATE TABLE users (id int)");
    expect_comment("SELECT 1 */ /* x", 40, "SELECT 1 * / / * x");
    expect_comment("a*/b", 40, "a* /b");
    expect_comment("x ?\?= y", 40, "x ? ?= y");
    expect_comment("0123456789abcdefghij", 10, "0123456789...");
    expect_comment("0123456789   \n", 10, "0123456789");
    expect_comment("caf\xc3\xa9", 40, "caf..");
}

static void test_putu(void)
{
    pgmcg_buf b = {0};
    pgmcg_buf_putu(&b, 0, 0);
    pgmcg_buf_putc(&b, '|');
    pgmcg_buf_putu(&b, 42, 5);
    pgmcg_buf_putc(&b, '|');
    pgmcg_buf_putu(&b, 4294967295u, 3);
    pgmcg_buf_putc(&b, '\0');
    CHECK(!strcmp(b.p, "0|   42|4294967295"));
    CHECK(pgmcg_udigits(0) == 1 && pgmcg_udigits(9) == 1 && pgmcg_udigits(10) == 2);
    pgmcg_buf_free(&b);
}

static void test_render(void)
{
#ifdef PGMC_SOURCE_DIR
    pgmcg_gen_options o = {PGMC_SOURCE_DIR "/tests/fixtures/formats/goose_blocks", "svc", "/unused",
                           "auto", 0};
    pgmcg_diag d;
    pgmcg_diag_init(&d, NULL);
    pgmcg_buf h1 = {0}, c1 = {0}, h2 = {0}, c2 = {0};
    CHECK(pgmcg_gen_render(&o, &d, &h1, &c1) == PGMC_GEN_OK);
    /* Spelled differently (trailing slash): byte-identical output. */
    o.migrations_dir = PGMC_SOURCE_DIR "/tests/fixtures/formats/goose_blocks/";
    CHECK(pgmcg_gen_render(&o, &d, &h2, &c2) == PGMC_GEN_OK);
    CHECK(h1.len == h2.len && !memcmp(h1.p, h2.p, h1.len));
    CHECK(c1.len == c2.len && !memcmp(c1.p, c2.p, c1.len));
    pgmcg_buf_putc(&c1, '\0');
    pgmcg_buf_putc(&h1, '\0');
    CHECK(strstr(h1.p, "extern const pgmc_schema svc_schema;") != NULL);
    CHECK(strstr(h1.p, "#include \"pgmc_schema.h\"") != NULL);
    {
        char abi[80];
        snprintf(abi, sizeof abi,
                 "#if PGMC_ABI_VERSION != %d\n#error Regenerate this file with pgmc ",
                 PGMC_ABI_VERSION);
        CHECK(strstr(h1.p, abi) != NULL);
    }
    CHECK(strstr(c1.p, "generated by pgmc " PGMC_VERSION_STRING) != NULL);
    CHECK(strstr(c1.p, "#pragma GCC diagnostic ignored \"-Woverlength-strings\"") != NULL);
    CHECK(strstr(c1.p, "static const char svc_sql[] =\n    /* 0: 00001_create.sql (up) */\n") !=
          NULL);
    CHECK(strstr(c1.p, "static const pgmc_statement svc_statements[] = {\n"
                       "    {0, 22, 3, 1}, {49, 78, 5, 1},\n") != NULL);
    CHECK(strstr(c1.p, ", svc_statements + 2, ") != NULL);
    CHECK(strstr(c1.p, "/* 00002 index: 00002_index.sql (up and down sections), no "
                       "transaction */") != NULL);
    CHECK(strstr(c1.p, PGMC_SOURCE_DIR) == NULL); /* no absolute paths */
    /* A different prefix changes the inputs hash. */
    o.prefix = "other";
    pgmcg_buf h3 = {0}, c3 = {0};
    CHECK(pgmcg_gen_render(&o, &d, &h3, &c3) == PGMC_GEN_OK);
    pgmcg_buf_putc(&h3, '\0');
    const char *s1 = strstr(h1.p, "inputs sha256 "), *s3 = strstr(h3.p, "inputs sha256 ");
    CHECK(s1 && s3 && memcmp(s1, s3, 14 + 64) != 0);
    CHECK(d.errors == 0);
    pgmcg_buf_free(&h1);
    pgmcg_buf_free(&c1);
    pgmcg_buf_free(&h2);
    pgmcg_buf_free(&c2);
    pgmcg_buf_free(&h3);
    pgmcg_buf_free(&c3);
    pgmcg_diag_free(&d);
#endif
}

int main(void)
{
    /* Both block functions: the portable one, then the fastest available
     * (SHA-NI on x86 machines that have it). */
    CHECK(!strcmp(pgmcg_sha256_set_impl("portable"), "portable"));
    test_sha256();
    printf("sha256: also testing the %s block function\n", pgmcg_sha256_set_impl(NULL));
    test_sha256();
    test_escape();
    test_comment();
    test_putu();
    test_render();
    printf("test_emit: %d checks, %d failures\n", checks, failures);
    return failures != 0;
}
