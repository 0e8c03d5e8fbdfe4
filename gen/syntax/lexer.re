/* lexer.re - the PostgreSQL lexer (re2c source of build/gen/lexer.c).
 *
 * One DFA (pgmcg_lex) recognises every token of PostgreSQL's lexical
 * structure (scan.l): whitespace, comments, identifiers, the string
 * families, dollar quotes, numbers, parameters, operators and punctuation,
 * plus psql backslash meta-commands. Nested block comments and dollar-quoted
 * bodies are finished by small C scanners (memchr/memcmp), which is both
 * simpler and faster than expressing them in the DFA.
 *
 * End of input: the buffer is NUL-terminated at len and re2c runs in
 * sentinel-with-bounds-check mode (re2c:eof). lexer_init finds the first NUL
 * byte and uses it as YYLIMIT, so a NUL inside the text looks like the end of
 * input to every scanner; hitting that "end" before buf + len is reported as
 * a NUL byte error at its position.
 */
#include "syntax/lexer.h"

#include <stdio.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*!re2c
    re2c:api:style = free-form;
    re2c:define:YYCTYPE = "unsigned char";
    re2c:define:YYCURSOR = cur;
    re2c:define:YYMARKER = mar;
    re2c:define:YYLIMIT = lim;
    re2c:yyfill:enable = 0;
    re2c:eof = 0;

    space      = [ \t\n\r\f\v];
    ident_start = [A-Za-z_\x80-\xff];
    ident_cont = [A-Za-z_0-9$\x80-\xff];
    dolq_start = [A-Za-z_\x80-\xff];
    dolq_cont  = [A-Za-z_0-9\x80-\xff];
    op_char    = [-+*/<>=~!@#%^&|`?];

    decinteger = [0-9] ("_"? [0-9])*;
    hexinteger = "0" [xX] ("_"? [0-9a-fA-F])+;
    octinteger = "0" [oO] ("_"? [0-7])+;
    bininteger = "0" [bB] ("_"? [01])+;
    numeric    = (decinteger "." decinteger?) | ("." decinteger);
    real       = (decinteger | numeric) [eE] [-+]? decinteger;

    sq_body    = ([^'] | "''")*;
    esq_body   = ([^'\\] | "''" | "\\" [^])*;
    dq_body    = ([^"] | "\"\"")*;
    uescape    = space* [uU][eE][sS][cC][aA][pP][eE] space* "'" [^'] "'";

    // An unterminated-literal rule matches the whole rest of the input, so
    // it is longer than any complete literal that is a prefix of it: in
    // 'it''s the error is at the opening quote, not at a second literal 's.
*/

/* Column of byte p on the current line (1-based). */
static uint32_t column_of(const pgmcg_lexer *lx, const char *p)
{
    return (uint32_t)(p - lx->line_start) + 1 + lx->col_adj;
}

/* Move the line counter over the newlines in [from, to). The counting loop
 * has no early exit, so compilers vectorise it. */
static void pass_newlines(pgmcg_lexer *lx, const char *from, const char *to)
{
    uint32_t n = 0;
    for (const char *p = from; p < to; p++)
        n += *p == '\n';
    if (n == 0)
        return;
    const char *last = to;
    while (last[-1] != '\n')
        last--;
    lx->line += n;
    lx->line_start = last;
    lx->col_adj = 0;
}

/* Fill *tok with [start, end) at the current position and move past it. */
static pgmcg_tok_kind emit(pgmcg_lexer *lx, pgmcg_token *tok, pgmcg_tok_kind kind, const char *start,
                          const char *end)
{
    tok->kind = kind;
    tok->start = start;
    tok->len = (uint32_t)(end - start);
    tok->line = lx->line;
    tok->col = column_of(lx, start);
    lx->cur = end;
    return kind;
}

/* Like emit, for a token that may span lines. Short tokens (mostly
 * whitespace) are scanned inline; a memchr call costs more than they do. */
static pgmcg_tok_kind emit_lines(pgmcg_lexer *lx, pgmcg_token *tok, pgmcg_tok_kind kind,
                                const char *start, const char *end)
{
    emit(lx, tok, kind, start, end);
    if (end - start > 16) {
        pass_newlines(lx, start, end);
        return kind;
    }
    for (const char *p = start; p < end; p++) {
        if (*p == '\n') {
            lx->line++;
            lx->line_start = p + 1;
            lx->col_adj = 0;
        }
    }
    return kind;
}

/* Record a sticky token (EOF or ERROR) that later calls return again. */
static pgmcg_tok_kind stop(pgmcg_lexer *lx, pgmcg_token *tok, pgmcg_tok_kind kind, const char *at)
{
    emit(lx, tok, kind, at, at);
    lx->stopped = 1;
    lx->stop_tok = *tok;
    return kind;
}

/* An error token at `at`, which is on the current line. */
static pgmcg_tok_kind fail(pgmcg_lexer *lx, pgmcg_token *tok, const char *at, const char *msg)
{
    lx->error = msg;
    return stop(lx, tok, PGMC_TOK_ERROR, at);
}

/* The scanner reached lx->lim: a NUL byte if that is before the end. */
static int hit_nul(const pgmcg_lexer *lx)
{
    return lx->lim < lx->end;
}

/* Report the NUL byte at lx->lim (any scanner that ran into it). */
static pgmcg_tok_kind fail_nul(pgmcg_lexer *lx, pgmcg_token *tok, const char *from)
{
    pass_newlines(lx, from, lx->lim);
    return fail(lx, tok, lx->lim, "NUL byte in input");
}

/* A construct opened at `start` ran into the end of input. */
static pgmcg_tok_kind unterminated(pgmcg_lexer *lx, pgmcg_token *tok, const char *start,
                                  const char *msg)
{
    if (hit_nul(lx))
        return fail_nul(lx, tok, start);
    return fail(lx, tok, start, msg);
}

/* Finish a (nested) block comment whose opener is at start. Only '*' bytes
 * matter: "/" "*" opens a nested comment, "*" "/" closes one; memchr finds them. */
static pgmcg_tok_kind block_comment(pgmcg_lexer *lx, pgmcg_token *tok, const char *start)
{
    const char *p = start + 2; /* bytes before p are consumed */
    const char *lim = lx->lim;
    unsigned depth = 1;
    while (p < lim) {
        const char *q = memchr(p, '*', (size_t)(lim - p));
        if (!q)
            break;
        if (q > p && q[-1] == '/') {
            depth++;
            p = q + 1;
        } else if (q[1] == '/') {
            p = q + 2;
            if (--depth == 0)
                return emit_lines(lx, tok, PGMC_TOK_BLOCK_COMMENT, start, p);
        } else {
            p = q + 1;
        }
    }
    return unterminated(lx, tok, start, "unterminated /* comment");
}

/* Find the closing delimiter (tag, n bytes, "$...$") in [p, lim). */
static const char *find_dollar_close(const char *p, const char *lim, const char *tag, size_t n)
{
    while ((size_t)(lim - p) >= n) {
        const char *q = memchr(p, '$', (size_t)(lim - p) - n + 1);
        if (!q)
            return NULL;
        if (memcmp(q, tag, n) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

/* Finish a dollar-quoted string whose opening delimiter is [start, body). */
static pgmcg_tok_kind dollar_string(pgmcg_lexer *lx, pgmcg_token *tok, const char *start,
                                   const char *body)
{
    size_t n = (size_t)(body - start);
    const char *close = find_dollar_close(body, lx->lim, start, n);
    if (close)
        return emit_lines(lx, tok, PGMC_TOK_DOLLAR_STRING, start, close + n);
    if (hit_nul(lx))
        return fail_nul(lx, tok, start);
    snprintf(lx->errbuf, sizeof lx->errbuf, "unterminated dollar-quoted string (tag %.*s)",
             n > 64 ? 64 : (int)n, start);
    return fail(lx, tok, start, lx->errbuf);
}

/* True for the characters that keep a trailing + or - in an operator. */
static int is_non_math_op(char c)
{
    return strchr("~!@#^&|`?%", c) != NULL && c != '\0';
}

/* Apply PostgreSQL's operator rules to the op_char run [start, end): a
 * comment start inside the run ends it, and trailing + / - are split off
 * unless the operator holds a non-math character. Returns the new end. */
static const char *trim_operator(const char *start, const char *end)
{
    for (const char *p = start + 1; p + 1 < end; p++) {
        if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) {
            end = p;
            break;
        }
    }
    size_t n = (size_t)(end - start);
    if (n > 1 && (end[-1] == '+' || end[-1] == '-')) {
        for (const char *p = start; p < end - 1; p++)
            if (is_non_math_op(*p))
                return end;
        while (n > 1 && (start[n - 1] == '+' || start[n - 1] == '-'))
            n--;
        end = start + n;
    }
    return end;
}

/* An op_char run [start, end): a comment, or an operator. */
static pgmcg_tok_kind operator_run(pgmcg_lexer *lx, pgmcg_token *tok, const char *start,
                                  const char *end)
{
    if (start[0] == '/' && start[1] == '*')
        return block_comment(lx, tok, start);
    if (start[0] == '-' && start[1] == '-') {
        const char *p = start + 2;
        while (p < lx->lim && *p != '\n' && *p != '\r')
            p++;
        return emit(lx, tok, PGMC_TOK_LINE_COMMENT, start, p);
    }
    return emit(lx, tok, PGMC_TOK_OPERATOR, start, trim_operator(start, end));
}

/* A byte no token can start with. */
static pgmcg_tok_kind unexpected(pgmcg_lexer *lx, pgmcg_token *tok, const char *at)
{
    unsigned char c = (unsigned char)*at;
    if (c >= 0x21 && c < 0x7f)
        snprintf(lx->errbuf, sizeof lx->errbuf, "unexpected character '%c'", c);
    else
        snprintf(lx->errbuf, sizeof lx->errbuf, "unexpected byte 0x%02x", c);
    return fail(lx, tok, at, lx->errbuf);
}

void pgmcg_lexer_init_known(pgmcg_lexer *lx, const char *buf, size_t len, uint32_t first_line,
                           uint32_t first_col)
{
    lx->cur = buf;
    lx->end = buf + len;
    lx->lim = buf + len;
    lx->line_start = buf;
    lx->line = first_line ? first_line : 1;
    lx->col_adj = first_col ? first_col - 1 : 0;
    lx->error = "";
    lx->stopped = 0;
    lx->errbuf[0] = '\0';
}

void pgmcg_lexer_init(pgmcg_lexer *lx, const char *buf, size_t len, uint32_t first_line,
                     uint32_t first_col)
{
    const char *nul = memchr(buf, '\0', len);
    pgmcg_lexer_init_known(lx, buf, len, first_line, first_col);
    if (nul)
        lx->lim = nul;
}

#define TOKEN_END ((const char *)cur)

pgmcg_tok_kind pgmcg_lex(pgmcg_lexer *lx, pgmcg_token *tok)
{
    if (lx->stopped) {
        *tok = lx->stop_tok;
        return tok->kind;
    }
    const char *start = lx->cur;
    const unsigned char *cur = (const unsigned char *)start;
    const unsigned char *lim = (const unsigned char *)lx->lim;
    const unsigned char *mar = cur;

    /*!re2c
    $ {
        if (hit_nul(lx))
            return fail(lx, tok, start, "NUL byte in input");
        return stop(lx, tok, PGMC_TOK_EOF, start);
    }
    * { return unexpected(lx, tok, start); }

    space+ { return emit_lines(lx, tok, PGMC_TOK_SPACE, start, TOKEN_END); }
    "--" [^\n\r]* { return emit(lx, tok, PGMC_TOK_LINE_COMMENT, start, TOKEN_END); }
    "/*" { return block_comment(lx, tok, start); }

    ident_start ident_cont* { return emit(lx, tok, PGMC_TOK_IDENT, start, TOKEN_END); }

    "'" sq_body "'" { return emit_lines(lx, tok, PGMC_TOK_STRING, start, TOKEN_END); }
    "'" sq_body { return unterminated(lx, tok, start, "unterminated quoted string"); }
    [eE] "'" esq_body "'" { return emit_lines(lx, tok, PGMC_TOK_STRING, start, TOKEN_END); }
    [eE] "'" esq_body { return unterminated(lx, tok, start, "unterminated E'' string"); }
    [nN] "'" sq_body "'" { return emit_lines(lx, tok, PGMC_TOK_STRING, start, TOKEN_END); }
    [nN] "'" sq_body { return unterminated(lx, tok, start, "unterminated N'' string"); }
    [bB] "'" [^']* "'" { return emit_lines(lx, tok, PGMC_TOK_STRING, start, TOKEN_END); }
    [bB] "'" [^']* { return unterminated(lx, tok, start, "unterminated bit string B''"); }
    [xX] "'" [^']* "'" { return emit_lines(lx, tok, PGMC_TOK_STRING, start, TOKEN_END); }
    [xX] "'" [^']* { return unterminated(lx, tok, start, "unterminated hex string X''"); }
    [uU] "&'" sq_body "'" uescape? {
        return emit_lines(lx, tok, PGMC_TOK_STRING, start, TOKEN_END);
    }
    [uU] "&'" sq_body { return unterminated(lx, tok, start, "unterminated U&'' string"); }

    "\"" dq_body "\"" { return emit_lines(lx, tok, PGMC_TOK_QUOTED_IDENT, start, TOKEN_END); }
    "\"" dq_body { return unterminated(lx, tok, start, "unterminated quoted identifier"); }
    [uU] "&\"" dq_body "\"" uescape? {
        return emit_lines(lx, tok, PGMC_TOK_QUOTED_IDENT, start, TOKEN_END);
    }
    [uU] "&\"" dq_body {
        return unterminated(lx, tok, start, "unterminated U&\"\" quoted identifier");
    }

    "$" (dolq_start dolq_cont*)? "$" { return dollar_string(lx, tok, start, TOKEN_END); }
    "$" [0-9]+ { return emit(lx, tok, PGMC_TOK_PARAM, start, TOKEN_END); }
    "$" { return emit(lx, tok, PGMC_TOK_PUNCT, start, TOKEN_END); }

    decinteger | hexinteger | octinteger | bininteger | numeric | real {
        return emit(lx, tok, PGMC_TOK_NUMBER, start, TOKEN_END);
    }
    decinteger ".." { return emit(lx, tok, PGMC_TOK_NUMBER, start, TOKEN_END - 2); }

    "::" { return emit(lx, tok, PGMC_TOK_TYPECAST, start, TOKEN_END); }
    ":=" | ".." { return emit(lx, tok, PGMC_TOK_OPERATOR, start, TOKEN_END); }
    op_char+ { return operator_run(lx, tok, start, TOKEN_END); }
    [()[\],.:] { return emit(lx, tok, PGMC_TOK_PUNCT, start, TOKEN_END); }
    ";" { return emit(lx, tok, PGMC_TOK_SEMICOLON, start, TOKEN_END); }

    "\\" [^\n\r]* { return emit(lx, tok, PGMC_TOK_META, start, TOKEN_END); }
    */
}

/* pgmcg_lex_skip byte classes: 0 = skippable (identifier and number bytes,
 * spaces, operators and punctuation that cannot start a comment), 1 = newline,
 * 2 = needs the real lexer: ; ' " $ - / backslash NUL, and bytes the lexer
 * rejects. */
static const unsigned char skip_class[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 1, 0, 0, 0, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 2, 0, 2, 0, 0, 2, 0, 0, 0, 0, 0, 2, 0, 2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0, 2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Bytes that a token can continue over: identifier and number bytes
 * [A-Za-z0-9_\x80-\xff] plus '.' and '+' (1.5, 1e+5) and '&' (U&'').
 * Any other skippable byte ends every token, so the start of a run of these
 * bytes is a token boundary. */
static const unsigned char run_byte[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

#ifdef __SSE2__
/* Bit i set if p[i] may not be skippable: a control byte (newline, tab...),
 * " $ ' - / ; \\ { } or DEL, or one of # % & | ~ (rare bytes that share
 * ranges with them). A superset of skip_class != 0. */
static unsigned maybe_stop(const unsigned char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    /* v <= hi, unsigned, for v - lo: v in [lo, lo + hi]. */
#define IN_RANGE(lo, n)                                                                            \
    _mm_cmpeq_epi8(_mm_max_epu8(_mm_sub_epi8(v, _mm_set1_epi8(lo)), _mm_set1_epi8(n)),            \
                   _mm_set1_epi8(n))
    __m128i m = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
    m = _mm_or_si128(m, IN_RANGE('"', '\'' - '"'));
    m = _mm_or_si128(m, IN_RANGE('{', 0x7f - '{'));
#undef IN_RANGE
#define STOP_ON(ch) m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(ch)))
    STOP_ON('-');
    STOP_ON('/');
    STOP_ON(';');
    STOP_ON('\\');
#undef STOP_ON
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* End (just past the closing quote) of the '...' or "..." opened at p, where
 * a doubled quote stands for itself, as sq_body and dq_body match it; NULL
 * when it is not closed before lim. */
static const char *quoted_end(const char *p, const char *lim)
{
    char q = *p++;
    for (;;) {
        const char *e = memchr(p, q, (size_t)(lim - p));
        if (!e)
            return NULL;
        if (e[1] != q) /* e[1] is at most *lim, a NUL */
            return e + 1;
        p = e + 2;
    }
}

/* Last byte before p, scanning back to `floor`, that is not whitespace;
 * returns the position just after it, or NULL if there is none. */
static const char *end_of_nonspace(const char *floor, const char *p)
{
    while (p > floor) {
        char c = p[-1];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
            return p;
        p--;
    }
    return NULL;
}

const char *pgmcg_lex_skip(pgmcg_lexer *lx)
{
    if (lx->stopped)
        return NULL;
    const char *start = lx->cur;
    const unsigned char *p = (const unsigned char *)start;
    const unsigned char *end = (const unsigned char *)lx->end;
    for (;;) {
        unsigned c;
#ifdef __SSE2__
        /* 16 bytes at a time while none of them may need a look. */
        for (;;) {
            if (end - p < 16) {
                while ((c = skip_class[*p]) == 0)
                    p++;
                break;
            }
            unsigned m = maybe_stop(p);
            if (!m) {
                p += 16;
                continue;
            }
            p += __builtin_ctz(m);
            if ((c = skip_class[*p]) != 0)
                break;
            p++; /* a tab, CR, FF or VT: skippable after all */
        }
#else
        while ((c = skip_class[*p]) == 0)
            p++;
#endif
        if (c == 1) {
            p++;
            lx->line++;
            lx->line_start = (const char *)p;
            lx->col_adj = 0;
            continue;
        }
        /* A plain 'string' or "identifier" (no E, U&, B, X or N prefix: the
         * byte before is no token byte) holds nothing that matters: skip
         * it here rather than stopping for pgmcg_lex. Unterminated ones are
         * left to pgmcg_lex, which reports them. */
        if ((*p == '\'' || *p == '"') && ((const char *)p == start || !run_byte[p[-1]])) {
            const char *close = quoted_end((const char *)p, lx->lim);
            if (close) {
                pass_newlines(lx, (const char *)p, close);
                p = (const unsigned char *)close;
                continue;
            }
        }
        break;
    }
    /* p may sit inside a token (a$b, E'x', U&'x', 1e-5, 0.0x$$): restart
     * the real lexer at the beginning of that run, a token boundary. */
    while ((const char *)p > start && run_byte[p[-1]])
        p--;
    lx->cur = (const char *)p;
    return end_of_nonspace(start, (const char *)p);
}

const char *pgmcg_tok_kind_name(pgmcg_tok_kind kind)
{
    switch (kind) {
    case PGMC_TOK_EOF:
        return "EOF";
    case PGMC_TOK_ERROR:
        return "ERROR";
    case PGMC_TOK_SPACE:
        return "SPACE";
    case PGMC_TOK_LINE_COMMENT:
        return "LINE_COMMENT";
    case PGMC_TOK_BLOCK_COMMENT:
        return "BLOCK_COMMENT";
    case PGMC_TOK_IDENT:
        return "IDENT";
    case PGMC_TOK_QUOTED_IDENT:
        return "QUOTED_IDENT";
    case PGMC_TOK_STRING:
        return "STRING";
    case PGMC_TOK_DOLLAR_STRING:
        return "DOLLAR_STRING";
    case PGMC_TOK_NUMBER:
        return "NUMBER";
    case PGMC_TOK_PARAM:
        return "PARAM";
    case PGMC_TOK_TYPECAST:
        return "TYPECAST";
    case PGMC_TOK_OPERATOR:
        return "OPERATOR";
    case PGMC_TOK_PUNCT:
        return "PUNCT";
    case PGMC_TOK_SEMICOLON:
        return "SEMICOLON";
    case PGMC_TOK_META:
        return "META";
    }
    return "?";
}
