/* stmt_kind.c - what the non-transactional runner needs to know about one
 * statement before it runs it: is it transaction control, can it run in a
 * transaction block (then it commits together with its progress row), and
 * if it cannot, can its outcome be checked after an interruption (an
 * index built or dropped CONCURRENTLY) or is it harmless to repeat.
 *
 * Only the first words are read, as gen/txmode.c reads them (the generator
 * decides the script's mode with the same rules); anything this list does
 * not name is tried inside a transaction block first, and the server's
 * refusal (25001, or 2D000 for a procedure that commits) sends it down the
 * unwrapped path, where it did nothing before it was refused. */
#define _POSIX_C_SOURCE 200809L

#include <string.h>
#include <strings.h>

#include "pgmc_internal.h"

/* A token of the statement's head: a bare word (lowercased into buf), a
 * quoted identifier (as written inside the quotes, "" undoubled), or one
 * punctuation character. */
typedef struct tok {
    int kind; /* 'w' word, 'q' quoted, else the character, 0 at the end */
    char buf[128];
} tok;

typedef struct scan {
    const char *p, *end;
} scan;

static void skip_space(scan *s)
{
    for (;;) {
        while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r' ||
                                 *s->p == '\f' || *s->p == '\v'))
            s->p++;
        if (s->end - s->p >= 2 && s->p[0] == '-' && s->p[1] == '-') {
            while (s->p < s->end && *s->p != '\n')
                s->p++;
        } else if (s->end - s->p >= 2 && s->p[0] == '/' && s->p[1] == '*') {
            int depth = 0;
            while (s->p < s->end) {
                if (s->end - s->p >= 2 && s->p[0] == '/' && s->p[1] == '*') {
                    depth++;
                    s->p += 2;
                } else if (s->end - s->p >= 2 && s->p[0] == '*' && s->p[1] == '/') {
                    s->p += 2;
                    if (--depth == 0)
                        break;
                } else {
                    s->p++;
                }
            }
        } else {
            return;
        }
    }
}

static int ident_char(unsigned char ch, int first)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch >= 0x80 ||
           (!first && ((ch >= '0' && ch <= '9') || ch == '$'));
}

static void next(scan *s, tok *t)
{
    size_t n = 0;

    skip_space(s);
    t->buf[0] = '\0';
    if (s->p >= s->end) {
        t->kind = 0;
        return;
    }
    if (ident_char((unsigned char)*s->p, 1)) {
        t->kind = 'w';
        while (s->p < s->end && ident_char((unsigned char)*s->p, 0)) {
            char ch = *s->p++;
            if (n + 1 < sizeof t->buf)
                t->buf[n++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
        }
        t->buf[n] = '\0';
        return;
    }
    if (*s->p == '"') {
        t->kind = 'q';
        s->p++;
        while (s->p < s->end) {
            if (*s->p == '"') {
                if (s->end - s->p >= 2 && s->p[1] == '"') {
                    s->p++;
                } else {
                    s->p++;
                    break;
                }
            }
            if (n + 1 < sizeof t->buf)
                t->buf[n++] = *s->p;
            s->p++;
        }
        t->buf[n] = '\0';
        return;
    }
    t->kind = (unsigned char)*s->p++;
}

static int is(const tok *t, const char *word)
{
    return t->kind == 'w' && strcmp(t->buf, word) == 0;
}

/* Append "ident" (quoted, inner quotes doubled) to out. */
static void append_quoted(char *out, size_t cap, const char *name)
{
    size_t n = strlen(out);
    const char *p;

    if (n + 1 >= cap)
        return;
    out[n++] = '"';
    for (p = name; *p && n + 3 < cap; p++) {
        if (*p == '"')
            out[n++] = '"';
        out[n++] = *p;
    }
    out[n++] = '"';
    out[n] = '\0';
}

/* A possibly qualified name starting at t: "a"."b" into out (quoted, for
 * to_regclass) and its last part into last. Leaves t on the token after. */
static int qualified(scan *s, tok *t, char *out, size_t cap, char *last, size_t lcap)
{
    out[0] = '\0';
    for (;;) {
        if (t->kind != 'w' && t->kind != 'q')
            return 0;
        append_quoted(out, cap, t->buf);
        if (last)
            pgmc__copy(last, lcap, t->buf);
        next(s, t);
        if (t->kind != '.')
            return 1;
        if (strlen(out) + 2 < cap)
            strcat(out, ".");
        next(s, t);
    }
}

pgmc_skind pgmc__stmt_kind(const char *text, size_t len, pgmc_stmt_info *info)
{
    scan s;
    tok t[4];
    int i;

    memset(info, 0, sizeof *info);
    s.p = text;
    s.end = text + len;
    for (i = 0; i < 4; i++)
        next(&s, &t[i]);
    if (is(&t[0], "begin") || (is(&t[0], "start") && is(&t[1], "transaction")))
        return PGMC_SK_BEGIN;
    if ((is(&t[0], "commit") || is(&t[0], "end")) && !is(&t[1], "prepared"))
        return PGMC_SK_COMMIT;
    if (is(&t[0], "commit") || is(&t[0], "rollback") || is(&t[0], "abort") ||
        is(&t[0], "savepoint") || is(&t[0], "release") ||
        (is(&t[0], "prepare") && is(&t[1], "transaction")))
        return PGMC_SK_TXCTL;
    if (is(&t[0], "create") &&
        (is(&t[1], "index") || (is(&t[1], "unique") && is(&t[2], "index")))) {
        scan r = s;
        tok u;
        /* re-read from the start: CREATE [UNIQUE] INDEX CONCURRENTLY
         * [IF NOT EXISTS] [name] ON [ONLY] table */
        r.p = text;
        next(&r, &u); /* create */
        next(&r, &u);
        if (is(&u, "unique"))
            next(&r, &u); /* index */
        next(&r, &u);
        if (!is(&u, "concurrently"))
            return PGMC_SK_PLAIN;
        next(&r, &u);
        if (is(&u, "if")) {
            next(&r, &u); /* not */
            next(&r, &u); /* exists */
            info->if_exists = 1;
            next(&r, &u);
        }
        if (!is(&u, "on") && (u.kind == 'w' || u.kind == 'q')) {
            pgmc__copy(info->index, sizeof info->index, u.buf);
            next(&r, &u);
        }
        if (is(&u, "on")) {
            next(&r, &u);
            if (is(&u, "only"))
                next(&r, &u);
            if (!qualified(&r, &u, info->table, sizeof info->table, NULL, 0))
                info->table[0] = '\0';
        }
        return PGMC_SK_INDEX_CREATE;
    }
    if (is(&t[0], "drop") && is(&t[1], "index") && is(&t[2], "concurrently")) {
        scan r = s;
        tok u;
        r.p = text;
        for (i = 0; i < 4; i++)
            next(&r, &u); /* drop index concurrently <next> */
        if (is(&u, "if")) {
            next(&r, &u);
            next(&r, &u);
            info->if_exists = 1;
        }
        if (qualified(&r, &u, info->table, sizeof info->table, info->index, sizeof info->index) &&
            u.kind == ',')
            info->index[0] = info->table[0] = '\0'; /* a list: not checked */
        return PGMC_SK_INDEX_DROP;
    }
    if (is(&t[0], "vacuum") || is(&t[0], "reindex") || is(&t[0], "analyze") ||
        is(&t[0], "analyse") || is(&t[0], "checkpoint") || (is(&t[0], "discard")) ||
        (is(&t[0], "alter") && is(&t[1], "system")))
        return PGMC_SK_REPEATABLE; /* some of these run in a block; none minds a rerun */
    if ((is(&t[0], "create") || is(&t[0], "drop")) &&
        (is(&t[1], "database") || is(&t[1], "tablespace")))
        return PGMC_SK_OUTSIDE;
    if (is(&t[0], "alter") && is(&t[1], "table")) {
        /* ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY */
        scan r = s;
        tok u;
        int detach = 0;
        r.p = text;
        for (next(&r, &u); u.kind; next(&r, &u)) {
            if (is(&u, "detach"))
                detach = 1;
            else if (detach && is(&u, "concurrently"))
                return PGMC_SK_OUTSIDE;
        }
    }
    return PGMC_SK_PLAIN;
}

int pgmc__stmt_is_copy(const char *text, size_t len)
{
    scan s;
    tok t;

    s.p = text;
    s.end = text + len;
    next(&s, &t);
    return is(&t, "copy");
}

const char *pgmc__stmt_kind_name(pgmc_skind k)
{
    switch (k) {
    case PGMC_SK_PLAIN:
        return "statement";
    case PGMC_SK_BEGIN:
    case PGMC_SK_COMMIT:
    case PGMC_SK_TXCTL:
        return "transaction control";
    case PGMC_SK_INDEX_CREATE:
        return "CREATE INDEX CONCURRENTLY";
    case PGMC_SK_INDEX_DROP:
        return "DROP INDEX CONCURRENTLY";
    case PGMC_SK_REPEATABLE:
        return "maintenance statement";
    case PGMC_SK_OUTSIDE:
        return "statement that cannot run in a transaction";
    }
    return "statement";
}

int pgmc__has_word(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word), i;

    for (i = 0; w && i + w <= n; i++) {
        int before = i == 0 || !(s[i - 1] == '_' || (s[i - 1] >= '0' && s[i - 1] <= '9') ||
                                 ((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z'));
        int after = i + w == n || !(s[i + w] == '_' || (s[i + w] >= '0' && s[i + w] <= '9') ||
                                    ((s[i + w] | 0x20) >= 'a' && (s[i + w] | 0x20) <= 'z'));
        if (before && after && strncasecmp(s + i, word, w) == 0)
            return 1;
    }
    return 0;
}
