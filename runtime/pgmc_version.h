/* pgmc_version.h - THE version order of pgmc, header-only, shared by the
 * runtime (version.c wraps it as the public pgmc_version_cmp) and by the
 * generator (gen/project.h). It is static inline on purpose: neither
 * library defines a symbol for it, so libpgmcgen stays libpq-free and no
 * symbol is defined in both libraries (which one a binary got would
 * depend on link order).
 *
 * Meaning: versions are dot-separated parts of digits, compared part by
 * part as unbounded integers ("2" < "10", "1.2" < "1.10"); when one
 * version is a prefix of the other the shorter sorts first ("1" < "1.0"),
 * so two canonical versions (no leading zeros, as the generator writes
 * them) compare equal only when they are the same string. Leading zeros
 * of a part do not count ("007" == "7": the history may hold such text;
 * history_check.c reports it). NULL sorts before every version.
 *
 * "Same number" is a different, weaker question (pgmc_version_same): "1",
 * "1.0" and "1.0.0" name the same number; the generator refuses two
 * migrations whose versions are the same number. The versions that are the
 * same number as v are adjacent in the order above (v, v.0, v.0.0, ...). */
#ifndef PGMC_VERSION_H
#define PGMC_VERSION_H

#include <stddef.h>
#include <string.h>

/* One dot-free part s[0..n) without its leading zeros ("0" stays "0"). */
static inline void pgmc_version_part_trim(const char **s, size_t *n)
{
    while (*n > 1 && **s == '0')
        (*s)++, (*n)--;
}

/* Compare two dot-free parts of digits as unbounded integers. Non-digit
 * bytes (not in canonical versions) compare by byte value. */
static inline int pgmc_version_part_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int c;

    pgmc_version_part_trim(&a, &al);
    pgmc_version_part_trim(&b, &bl);
    if (al != bl)
        return al < bl ? -1 : 1;
    c = memcmp(a, b, al);
    return c < 0 ? -1 : c > 0;
}

/* The order described above: <0, 0 or >0 like strcmp. */
static inline int pgmc_version_order(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    for (;;) {
        size_t al = strcspn(a, "."), bl = strcspn(b, ".");
        int c = pgmc_version_part_cmp(a, al, b, bl);
        if (c)
            return c;
        a += al;
        b += bl;
        if (!*a || !*b)
            return *a ? 1 : *b ? -1 : 0;
        a++;
        b++;
    }
}

/* 1 if a and b are the same number: equal under pgmc_version_order once
 * trailing zero parts are ignored ("1" and "1.0", "0009" and "9"); else 0.
 * NULL is the same only as NULL. */
static inline int pgmc_version_same(const char *a, const char *b)
{
    if (!a || !b)
        return !a && !b;
    for (;;) {
        size_t al = strcspn(a, "."), bl = strcspn(b, ".");
        /* a part missing at the end counts as 0 */
        if (pgmc_version_part_cmp(*a ? a : "0", *a ? al : 1, *b ? b : "0", *b ? bl : 1))
            return 0;
        a += al;
        b += bl;
        if (!*a && !*b)
            return 1;
        if (*a)
            a++;
        if (*b)
            b++;
    }
}

#endif
