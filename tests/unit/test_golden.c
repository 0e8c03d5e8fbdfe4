/* test_golden.c - run the generator in-process on every tests/golden/<case>/
 * (inputs in migrations/, prefix = <case>) and compare with
 * expected/<case>.h and expected/<case>.c byte for byte.
 *
 * PGMC_UPDATE_GOLDEN=1 rewrites the expected files instead; review the diff
 * before committing it.
 */
#define _POSIX_C_SOURCE 200809L

#include "util/fsutil.h"
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PGMC_SOURCE_DIR
#error PGMC_SOURCE_DIR must be defined by the build
#endif

/* Print where two texts first differ, with a little context. */
static void diff_hint(const char *path, const char *want, size_t wn, const char *got, size_t gn)
{
    size_t i = 0, line = 1, bol = 0;
    while (i < wn && i < gn && want[i] == got[i]) {
        if (want[i] == '\n') {
            line++;
            bol = i + 1;
        }
        i++;
    }
    fprintf(stderr, "%s: differs from the generator's output at line %zu\n", path, line);
    const char *texts[2] = {want, got};
    size_t lens[2] = {wn, gn};
    const char *sign[2] = {"-", "+"};
    for (int k = 0; k < 2; k++) {
        size_t p = bol;
        for (int l = 0; l < 3 && p < lens[k]; l++) {
            const char *nl = memchr(texts[k] + p, '\n', lens[k] - p);
            size_t e = nl ? (size_t)(nl - texts[k]) : lens[k];
            fprintf(stderr, "%s%.*s\n", sign[k], (int)(e - p), texts[k] + p);
            p = e + 1;
        }
    }
    fprintf(stderr, "(run with PGMC_UPDATE_GOLDEN=1 to rewrite, then review the diff)\n");
}

static int check_file(const char *dir, const char *name, const pgmcg_buf *got, int update)
{
    char *exp_dir = pgmcg_path_join(dir, "expected");
    char *path = exp_dir ? pgmcg_path_join(exp_dir, name) : NULL;
    int rc = 0;
    if (!path) {
        rc = 1;
    } else if (update) {
        char *tmp;
        int e = pgmcg_mkdirs(exp_dir);
        if (!e)
            e = pgmcg_write_prepare(path, got->p, got->len, &tmp);
        if (!e)
            e = pgmcg_write_commit(tmp, path);
        if (e) {
            fprintf(stderr, "%s: cannot write: %s\n", path, strerror(e));
            rc = 1;
        } else {
            printf("updated %s\n", path);
        }
    } else {
        char *want;
        size_t wn;
        int e = pgmcg_read_file(path, &want, &wn);
        if (e) {
            fprintf(stderr, "%s: cannot read: %s\n", path, strerror(e));
            rc = 1;
        } else {
            if (wn != got->len || memcmp(want, got->p, wn)) {
                diff_hint(path, want, wn, got->p, got->len);
                rc = 1;
            }
            free(want);
        }
    }
    free(path);
    free(exp_dir);
    return rc;
}

int main(void)
{
    const char *root = PGMC_SOURCE_DIR "/tests/golden";
    const char *u = getenv("PGMC_UPDATE_GOLDEN");
    int update = u && !strcmp(u, "1");
    pgmcg_dirent *ents;
    size_t n;
    int e = pgmcg_list_dir(root, &ents, &n);
    if (e) {
        fprintf(stderr, "%s: %s\n", root, strerror(e));
        return 1;
    }
    int failures = 0, cases = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ents[i].is_dir || ents[i].name[0] == '.')
            continue;
        char *dir = pgmcg_path_join(root, ents[i].name);
        char *mig = dir ? pgmcg_path_join(dir, "migrations") : NULL;
        if (!mig) {
            free(dir);
            return 1;
        }
        /* Folders without migrations/ belong to other tests: rows/ to
         * test_emit_rows (a hand-built catalog), catalog/ to test_catalog. */
        struct stat st;
        if (stat(mig, &st) != 0 || !S_ISDIR(st.st_mode)) {
            free(mig);
            free(dir);
            continue;
        }
        cases++;
        pgmcg_gen_options o = {mig, ents[i].name, "/unused", "auto", 0};
        pgmcg_diag d;
        pgmcg_diag_init(&d, NULL);
        pgmcg_buf h = {0}, c = {0};
        if (pgmcg_gen_render(&o, &d, &h, &c) != PGMC_GEN_OK) {
            fprintf(stderr, "golden case %s failed to generate:\n%s", ents[i].name,
                    d.text ? d.text : "");
            failures++;
        } else {
            char name[300];
            snprintf(name, sizeof name, "%s.h", ents[i].name);
            failures += check_file(dir, name, &h, update);
            snprintf(name, sizeof name, "%s.c", ents[i].name);
            failures += check_file(dir, name, &c, update);
        }
        pgmcg_buf_free(&h);
        pgmcg_buf_free(&c);
        pgmcg_diag_free(&d);
        free(mig);
        free(dir);
    }
    pgmcg_dirents_free(ents, n);
    printf("test_golden: %d cases, %d failures\n", cases, failures);
    return failures != 0 || cases == 0;
}
