/* version.c - the public pgmc_version_cmp: the one version order of
 * pgmc_version.h (shared with the generator, header-only). */
#define _POSIX_C_SOURCE 200809L

#include "pgmc_internal.h"
#include "pgmc_version.h"

int pgmc_version_cmp(const char *a, const char *b)
{
    return pgmc_version_order(a, b);
}
