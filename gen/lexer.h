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

typedef enum pgmc_tok_kind {
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
    PGMC_TOK_OPERATOR,      /* + - * / < > = ~ ! @ # % ^ & | ` ? and runs of them, := => */
    PGMC_TOK_PUNCT,         /* ( ) [ ] , . : */
    PGMC_TOK_SEMICOLON,     /* ; */
    PGMC_TOK_META           /* psql backslash meta-command, e.g. \i file (to end of line) */
} pgmc_tok_kind;

typedef struct pgmc_token {
    pgmc_tok_kind kind;
    const char *start; /* slice of the input buffer */
    size_t len;
    uint32_t line; /* 1-based */
    uint32_t col;  /* 1-based, in bytes */
} pgmc_token;

typedef struct pgmc_lexer {
    const char *cur;        /* next byte to read */
    const char *lim;        /* buf + len; *lim == '\0' */
    const char *line_start; /* first byte of the current line */
    uint32_t line;
    const char *error; /* static message for the last PGMC_TOK_ERROR */
} pgmc_lexer;

/* Prepare to lex buf[0..len). buf[len] must be '\0'. Positions start at
 * (first_line, first_col), which lets a caller lex a section of a file
 * (a goose or dbmate section) and still report file positions. */
void pgmc_lexer_init(pgmc_lexer *lx, const char *buf, size_t len, uint32_t first_line,
                     uint32_t first_col);

/* Read the next token into *tok. Returns tok->kind. After PGMC_TOK_EOF or
 * PGMC_TOK_ERROR, further calls keep returning the same kind. */
pgmc_tok_kind pgmc_lex(pgmc_lexer *lx, pgmc_token *tok);

/* Name of a token kind, for tests and debugging. Static string. */
const char *pgmc_tok_kind_name(pgmc_tok_kind kind);

#endif
