/* bench_gen.c - throughput of the whole generator, in process.
 *
 * Usage: bench_gen [-n MIGRATIONS] [-r RUNS] [-d DIR] [--compile] [--keep]
 *
 * Writes N synthetic migrations (default 10,000; see synth.h) into a temp
 * directory (or DIR, which is then used as it is if it already holds .sql
 * files), then times pgmcg_gen_run over it, best of RUNS (default 5), with
 * the outputs deleted before each run so every run writes them. Prints MB/s
 * and the ratio to the 500 MB/s target, plus a per-phase breakdown (load =
 * read + detect + split + checksums, txmode, inputs hash, emit).
 * --compile also times `cc -O0 -c` and `cc -O2 -c` on the generated .c and
 * compares with the 10 s target.
 */
#define _POSIX_C_SOURCE 200809L
#include "emit/emit.h"
#include "formats/formats.h"
#include "util/fsutil.h"
#include "gen.h"
#include "synth.h"
#include "formats/txmode.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef PGMC_BENCH_RUNTIME_DIR
#define PGMC_BENCH_RUNTIME_DIR "runtime"
#endif

#define TARGET_MBPS      500.0
#define TARGET_COMPILE_S 10.0

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Total bytes of the *.sql files in dir (0 if none). */
static size_t sql_bytes(const char *dir, size_t *files)
{
    DIR *d = opendir(dir);
    size_t total = 0;
    *files = 0;
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".sql"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        total += (size_t)ftell(f);
        fclose(f);
        ++*files;
    }
    closedir(d);
    return total;
}

/* Phase timings of one render, done by hand the way pgmcg_gen_render does. */
static void phases(const char *dir, double t[4])
{
    pgmcg_diag diag;
    pgmcg_diag_init(&diag, NULL);
    pgmcg_project p;
    memset(&p, 0, sizeof p);
    pgmcg_buf h = {0}, c = {0};
    char hex[65];
    double t0 = now();
    int rc = pgmcg_formats_load(dir, NULL, &p, &diag);
    double t1 = now();
    if (rc == 0)
        rc = pgmcg_txmode_apply(&p, &diag);
    double t2 = now();
    pgmcg_gen_inputs_hash(&p, "bench", hex);
    double t3 = now();
    if (rc == 0)
        rc = pgmcg_emit(&p, "bench", hex, &h, &c);
    double t4 = now();
    if (rc != 0) {
        fprintf(stderr, "bench_gen: render failed:\n%s", diag.text ? diag.text : "");
        exit(1);
    }
    double d[4] = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
    for (int i = 0; i < 4; i++)
        if (d[i] < t[i])
            t[i] = d[i];
    pgmcg_buf_free(&h);
    pgmcg_buf_free(&c);
    pgmcg_project_free(&p);
    pgmcg_diag_free(&diag);
}

/* The I/O the generator cannot avoid: reading every input (the way it
 * does, threads included) and writing an output of out_bytes. Best of runs. */
static void io_floor(const char *dir, const char *out_dir, size_t out_bytes, int runs, double *rd,
                     double *wr)
{
    pgmcg_dirent *ents;
    size_t n;
    *rd = *wr = 1e30;
    if (pgmcg_list_dir(dir, &ents, &n) != 0)
        return;
    pgmcg_read_job *jobs = calloc(n ? n : 1, sizeof *jobs);
    char *junk = malloc(out_bytes ? out_bytes : 1);
    char path[4200];
    snprintf(path, sizeof path, "%s/floor.tmp", out_dir);
    if (!jobs || !junk)
        exit(1);
    memset(junk, 'x', out_bytes);
    for (size_t i = 0; i < n; i++)
        jobs[i].rel = ents[i].name;
    for (int r = 0; r < runs; r++) {
        pgmcg_dirent *again;
        size_t n_again;
        double t0 = now();
        if (pgmcg_list_dir(dir, &again, &n_again) != 0) /* listing is part of it */
            exit(1);
        pgmcg_read_files(dir, jobs, n, 0);
        double t1 = now();
        pgmcg_dirents_free(again, n_again);
        for (size_t i = 0; i < n; i++)
            free(jobs[i].data);
        unlink(path);
        double t2 = now();
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(junk, 1, out_bytes, f) != out_bytes || fclose(f) != 0)
            exit(1);
        double t3 = now();
        if (t1 - t0 < *rd)
            *rd = t1 - t0;
        if (t3 - t2 < *wr)
            *wr = t3 - t2;
    }
    unlink(path);
    free(junk);
    free(jobs);
    pgmcg_dirents_free(ents, n);
}

static double time_cmd(const char *cmd)
{
    double t0 = now();
    int rc = system(cmd);
    double t = now() - t0;
    if (rc != 0) {
        fprintf(stderr, "bench_gen: failed (%d): %s\n", rc, cmd);
        exit(1);
    }
    return t;
}

int main(int argc, char **argv)
{
    unsigned n = 10000;
    int runs = 5, compile = 0, keep = 0;
    const char *dir_arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            n = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-r") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-d") && i + 1 < argc)
            dir_arg = argv[++i];
        else if (!strcmp(argv[i], "--compile"))
            compile = 1;
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else {
            fprintf(stderr, "usage: bench_gen [-n MIGRATIONS] [-r RUNS] [-d DIR] [--compile] "
                            "[--keep]\n");
            return 2;
        }
    }
    if (runs < 1)
        runs = 1;

    char root[] = "/tmp/pgmc-bench-gen.XXXXXX";
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    char mig[4096], out[4096], cmd[8192 + 512];
    snprintf(mig, sizeof mig, "%s", dir_arg ? dir_arg : "");
    if (!dir_arg)
        snprintf(mig, sizeof mig, "%s/migrations", root);
    snprintf(out, sizeof out, "%s/out", root);

    size_t files = 0, bytes = sql_bytes(mig, &files);
    if (bytes == 0) {
        double t0 = now();
        if (!pgmc_synth_write(mig, n, 0))
            return 1;
        bytes = sql_bytes(mig, &files);
        printf("wrote %zu files (%.1f MB) to %s in %.2f s\n", files, (double)bytes / 1e6, mig,
               now() - t0);
    }
    double mb = (double)bytes / 1e6;

    pgmcg_gen_options o;
    memset(&o, 0, sizeof o);
    o.migrations_dir = mig;
    o.prefix = "bench";
    o.out_dir = out;
    char hpath[4200], cpath[4200];
    snprintf(hpath, sizeof hpath, "%s/bench.h", out);
    snprintf(cpath, sizeof cpath, "%s/bench.c", out);

    double best = 1e30, ph[4] = {1e30, 1e30, 1e30, 1e30};
    for (int r = 0; r < runs; r++) {
        unlink(hpath);
        unlink(cpath);
        pgmcg_diag diag;
        pgmcg_diag_init(&diag, NULL);
        double t0 = now();
        int rc = pgmcg_gen_run(&o, &diag);
        double t = now() - t0;
        if (rc != PGMC_GEN_OK) {
            fprintf(stderr, "bench_gen: pgmcg_gen_run failed:\n%s", diag.text ? diag.text : "");
            return 1;
        }
        pgmcg_diag_free(&diag);
        if (t < best)
            best = t;
        phases(mig, ph);
    }
    FILE *cf = fopen(cpath, "rb");
    long out_bytes = 0;
    if (cf) {
        fseek(cf, 0, SEEK_END);
        out_bytes = ftell(cf);
        fclose(cf);
    }
    printf("input: %zu files, %.1f MB; output bench.c %.1f MB\n", files, mb,
           (double)out_bytes / 1e6);
    printf("pgmcg_gen_run: %.3f s best of %d = %.1f MB/s  (target %.0f MB/s: %.2fx of target)\n",
           best, runs, mb / best, TARGET_MBPS, mb / best / TARGET_MBPS);
    printf("  phases (best): load %.3f s, txmode %.3f s, inputs hash %.3f s, emit %.3f s\n", ph[0],
           ph[1], ph[2], ph[3]);
    double rd, wr;
    io_floor(mig, out, (size_t)out_bytes, runs, &rd, &wr);
    printf("  I/O floor on this machine: list+read inputs %.3f s + write output %.3f s = %.3f s"
           " (caps pgmc gen at %.0f MB/s)\n",
           rd, wr, rd + wr, mb / (rd + wr));

    if (compile) {
        const char *cc = getenv("CC") ? getenv("CC") : "cc";
        double t[2];
        const char *opt[2] = {"-O0", "-O2"};
        for (int k = 0; k < 2; k++) {
            snprintf(cmd, sizeof cmd, "%s %s -std=c11 -c -I%s -I%s -o %s/bench.o %s", cc, opt[k],
                     PGMC_BENCH_RUNTIME_DIR, out, root, cpath);
            t[k] = time_cmd(cmd);
            printf("compile %s %s: %.2f s  (target < %.0f s: %.2fx of budget)\n", cc, opt[k], t[k],
                   TARGET_COMPILE_S, t[k] / TARGET_COMPILE_S);
        }
    }

    if (keep) {
        printf("kept %s\n", root);
    } else {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        if (system(cmd) != 0)
            fprintf(stderr, "bench_gen: could not remove %s\n", root);
    }
    return 0;
}
