/* test_inputcheck.c - unit tests of gen/inputcheck.c: the UTF-8 validator
 * against an independent reference decoder (every sequence of up to three
 * bytes, random text, every alignment of the 16- and 8-byte fast paths),
 * positions, the byte order mark, file name checks, escaping, and the
 * case-only name suggestions. Exits non-zero on failure.
 */
#include "util/inputcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;

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

/* Reference: decode code points the long way (RFC 3629) and check the
 * value, not the byte ranges. Returns the offset of the first bad byte. */
static size_t ref_invalid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], len, cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (n - i < len)
            return i;
        for (unsigned k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return n;
}

static void test_exhaustive(void)
{
    unsigned char b[3];
    unsigned bad = 0;
    for (unsigned x = 0; x < 256; x++) {
        b[0] = (unsigned char)x;
        bad += pgmcg_utf8_invalid((char *)b, 1) != ref_invalid(b, 1);
        for (unsigned y = 0; y < 256; y++) {
            b[1] = (unsigned char)y;
            bad += pgmcg_utf8_invalid((char *)b, 2) != ref_invalid(b, 2);
            for (unsigned z = 0; z < 256; z++) {
                b[2] = (unsigned char)z;
                bad += pgmcg_utf8_invalid((char *)b, 3) != ref_invalid(b, 3);
            }
        }
    }
    CHECK(bad == 0, "%u sequences of 1-3 bytes judged unlike the reference", bad);
}

static void test_random(void)
{
    /* Mostly ASCII with some multibyte characters and the odd stray byte,
     * so that both the fast path and the sequence check are exercised. */
    static const char *const pieces[] = {"a",
                                         "bcdefgh ",
                                         "\n",
                                         "é",
                                         "€",
                                         "𝄞",
                                         "\xf4\x8f\xbf\xbf",
                                         "\xed\x9f\xbf",
                                         "\xef\xbb\xbf",
                                         "0123456789abcdef"};
    static const char *const bad[] = {"\xff",         "\x80",     "\xc0\xaf", "\xe0\x80\xaf",
                                      "\xed\xa0\x80", "\xf4\x90", "\xf5",     "\xe2\x82"};
    unsigned seed = 12345, wrong = 0;
    char buf[600];
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        while (n < 500) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            const char *p = r % 97 == 0 ? bad[r / 97 % 8] : pieces[r % 10];
            size_t k = strlen(p);
            memcpy(buf + n, p, k);
            n += k;
        }
        size_t got = pgmcg_utf8_invalid(buf, n), want = ref_invalid((unsigned char *)buf, n);
        wrong += got != want;
        if (got != want && wrong < 3)
            printf("round %d: got %zu want %zu\n", round, got, want);
    }
    CHECK(wrong == 0, "%u random texts judged unlike the reference", wrong);
}

static void test_alignment(void)
{
    char buf[80];
    for (size_t at = 0; at < 70; at++) {
        for (size_t n = at + 1; n <= 72; n += 7) {
            memset(buf, 'x', sizeof buf);
            buf[at] = (char)0xff;
            CHECK(pgmcg_utf8_invalid(buf, n) == at, "0xff at %zu of %zu", at, n);
            /* A character cut by the end of the text. */
            memset(buf, 'x', sizeof buf);
            buf[n - 1] = (char)0xe2;
            CHECK(pgmcg_utf8_invalid(buf, n) == n - 1, "cut sequence at the end of %zu", n);
        }
        memset(buf, 'x', sizeof buf);
        CHECK(pgmcg_utf8_invalid(buf, at) == at, "all ASCII, %zu bytes", at);
    }
    /* Bytes past n are never looked at. */
    memcpy(buf, "abc\xe2\x82\xac", 6);
    CHECK(pgmcg_utf8_invalid(buf, 4) == 3, "sequence cut by n");
    CHECK(pgmcg_utf8_invalid("a\0b", 3) == 3, "NUL is valid UTF-8 (the lexer rejects it)");
}

static void test_position(void)
{
    const char *t = "ab\ncd\n\nxyz";
    uint32_t l, c;
    pgmcg_text_position(t, 0, &l, &c);
    CHECK(l == 1 && c == 1, "start: %u:%u", l, c);
    pgmcg_text_position(t, 4, &l, &c);
    CHECK(l == 2 && c == 2, "d: %u:%u", l, c);
    pgmcg_text_position(t, 6, &l, &c);
    CHECK(l == 3 && c == 1, "empty line: %u:%u", l, c);
    pgmcg_text_position(t, 9, &l, &c);
    CHECK(l == 4 && c == 3, "z: %u:%u", l, c);
    CHECK(pgmcg_utf8_bom("\xef\xbb\xbfSELECT", 9) == 3, "BOM");
    CHECK(pgmcg_utf8_bom("\xef\xbb", 2) == 0, "half a BOM");
    CHECK(pgmcg_utf8_bom("SELECT", 6) == 0, "no BOM");
}

static void test_names(void)
{
    CHECK(pgmcg_name_problem("1_a.up.sql") == NULL, "plain name");
    CHECK(pgmcg_name_problem("1_café ☕.up.sql") == NULL, "UTF-8 name");
    CHECK(pgmcg_name_problem("1_a\xff.up.sql") != NULL, "invalid UTF-8");
    CHECK(pgmcg_name_problem("1_a\xc3.up.sql") != NULL, "cut sequence");
    CHECK(pgmcg_name_problem("1_a\n.up.sql") != NULL, "newline");
    CHECK(pgmcg_name_problem("1_\x1b[31ma.up.sql") != NULL, "ESC");
    CHECK(pgmcg_name_problem("1_a\x7f.up.sql") != NULL, "DEL");
    CHECK(pgmcg_name_problem("1_a\xc2\x9b.up.sql") != NULL, "C1 CSI");

    char out[64];
    CHECK(!strcmp(pgmcg_escape_name("a\nb\tc\rd", out, sizeof out), "a\\nb\\tc\\rd"), "%s", out);
    CHECK(!strcmp(pgmcg_escape_name("\x1b[31mx\x7f", out, sizeof out), "\\x1b[31mx\\x7f"), "%s",
          out);
    CHECK(!strcmp(pgmcg_escape_name("a\xff\xc3z", out, sizeof out), "a\\xff\\xc3z"), "%s", out);
    CHECK(!strcmp(pgmcg_escape_name("a\xc2\x9b"
                                    "b",
                                    out, sizeof out),
                  "a\\xc2\\x9bb"),
          "%s", out);
    CHECK(!strcmp(pgmcg_escape_name("café", out, sizeof out), "café"), "%s", out);
    CHECK(!strcmp(pgmcg_escape_name("\n\n\n", out, 5), "\\n\\n"), "cut short: %s", out);
    CHECK(!strcmp(pgmcg_escape_name("€€", out, 5), "€"), "cut between characters: %s", out);
}

static void test_case(void)
{
    char out[64];
    CHECK(pgmcg_name_case_suggestion("2_b.UP.SQL", out, sizeof out) && !strcmp(out, "2_b.up.sql"),
          "UP.SQL");
    CHECK(pgmcg_name_case_suggestion("2_b.down.SQL", out, sizeof out) &&
              !strcmp(out, "2_b.down.sql"),
          "down.SQL");
    CHECK(pgmcg_name_case_suggestion("V1__x.SQL", out, sizeof out) && !strcmp(out, "V1__x.sql"),
          "flyway");
    CHECK(pgmcg_name_case_suggestion("V1__x.sql.CONF", out, sizeof out) &&
              !strcmp(out, "V1__x.sql.conf"),
          "conf");
    CHECK(pgmcg_name_case_suggestion("V1__X.Sql", out, sizeof out) && !strcmp(out, "V1__X.sql"),
          "only the extension changes");
    CHECK(!pgmcg_name_case_suggestion("2_b.up.sql", out, sizeof out), "already right");
    CHECK(!pgmcg_name_case_suggestion("2_b.UP.sql", out, sizeof out), "read as .sql already");
    CHECK(!pgmcg_name_case_suggestion("README.md", out, sizeof out), "not SQL");
    CHECK(!pgmcg_name_case_suggestion(".SQL", out, sizeof out), "just an extension");
    CHECK(!pgmcg_name_case_suggestion("2_b.UP.SQL", out, 5), "does not fit");
}

int main(void)
{
    test_exhaustive();
    test_random();
    test_alignment();
    test_position();
    test_names();
    test_case();
    printf("test_inputcheck: %d checks, %d failures\n", checks, failures);
    return failures != 0;
}
