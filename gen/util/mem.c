/* mem.c - memory hints (see mem.h). */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "util/mem.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

void pgmcg_mem_huge_hint(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (!p || n < PGMC_HUGE_HINT_MIN)
        return;
    static uintptr_t page;
    if (!page) {
        long ps = sysconf(_SC_PAGESIZE);
        page = ps > 0 ? (uintptr_t)ps : 4096;
    }
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t e = ((uintptr_t)p + n) & ~(page - 1);
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}
