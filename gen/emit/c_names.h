/* c_names.h - C names for the generated code: the identifier rule for SQL
 * names (pgmcg_rows_c_ident, declared in emit_rows.h) and the set of names
 * in use that collision suffixes (_2, _3...) are chosen against.
 */
#ifndef PGMC_C_NAMES_H
#define PGMC_C_NAMES_H

#include <stddef.h>

/* A set of names in use, for collision suffixes: the names in `v`, and an
 * open-addressing index over them (slots hold index + 1; 0 is empty), so
 * that 20,000 tables do not cost 20,000 string compares each. */
typedef struct pgmcg_nameset {
    char **v;
    size_t n, cap;
    size_t *slots;
    size_t n_slots; /* a power of two, at least twice n */
    int oom;
} pgmcg_nameset;

/* Add a copy of x to s (on out-of-memory, sets s->oom). */
void pgmcg_nameset_add(pgmcg_nameset *s, const char *x);

/* Free everything s holds; an all-zero set is empty and needs no init. */
void pgmcg_nameset_free(pgmcg_nameset *s);

/* base, else base_2, base_3...: the first not in `s` (and, with `also`,
 * whose name + also is not in s either). Adds it (and name + also) to s and
 * returns a malloc'd copy for the caller to free (NULL on out-of-memory). */
char *pgmcg_nameset_unique(pgmcg_nameset *s, const char *base, const char *also);

#endif
