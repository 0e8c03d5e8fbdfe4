/* c_names.c - see c_names.h. */
#define _POSIX_C_SOURCE 200809L

#include "emit/c_names.h"

#include "emit/emit_rows.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- C identifiers ---- */

static const char *const reserved[] = {
    /* C11 keywords */
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
    "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict",
    "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
    "unsigned", "void", "volatile", "while",
    /* C23 keywords and the standard headers' macros a generated header may
     * meet (stdbool, stddef, errno, assert, stdio, complex...), and gcc's
     * GNU-mode predefined macros */
    "bool", "true", "false", "alignas", "alignof", "static_assert", "thread_local", "noreturn",
    "nullptr", "typeof", "constexpr", "complex", "imaginary", "NULL", "EOF", "errno", "assert",
    "offsetof", "stdin", "stdout", "stderr", "I", "unix", "linux", "asm", "va_arg", "setjmp"};

void pgmcg_rows_c_ident(const char *name, char *out, size_t cap)
{
    size_t o = 0;
    if (cap < 4) {
        if (cap)
            out[0] = '\0';
        return;
    }
    cap -= 2; /* room for a prefix/suffix character and the NUL */
    if (name[0] >= '0' && name[0] <= '9')
        out[o++] = '_';
    else if (name[0] == '_' && ((name[1] >= 'A' && name[1] <= 'Z') || name[1] == '_'))
        out[o++] = 'x';
    for (const unsigned char *s = (const unsigned char *)name; *s && o < cap; s++) {
        unsigned c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_') {
            out[o++] = (char)c;
        } else if (c >= 0x80 && c < 0xc0) {
            continue; /* a UTF-8 continuation byte: its character is already '_' */
        } else {
            out[o++] = '_';
        }
    }
    if (o == 0)
        out[o++] = '_';
    out[o] = '\0';
    for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++) {
        if (!strcmp(out, reserved[k])) {
            out[o++] = '_';
            out[o] = '\0';
            break;
        }
    }
}

static size_t ns_hash(const char *x)
{
    uint64_t h = 14695981039346656037ULL;

    for (; *x; x++)
        h = (h ^ (unsigned char)*x) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

static int ns_has(const pgmcg_nameset *s, const char *x)
{
    if (!s->n_slots)
        return 0;
    for (size_t k = ns_hash(x) & (s->n_slots - 1); s->slots[k]; k = (k + 1) & (s->n_slots - 1))
        if (!strcmp(s->v[s->slots[k] - 1], x))
            return 1;
    return 0;
}

static void ns_slot(pgmcg_nameset *s, size_t i)
{
    size_t k = ns_hash(s->v[i]) & (s->n_slots - 1);

    while (s->slots[k])
        k = (k + 1) & (s->n_slots - 1);
    s->slots[k] = i + 1;
}

void pgmcg_nameset_add(pgmcg_nameset *s, const char *x)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        char **nv = realloc(s->v, nc * sizeof *nv);
        if (!nv) {
            s->oom = 1;
            return;
        }
        s->v = nv;
        s->cap = nc;
    }
    if ((s->n + 1) * 2 > s->n_slots) {
        size_t ns = s->n_slots ? s->n_slots * 2 : 64;
        size_t *q = calloc(ns, sizeof *q);
        if (!q) {
            s->oom = 1;
            return;
        }
        free(s->slots);
        s->slots = q;
        s->n_slots = ns;
        for (size_t i = 0; i < s->n; i++)
            ns_slot(s, i);
    }
    char *d = strdup(x);
    if (!d) {
        s->oom = 1;
        return;
    }
    s->v[s->n++] = d;
    ns_slot(s, s->n - 1);
}

void pgmcg_nameset_free(pgmcg_nameset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    free(s->slots);
}

/* base, else base_2, base_3...: the first not in `s` (and, with `also`,
 * whose name + also is not in s either). Adds it (and name + also). */
char *pgmcg_nameset_unique(pgmcg_nameset *s, const char *base, const char *also)
{
    char cand[512], extra[600]; /* base is at most 399 bytes */
    for (unsigned k = 1;; k++) {
        if (k == 1)
            snprintf(cand, sizeof cand, "%s", base);
        else
            snprintf(cand, sizeof cand, "%s_%u", base, k);
        snprintf(extra, sizeof extra, "%s%s", cand, also ? also : "");
        if (!ns_has(s, cand) && (!also || !ns_has(s, extra)))
            break;
    }
    pgmcg_nameset_add(s, cand);
    if (also)
        pgmcg_nameset_add(s, extra);
    return strdup(cand);
}
