/* bench_floor.c - one timed run of the generator, or of its floor, for
 * bench/case_gen.sh.
 *
 * Usage: bench_floor floor DIR          read every *.sql file of DIR (one
 *                                       thread, read(2) into one buffer) and
 *                                       memchr it for ';'
 *        bench_floor gen DIR OUT_DIR    pgmcg_gen_run over DIR into OUT_DIR
 *                                       (outputs deleted first, so it writes)
 *
 * Prints one line: "<seconds> <input bytes> <count>" (count: the ';' found,
 * or 0 for gen), timed with CLOCK_MONOTONIC around the work only (the
 * process start and exit are not in it; case_gen.sh times the CLI process
 * from outside).
 */
#define _POSIX_C_SOURCE 200809L
#include "gen.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Append all of `path` to *buf (grown with realloc); exits on error. */
static void slurp(const char *path, char **buf, size_t *len, size_t *cap)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(path);
        exit(1);
    }
    size_t want = *len + (size_t)st.st_size + 1;
    if (want > *cap) {
        *cap = want * 2;
        *buf = realloc(*buf, *cap);
        if (!*buf) {
            perror("realloc");
            exit(1);
        }
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, *buf + *len + got, (size_t)st.st_size - got);
        if (r <= 0) {
            perror(path);
            exit(1);
        }
        got += (size_t)r;
    }
    *len += got;
    close(fd);
}

/* The floor: list DIR, read every *.sql file, count ';' with memchr. */
static int floor_run(const char *dir)
{
    double t0 = now();
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0, count = 0;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".sql"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        slurp(path, &buf, &len, &cap);
    }
    closedir(d);
    for (const char *p = buf, *end = buf + len; p < end; p++) {
        p = memchr(p, ';', (size_t)(end - p));
        if (!p)
            break;
        count++;
    }
    double t = now() - t0;
    printf("%.6f %zu %zu\n", t, len, count);
    free(buf);
    return 0;
}

/* Total size of the *.sql files of dir. */
static size_t sql_bytes(const char *dir)
{
    DIR *d = opendir(dir);
    size_t total = 0;
    struct dirent *e;
    char path[4096];
    struct stat st;
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".sql"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0)
            total += (size_t)st.st_size;
    }
    closedir(d);
    return total;
}

static int gen_run(const char *dir, const char *out)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/bench.h", out);
    unlink(path);
    snprintf(path, sizeof path, "%s/bench.c", out);
    unlink(path);
    pgmcg_gen_options o;
    memset(&o, 0, sizeof o);
    o.migrations_dir = dir;
    o.prefix = "bench";
    o.out_dir = out;
    pgmcg_diag diag;
    pgmcg_diag_init(&diag, NULL);
    double t0 = now();
    int rc = pgmcg_gen_run(&o, &diag);
    double t = now() - t0;
    if (rc != PGMC_GEN_OK) {
        fprintf(stderr, "bench_floor: pgmcg_gen_run failed:\n%s", diag.text ? diag.text : "");
        pgmcg_diag_free(&diag);
        return 1;
    }
    pgmcg_diag_free(&diag);
    printf("%.6f %zu 0\n", t, sql_bytes(dir));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "floor"))
        return floor_run(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "gen"))
        return gen_run(argv[2], argv[3]);
    fprintf(stderr, "usage: bench_floor floor DIR | bench_floor gen DIR OUT_DIR\n");
    return 2;
}
