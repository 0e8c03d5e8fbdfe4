/* split_ref.c - split.c compiled without its pgmcg_lex_skip fast path, as
 * pgmc_split_ref: the token-by-token reference that fuzz_split compares
 * the real splitter against. */
#define PGMC_SPLIT_NO_SKIP  1
#define pgmcg_split         pgmc_split_ref
#define pgmcg_stmt_vec_free pgmc_stmt_vec_free_ref
#include "../gen/split.c"
