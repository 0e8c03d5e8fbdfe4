/* gen.c - see gen.h: read -> parse -> tx modes -> emit -> write. */
#include "gen.h"

#include "catalog/catalog.h"
#include "depfile.h"
#include "emit/emit.h"
#include "formats/formats.h"
#include "util/fsutil.h"
#include "util/inputcheck.h"
#include "util/sha256.h"
#include "formats/txmode.h"
#include "util/timing.h"

#include <stdlib.h>
#include <string.h>

/* Names a prefix must not take, compared ignoring case: C11 and C23
 * keywords, and the headers of the C library, POSIX and libpq, since
 * <prefix>.h lands in an include directory of the service, where it would
 * hide the real <string.h> from everything that includes it (the generated
 * .c itself, pgmc.h, libpq-fe.h). Keywords that start with '_' are
 * refused as such. Sorted (bytewise) for bsearch. */
static const char *const reserved_prefixes[] = {
    "aio",           "alignas",
    "alignof",       "alloca",
    "assert",        "auto",
    "bool",          "break",
    "case",          "char",
    "complex",       "const",
    "constexpr",     "continue",
    "cpio",          "ctype",
    "default",       "dirent",
    "dlfcn",         "do",
    "double",        "else",
    "endian",        "enum",
    "errno",         "extern",
    "false",         "fcntl",
    "fenv",          "float",
    "fmtmsg",        "fnmatch",
    "for",           "ftw",
    "getopt",        "glob",
    "goto",          "grp",
    "iconv",         "if",
    "inline",        "int",
    "inttypes",      "iso646",
    "langinfo",      "libgen",
    "libintl",       "limits",
    "locale",        "long",
    "malloc",        "math",
    "memory",        "monetary",
    "mqueue",        "ndbm",
    "netdb",         "nl_types",
    "nullptr",       "pg_config",
    "pg_config_ext", "pg_config_manual",
    "poll",          "postgres_ext",
    "pthread",       "pwd",
    "regex",         "register",
    "restrict",      "return",
    "sched",         "search",
    "semaphore",     "setjmp",
    "short",         "signal",
    "signed",        "sizeof",
    "spawn",         "static",
    "static_assert", "stdalign",
    "stdarg",        "stdatomic",
    "stdbit",        "stdbool",
    "stdckdint",     "stddef",
    "stdint",        "stdio",
    "stdlib",        "stdnoreturn",
    "string",        "strings",
    "stropts",       "struct",
    "switch",        "syslog",
    "tar",           "termios",
    "tgmath",        "thread_local",
    "threads",       "time",
    "trace",         "true",
    "typedef",       "typeof",
    "typeof_unqual", "uchar",
    "ulimit",        "union",
    "unistd",        "unsigned",
    "utime",         "utmpx",
    "void",          "volatile",
    "wchar",         "wctype",
    "while",         "wordexp",
};

static int cmp_ci(const void *key, const void *elem)
{
    const char *a = key, *b = *(const char *const *)elem;
    for (;; a++, b++) {
        int ca = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
        if (ca != *b || !ca)
            return ca - *b;
    }
}

const char *pgmcg_gen_prefix_problem(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9'))
        return "is not a C identifier (letters, digits, '_', not starting with a digit, at "
               "most 64)";
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return "is not a C identifier (letters, digits, '_', not starting with a digit, "
                   "at most 64)";
    }
    char low[6] = {0};
    for (size_t i = 0; i < 5 && i < n; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    if (!strcmp(low, "pgmc") || !strncmp(low, "pgmc_", 5))
        return "clashes with pgmc's own names (pgmc.h, pgmc_schema.h, the pgmc_ and PGMC_ "
               "identifiers)";
    if (s[0] == '_')
        return "starts with '_': <prefix>_schema would be a reserved identifier";
    if (s[n - 1] == '_' || strstr(s, "__"))
        return "holds or makes '__' (<prefix>_schema), which C++ reserves";
    if (bsearch(s, reserved_prefixes, sizeof reserved_prefixes / sizeof reserved_prefixes[0],
                sizeof reserved_prefixes[0], cmp_ci))
        return "is a C keyword or the name of a system header (<prefix>.h would hide it)";
    return NULL;
}

int pgmcg_gen_valid_prefix(const char *s)
{
    return pgmcg_gen_prefix_problem(s) == NULL;
}

void pgmcg_gen_inputs_hash(const pgmcg_project *p, const char *prefix, char hex[65])
{
    pgmcg_sha256_ctx c;
    pgmcg_sha256_init(&c);
    for (size_t i = 0; i < p->n_inputs; i++) {
        const pgmcg_input *in = &p->inputs[i];
        uint8_t len[8];
        for (int k = 0; k < 8; k++)
            len[k] = (uint8_t)((uint64_t)in->len >> (8 * k));
        pgmcg_sha256_update(&c, in->rel, strlen(in->rel) + 1);
        pgmcg_sha256_update(&c, len, sizeof len);
        pgmcg_sha256_update(&c, in->data, in->len);
        if (in->bom) /* only then, so that hashes of files without one stay as they were */
            pgmcg_sha256_update(&c, "bom", 4);
    }
    pgmcg_sha256_update(&c, "format", 7);
    pgmcg_sha256_update(&c, p->format, strlen(p->format) + 1);
    pgmcg_sha256_update(&c, "prefix", 7);
    pgmcg_sha256_update(&c, prefix, strlen(prefix) + 1);
    uint8_t d[32];
    pgmcg_sha256_final(&c, d);
    pgmcg_sha256_hex(d, hex);
}

/* Free every script's tokens (direction: 0 up, 1 down): once replayed, or
 * once the transaction modes are known for the downs, which are not
 * replayed. Freed early, their memory serves the later stages again. */
static void drop_tokens(pgmcg_project *p, int down)
{
    for (size_t i = 0; i < p->n_migs; i++)
        pgmcg_stmt_vec_drop_tokens(down ? &p->migs[i].down.stmts : &p->migs[i].up.stmts);
}

/* Replay the schema (catalog.h) and emit migrations plus typed rows. The
 * replay's own errors and warnings do not fail `gen` (the migrations are
 * still fine to compile; the server is the judge of the DDL): one note
 * says how many there were and where to see them, and the structs cover
 * what the replay could follow. Returns 0, or -1 on out-of-memory. */
static int emit_with_catalog(pgmcg_project *p, const pgmcg_gen_options *o, const char *hex,
                             pgmcg_diag *diag, pgmcg_buf *h, pgmcg_buf *c)
{
    pgmcg_catalog cat;
    pgmcg_catalog_init(&cat);
    pgmcg_diag cd;
    pgmcg_diag_init(&cd, NULL);
    double t0 = pgmcg_now();
    pgmcg_catalog_replay(&cat, p, &cd);
    if (cd.errors || cat.warnings)
        pgmcg_diag_note(diag, NULL, 0, 0,
                        "typed rows: replaying the schema gave %u error(s) and %u warning(s); "
                        "`pgmc schema --migrations %s` shows them",
                        cd.errors, cat.warnings, o->migrations_dir);
    drop_tokens(p, 0);
    double t1 = pgmcg_now();
    pgmcg_buf flat = {0};
    pgmcg_catalog_flat(&cat, &flat);
    pgmcg_buf_putc(&flat, '\0');
    double t2 = pgmcg_now();
    int rc = flat.oom ? -1 : pgmcg_emit_full(p, o->prefix, hex, &cat, flat.p, h, c);
    double t3 = pgmcg_now();
    pgmcg_buf_free(&flat);
    pgmcg_diag_free(&cd);
    pgmcg_catalog_free(&cat);
    pgmcg_timing_add(PGMCG_T_REPLAY, t1 - t0);
    pgmcg_timing_add(PGMCG_T_FLAT, t2 - t1);
    pgmcg_timing_add(PGMCG_T_EMIT, t3 - t2);
    pgmcg_timing_add(PGMCG_T_FREE, pgmcg_now() - t3);
    return rc;
}

/* pgmcg_gen_render; on success the project is moved to *keep when that is
 * not NULL (the caller frees it), for the depfile. */
static int render(const pgmcg_gen_options *o, pgmcg_diag *diag, pgmcg_buf *h, pgmcg_buf *c,
                  pgmcg_project *keep)
{
    if (!o->migrations_dir || !o->prefix || !o->out_dir) {
        pgmcg_diag_error(diag, NULL, 0, 0, "--migrations, --prefix and --out-dir are required");
        return PGMC_GEN_USAGE;
    }
    const char *why = pgmcg_gen_prefix_problem(o->prefix);
    if (why) {
        char esc[300];
        pgmcg_diag_error(diag, NULL, 0, 0, "--prefix '%s' %s",
                         pgmcg_escape_name(o->prefix, esc, sizeof esc), why);
        return PGMC_GEN_USAGE;
    }
    if (pgmcg_format_check(o->format, diag))
        return PGMC_GEN_USAGE;
    if (o->n_queries) {
        pgmcg_diag_error(diag, NULL, 0, 0, "query files are not supported yet (--queries)");
        return PGMC_GEN_USAGE;
    }
    pgmcg_project p;
    memset(&p, 0, sizeof p);
    unsigned errors_before = diag->errors;
    double t0 = pgmcg_now();
    int rc = pgmcg_formats_load(o->migrations_dir, o->format, &p, diag);
    double t1 = pgmcg_now();
    pgmcg_timing_add(PGMCG_T_FORMATS, t1 - t0); /* with list, read, split (timing.c) */
    if (rc == 0)
        rc = pgmcg_txmode_apply(&p, diag);
    drop_tokens(&p, 1);
    double t2 = pgmcg_now();
    pgmcg_timing_add(PGMCG_T_TXMODE, t2 - t1);
    if (rc == 0) {
        char hex[65];
        pgmcg_gen_inputs_hash(&p, o->prefix, hex);
        pgmcg_timing_add(PGMCG_T_HASH, pgmcg_now() - t2);
        rc = emit_with_catalog(&p, o, hex, diag, h, c);
    }
    if (rc != 0 && diag->errors == errors_before)
        pgmcg_diag_error(diag, NULL, 0, 0, "out of memory");
    if (rc == 0 && keep) {
        *keep = p;
        return PGMC_GEN_OK;
    }
    double t3 = pgmcg_now();
    pgmcg_project_free(&p);
    pgmcg_timing_add(PGMCG_T_FREE, pgmcg_now() - t3);
    return rc == 0 ? PGMC_GEN_OK : PGMC_GEN_FAILED;
}

int pgmcg_gen_render(const pgmcg_gen_options *o, pgmcg_diag *diag, pgmcg_buf *h, pgmcg_buf *c)
{
    return render(o, diag, h, c, NULL);
}

int pgmcg_gen_run(const pgmcg_gen_options *o, pgmcg_diag *diag)
{
    return pgmcg_gen_run_depfile(o, NULL, diag);
}

int pgmcg_gen_run_depfile(const pgmcg_gen_options *o, const char *depfile, pgmcg_diag *diag)
{
    pgmcg_buf h = {0}, c = {0}, dep = {0};
    pgmcg_project p;
    memset(&p, 0, sizeof p);
    int rc = render(o, diag, &h, &c, depfile ? &p : NULL);
    char *hp = NULL, *cp = NULL;
    double t0 = pgmcg_now();
    if (rc != PGMC_GEN_OK)
        goto out;
    rc = PGMC_GEN_FAILED;
    size_t n = strlen(o->prefix);
    char *name = malloc(n + 3);
    if (!name) {
        pgmcg_diag_error(diag, NULL, 0, 0, "out of memory");
        goto out;
    }
    memcpy(name, o->prefix, n);
    memcpy(name + n, ".h", 3);
    hp = pgmcg_path_join(o->out_dir, name);
    name[n + 1] = 'c';
    cp = pgmcg_path_join(o->out_dir, name);
    free(name);
    if (!hp || !cp) {
        pgmcg_diag_error(diag, NULL, 0, 0, "out of memory");
        goto out;
    }
    int e = pgmcg_mkdirs(o->out_dir);
    if (e) {
        pgmcg_diag_error(diag, o->out_dir, 0, 0, "cannot create output directory: %s", strerror(e));
        goto out;
    }
    /* The depfile says what the outputs were made from. */
    size_t n_out = 2;
    if (depfile) {
        const char *targets[2] = {hp, cp};
        pgmcg_depfile_render(&p, targets, 2, &dep);
        if (dep.oom) {
            pgmcg_diag_error(diag, NULL, 0, 0, "out of memory");
            goto out;
        }
        n_out = 3;
    }
    /* All outputs or none: refuse targets a rename cannot replace, write
     * every temp file, then rename them all (pgmcg_write_commit_all undoes
     * the first ones if a later one fails). */
    const char *paths[3] = {hp, cp, depfile};
    char *tmps[3] = {NULL, NULL, NULL};
    for (size_t k = 0; k < n_out; k++) {
        if ((e = pgmcg_write_target_ok(paths[k])) != 0) {
            pgmcg_diag_error(diag, paths[k], 1, 1, "cannot replace: %s", pgmcg_fs_strerror(e));
            goto out;
        }
    }
    for (size_t k = 0; k < n_out; k++) {
        const pgmcg_buf *b = k == 0 ? &h : k == 1 ? &c : &dep;
        if ((e = pgmcg_write_prepare(paths[k], b->p, b->len, &tmps[k])) != 0) {
            pgmcg_diag_error(diag, paths[k], 1, 1, "cannot write: %s", strerror(e));
            for (size_t j = 0; j < k; j++)
                pgmcg_write_abort(tmps[j]);
            goto out;
        }
    }
    size_t bad = 0;
    if ((e = pgmcg_write_commit_all(tmps, paths, n_out, &bad)) != 0) {
        pgmcg_diag_error(diag, paths[bad], 1, 1, "cannot write: %s (no output changed)",
                         strerror(e));
        goto out;
    }
    rc = PGMC_GEN_OK;
out:
    free(hp);
    free(cp);
    double t1 = pgmcg_now();
    pgmcg_buf_free(&h);
    pgmcg_buf_free(&c);
    pgmcg_buf_free(&dep);
    pgmcg_project_free(&p);
    pgmcg_timing_add(PGMCG_T_WRITE, t1 - t0);
    pgmcg_timing_add(PGMCG_T_FREE, pgmcg_now() - t1);
    pgmcg_timing_report();
    return rc;
}
