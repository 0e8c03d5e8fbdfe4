/* version.c - numeric, part-by-part comparison of version strings. */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "pgmc_internal.h"

/* Compare one dot-free part of digits as an unbounded integer. Non-digit
 * bytes (not expected in canonical versions) compare by byte value. */
static int part_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int c;

    while (al > 1 && *a == '0')
        a++, al--;
    while (bl > 1 && *b == '0')
        b++, bl--;
    if (al != bl)
        return al < bl ? -1 : 1;
    c = memcmp(a, b, al);
    return c < 0 ? -1 : c > 0;
}

int pgmc_version_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    for (;;) {
        size_t al = strcspn(a, "."), bl = strcspn(b, ".");
        int c = part_cmp(a, al, b, bl);
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
