/* test_fsutil.c - unit tests of gen/fsutil.c's reading: pgmcg_read_file and
 * the threaded batch reader pgmcg_read_files.
 *
 * Writes a scratch directory of files (under PGMC_TEST_TMPDIR when the
 * build defines it), reads them with 1 and with several threads, and checks
 * contents, NUL termination, per-file errors and hashes. Exits non-zero on
 * failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "util/fsutil.h"
#include "util/sha256.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PGMC_TEST_TMPDIR
#define PGMC_TEST_TMPDIR "/tmp"
#endif

static int failures, checks;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                            \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
        }                                                                                          \
    } while (0)

#define N_FILES 300

/* Contents of file i: i * 37 % 5000 bytes (some empty), deterministic. */
static size_t content(unsigned i, char *buf)
{
    size_t n = (size_t)i * 37 % 5000;
    for (size_t k = 0; k < n; k++)
        buf[k] = (char)('a' + (i + k) % 26);
    return n;
}

static void check_batch(const char *dir, const char *threads)
{
    static char want[5000];
    pgmcg_read_job jobs[N_FILES + 1];
    char names[N_FILES + 1][32];
    setenv("PGMC_GEN_THREADS", threads, 1);
    for (unsigned i = 0; i < N_FILES; i++) {
        snprintf(names[i], sizeof names[i], "%04u.sql", i);
        jobs[i].rel = names[i];
    }
    jobs[N_FILES].rel = "missing.sql";
    CHECK(pgmcg_read_files(dir, jobs, N_FILES + 1, 1) == 0, "batch (%s threads)", threads);
    for (unsigned i = 0; i < N_FILES; i++) {
        size_t n = content(i, want);
        uint8_t d[32];
        pgmcg_sha256(want, n, d);
        CHECK(jobs[i].err == 0 && jobs[i].len == n && !memcmp(jobs[i].data, want, n) &&
                  jobs[i].data[n] == '\0',
              "file %u (%s threads)", i, threads);
        CHECK(jobs[i].hashed && !memcmp(jobs[i].sha256, d, 32), "hash %u", i);
        free(jobs[i].data);
    }
    CHECK(jobs[N_FILES].err == ENOENT && !jobs[N_FILES].data, "missing file: err %d",
          jobs[N_FILES].err);
    CHECK(pgmcg_read_files("/nonexistent-pgmc-dir", jobs, 1, 0) == ENOENT, "missing dir");
}

int main(void)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/test_fsutil.%ld", PGMC_TEST_TMPDIR, (long)getpid());
    CHECK(pgmcg_mkdirs(dir) == 0, "mkdir %s", dir);
    static char buf[5000];
    char path[600];
    for (unsigned i = 0; i < N_FILES; i++) {
        snprintf(path, sizeof path, "%s/%04u.sql", dir, i);
        FILE *f = fopen(path, "wb");
        size_t n = content(i, buf);
        CHECK(f && fwrite(buf, 1, n, f) == n && fclose(f) == 0, "write %s", path);
    }

    char *data;
    size_t len;
    snprintf(path, sizeof path, "%s/0003.sql", dir);
    CHECK(pgmcg_read_file(path, &data, &len) == 0 && len == content(3, buf) &&
              !memcmp(data, buf, len) && data[len] == '\0',
          "pgmcg_read_file");
    free(data);
    CHECK(pgmcg_read_file(dir, &data, &len) == EISDIR, "directory");
    CHECK(pgmcg_read_file("/dev/null", &data, &len) == 0 && len == 0 && data[0] == '\0',
          "not a regular file");
    free(data);

    check_batch(dir, "1");
    check_batch(dir, "4");

    for (unsigned i = 0; i < N_FILES; i++) {
        snprintf(path, sizeof path, "%s/%04u.sql", dir, i);
        unlink(path);
    }
    rmdir(dir);
    printf("test_fsutil: %d checks, %d failed\n", checks, failures);
    return failures != 0;
}
