/* bench_synth.c - write a synthetic migrations folder (see synth.h).
 *
 * Usage: bench_synth DIR N [small]
 * Used by bench/apply_1000.sh; handy for trying pgmc gen by hand.
 */
#include "synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: bench_synth DIR N [small]\n", stderr);
        return 2;
    }
    int small = argc > 3 && !strcmp(argv[3], "small");
    size_t bytes = pgmc_synth_write(argv[1], (unsigned)strtoul(argv[2], NULL, 10), small);
    if (!bytes)
        return 1;
    printf("%zu\n", bytes);
    return 0;
}
