/* split_ref.c - split.c compiled without its token vector, as
 * pgmc_split_ref: every text treated like one too large to keep tokens for,
 * so its statements have no token spans and readers would lex them. The
 * reference that fuzz_split compares the real splitter's statements and
 * diagnostics against (its tokens are checked against a lexer run over
 * each statement's text, the way the replay used to get them). */
#define PGMC_SPLIT_NO_TOKENS       1
#define pgmcg_split                pgmc_split_ref
#define pgmcg_stmt_vec_free        pgmc_stmt_vec_free_ref
#define pgmcg_stmt_vec_drop_tokens pgmc_stmt_vec_drop_tokens_ref
#define pgmcg_stmt_tokens          pgmc_stmt_tokens_ref
#define pgmcg_stmt_expand          pgmc_stmt_expand_ref
#define pgmcg_stmt_vec_erase       pgmc_stmt_vec_erase_ref
#include "../gen/syntax/split.c"
