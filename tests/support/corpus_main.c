/* corpus_main.c - a minimal service for a corpus folder: `<bin> migrate ...`
 * or just `<bin> <verb>`. Linked once per corpus with the schema that
 * pgmc_generate compiled from it under the prefix "corpus". */
#include "corpus.h"
#include "pgmc.h"

#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "migrate"))
        return pgmc_main(argc - 1, argv + 1, &corpus_schema);
    return pgmc_main(argc, argv, &corpus_schema);
}
