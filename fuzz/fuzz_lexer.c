/* fuzz_lexer.c - libFuzzer target for the lexer.
 *
 * Lexes arbitrary bytes and checks the invariants: tokens are contiguous and
 * non-empty, cover the input up to EOF, and carry the line/column that a
 * plain recount of the bytes gives; errors are sticky.
 */
#include "syntax/lexer.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Line and column of buf + off, counted the slow way. */
static void position_of(const char *buf, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            l++;
            line_start = i + 1;
        }
    }
    *line = l;
    *col = (uint32_t)(off - line_start) + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    pgmcg_lexer lx;
    pgmcg_token tok;
    size_t pos = 0;
    pgmcg_lexer_init(&lx, buf, size, 1, 1);
    int steps = 0;
    for (;;) {
        if ((steps++ & 7) == 7) { /* mix in the splitter's fast path */
            pgmcg_lex_skip(&lx);
            pos = (size_t)(lx.cur - buf);
        }
        pgmcg_tok_kind k = pgmcg_lex(&lx, &tok);
        size_t off = (size_t)(tok.start - buf);
        uint32_t line, col;
        position_of(buf, off, &line, &col);
        if (tok.line != line || tok.col != col)
            abort();
        if (k == PGMC_TOK_EOF || k == PGMC_TOK_ERROR) {
            if (k == PGMC_TOK_EOF && off != size)
                abort();
            if (k == PGMC_TOK_ERROR && (!lx.error || !lx.error[0] || off > size))
                abort();
            pgmcg_token again;
            if (pgmcg_lex(&lx, &again) != k || again.start != tok.start)
                abort();
            break;
        }
        if (off != pos || tok.len == 0 || off + tok.len > size)
            abort();
        if (memchr(tok.start, '\0', tok.len))
            abort();
        pos = off + tok.len;
    }
    free(buf);
    return 0;
}
