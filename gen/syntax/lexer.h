/* lexer.h - the PostgreSQL lexer (re2c, see lexer.re).
 *
 * Tokens are (pointer, length) slices of the caller's buffer, SQLite style:
 * the lexer never allocates and never copies. The buffer must stay alive and
 * unchanged for as long as tokens are used, and must be NUL-terminated at
 * buf[len] (re2c's end-of-input sentinel); a NUL inside the text is an error.
 */
#ifndef PGMC_LEXER_H
#define PGMC_LEXER_H

#include <stddef.h>
#include <stdint.h>

typedef enum pgmcg_tok_kind {
    PGMC_TOK_EOF = 0,
    PGMC_TOK_ERROR,         /* lexer->error says why; position is the opening */
    PGMC_TOK_SPACE,         /* whitespace run */
    PGMC_TOK_LINE_COMMENT,  /* -- ... (without the newline) */
    PGMC_TOK_BLOCK_COMMENT, /* nested slash-star comments */
    PGMC_TOK_IDENT,         /* bare identifier or keyword */
    PGMC_TOK_QUOTED_IDENT,  /* "x""y", U&"d\0061t" [UESCAPE '!'] */
    PGMC_TOK_STRING,        /* 'x''y', E'\n', U&'..' [UESCAPE], B'01', X'1F', N'..' */
    PGMC_TOK_DOLLAR_STRING, /* $$..$$, $fn$..$fn$ */
    PGMC_TOK_NUMBER,        /* 42, 1.5e3, .5, 0x1F, 1_000 */
    PGMC_TOK_PARAM,         /* $1 */
    PGMC_TOK_TYPECAST,      /* :: */
    PGMC_TOK_OPERATOR,      /* + - * / < > = ~ ! @ # % ^ & | ` ? and runs of them, := => .. */
    PGMC_TOK_PUNCT,         /* ( ) [ ] , . : and a lone $ */
    PGMC_TOK_SEMICOLON,     /* ; */
    PGMC_TOK_META           /* psql backslash meta-command, e.g. \i file (to end of line) */
} pgmcg_tok_kind;

/* 24 bytes on LP64 (the splitter keeps one per significant token). */
typedef struct pgmcg_token {
    const char *start; /* slice of the input buffer */
    uint32_t len;      /* bytes; texts over 4 GiB are refused before lexing (split.h) */
    uint32_t line;     /* 1-based */
    uint32_t col;      /* 1-based, in bytes */
    pgmcg_tok_kind kind;
} pgmcg_token;

/* Lexer state. Treat every field as private except `error`. */
typedef struct pgmcg_lexer {
    const char *cur;        /* next byte to read */
    const char *lim;        /* first NUL byte in the buffer (buf + len if none) */
    const char *end;        /* buf + len; *end == '\0' */
    const char *line_start; /* first byte of the current line */
    uint32_t line;
    uint32_t col_adj;     /* added to columns on the first line (first_col - 1) */
    const char *error;    /* message for the last PGMC_TOK_ERROR; points into errbuf
                             or a static string; valid while the lexer lives */
    int stopped;          /* set once EOF or an error was returned */
    pgmcg_token stop_tok; /* the EOF/ERROR token, returned again on later calls */
    char errbuf[128];
} pgmcg_lexer;

/* Prepare to lex buf[0..len). buf[len] must be '\0'; the lexer borrows buf
 * (no copy) and never allocates. Positions start at (first_line, first_col),
 * which lets a caller lex a section of a file (a goose or dbmate section) and
 * still report file positions. first_line and first_col are 1-based. */
void pgmcg_lexer_init(pgmcg_lexer *lx, const char *buf, size_t len, uint32_t first_line,
                      uint32_t first_col);

/* pgmcg_lexer_init for text known to hold no NUL byte before buf[len] (for
 * instance a slice of a buffer the splitter has already lexed): skips the
 * scan for an embedded NUL, which costs a pass over all len bytes. buf[len]
 * must still be '\0'. Should the text hold a NUL after all, lexing stays
 * within buf[0..len]; the NUL is then an "unexpected byte" error or part of
 * a quoted token instead of a "NUL byte in input" error. */
void pgmcg_lexer_init_known(pgmcg_lexer *lx, const char *buf, size_t len, uint32_t first_line,
                            uint32_t first_col);

/* Read the next token into *tok (a slice of buf). Returns tok->kind.
 * Every byte of the input belongs to exactly one token, so concatenating the
 * tokens up to EOF gives the input back. PGMC_TOK_EOF is a zero-length token
 * at buf + len. PGMC_TOK_ERROR is positioned where the problem starts (the
 * opening of an unterminated construct, or the offending byte) and
 * lx->error says what is wrong. After EOF or ERROR, further calls keep
 * returning the same token. */
pgmcg_tok_kind pgmcg_lex(pgmcg_lexer *lx, pgmcg_token *tok);

/* Fast path for the splitter: skip bytes that cannot change the lexical
 * context - identifier, number, whitespace, punctuation and operator bytes
 * other than '-' and '/', and whole plain '...' strings and "..." quoted
 * identifiers - stopping before anything that needs pgmcg_lex (a prefixed or
 * unterminated quote, comment, dollar sign, ';', backslash, NUL or stray
 * byte). Stops
 * on a token boundary, with line tracking kept, so pgmcg_lex continues
 * correctly. Returns the position just past the last non-whitespace byte
 * skipped, or NULL if only whitespace (or nothing) was skipped. Does nothing
 * after EOF or an error. */
const char *pgmcg_lex_skip(pgmcg_lexer *lx);

/* Name of a token kind, for tests and debugging. Static string. */
const char *pgmcg_tok_kind_name(pgmcg_tok_kind kind);

#endif
