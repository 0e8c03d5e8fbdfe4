/* mem.h - memory hints for the generator's large buffers (input files).
 */
#ifndef PGMC_MEM_H
#define PGMC_MEM_H

#include <stddef.h>

/* Buffers at least this large get the huge-page hint. */
#define PGMC_HUGE_HINT_MIN ((size_t)4 << 20)

/* Ask the kernel to back the whole pages inside p[0..n) with huge pages
 * (Linux transparent huge pages, madvise mode), when n is at least
 * PGMC_HUGE_HINT_MIN: touching fresh memory page by page is the main cost
 * of reading a 50 MB input on machines where each page fault is expensive
 * (virtual machines). For blocks allocated once at their final size: on
 * buffers that grow by realloc (pgmcg_buf) it was measured to cost more
 * memory and faults than it saves. Only a hint: contents and ownership are
 * unchanged, nothing happens elsewhere or on failure. p must be a heap
 * block of at least n bytes (or NULL). */
void pgmcg_mem_huge_hint(void *p, size_t n);

#endif
