/* formats_read.c - see formats_read.h. */
#define _POSIX_C_SOURCE 200809L
#include "formats/formats_read.h"

#include "formats/formats.h"
#include "util/inputcheck.h"
#include "util/sha256.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct reader {
    const char *dir;
    pgmcg_project *p;
    pgmcg_diag *diag;
    int oom;
} reader;

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !memcmp(s + n - m, suf, m);
}

/* 1 for a name the loader reads as a top-level file. */
static int input_name(const char *nm)
{
    return ends_with(nm, ".sql") || ends_with(nm, ".sql.conf");
}

/* 1 if dir/name/file exists, whatever it is (a FIFO up.sql is then refused
 * when read, not skipped). */
static int exists_in(const char *dir, const char *name, const char *file)
{
    char *sub = pgmcg_path_join(dir, name);
    char *f = sub ? pgmcg_path_join(sub, file) : NULL;
    struct stat st;
    int found = f && lstat(f, &st) == 0;
    free(f);
    free(sub);
    return found;
}

/* 1 if `name` under dir is a diesel migration directory. */
static int is_diesel_dir(const char *dir, const char *name)
{
    return exists_in(dir, name, "up.sql") || exists_in(dir, name, "down.sql");
}

int pgmcg_formats_dir_empty(const char *dir)
{
    pgmcg_dirent *ents;
    size_t n;
    if (pgmcg_list_dir(dir, &ents, &n))
        return 0;
    int empty = 1;
    for (size_t i = 0; i < n && empty; i++) {
        const char *nm = ents[i].name;
        if (nm[0] == '.')
            continue;
        if (ents[i].is_dir ? is_diesel_dir(dir, nm) : ends_with(nm, ".sql"))
            empty = 0;
    }
    pgmcg_dirents_free(ents, n);
    return empty;
}

/* An error about the entry `rel` of the folder (at 1:1: no position applies). */
static void entry_error(reader *R, const char *rel, const char *what)
{
    char *path = pgmcg_path_join(R->dir, rel);
    pgmcg_diag_error(R->diag, path ? path : rel, 1, 1, "%s", what);
    free(path);
}

/* Check an input's text (UTF-8, when `utf8`) and strip its byte order
 * mark. Returns 0, or -1 after reporting the first invalid UTF-8 byte. */
static int check_text(reader *R, const char *path, int utf8, char *data, size_t *len, size_t *bom,
                      pgmcg_read_job *job)
{
    *bom = pgmcg_utf8_bom(data, *len);
    const char *text = data + *bom;
    size_t n = *len - *bom;
    size_t bad = utf8 ? pgmcg_utf8_invalid(text, n) : n;
    if (bad != n) {
        uint32_t line, col;
        pgmcg_text_position(text, bad, &line, &col);
        pgmcg_diag_error(R->diag, path, line, col,
                         "invalid UTF-8 (byte 0x%02x); migrations must be UTF-8 text",
                         (unsigned char)text[bad]);
        return -1;
    }
    if (*bom) {
        /* The checksum stays the hash of the exact file bytes, BOM included. */
        if (!job->hashed) {
            pgmcg_sha256(data, *len, job->sha256);
            job->hashed = 1;
        }
        memmove(data, data + *bom, n + 1);
        *len = n;
    }
    return 0;
}

/* Add one file to the project: read it now (job->data NULL and not yet
 * read), or take the result of the batch read. */
static int read_input(reader *R, const char *rel, pgmcg_read_job *job, int batched)
{
    char *path = pgmcg_path_join(R->dir, rel);
    if (!path) {
        R->oom = 1;
        return -1;
    }
    if (!batched)
        job->err = pgmcg_read_input(path, &job->data, &job->len);
    char *data = job->data;
    size_t len = job->len, bom = 0;
    int e = job->err;
    job->data = NULL;
    if (e) {
        pgmcg_diag_error(R->diag, path, 1, 1, e < 0 ? "%s" : "cannot read: %s",
                         pgmcg_fs_strerror(e));
        free(path);
        return -1;
    }
    if (check_text(R, path, ends_with(rel, ".sql"), data, &len, &bom, job)) {
        free(data);
        free(path);
        return -1;
    }
    pgmcg_input *in = pgmcg_project_add_input(R->p, rel, path, data, len);
    free(path);
    if (!in) {
        R->oom = 1;
        return -1;
    }
    in->bom = bom;
    if (job->hashed) {
        in->hashed = 1;
        memcpy(in->sha256, job->sha256, sizeof in->sha256);
    }
    return 0;
}

/* What to do with a directory entry. */
enum { SKIP, READ, DIESEL, REFUSED };

/* Decide about ents[i], reporting refusals and warnings when `report`. */
static int classify(reader *R, const pgmcg_dirent *ent, int report)
{
    const char *nm = ent->name;
    if (nm[0] == '.')
        return SKIP;
    int is_dir = ent->type == PGMC_FT_DIR;
    int diesel = is_dir && is_diesel_dir(R->dir, nm);
    if (!input_name(nm) && !diesel) {
        char want[1024];
        if (!is_dir && report && pgmcg_name_case_suggestion(nm, want, sizeof want)) {
            char *path = pgmcg_path_join(R->dir, nm);
            char esc[1100];
            pgmcg_diag_warning(R->diag, path ? path : nm, 0, 0,
                               "differs from a migration file name only by case, ignored: did "
                               "you mean %s?",
                               pgmcg_escape_name(want, esc, sizeof esc));
            free(path);
        } else if (is_dir && report) {
            char *path = pgmcg_path_join(R->dir, nm);
            pgmcg_diag_note(R->diag, path ? path : nm, 0, 0,
                            "directory ignored: it holds no up.sql or down.sql");
            free(path);
        }
        return SKIP;
    }
    const char *why = pgmcg_name_problem(nm);
    if (!why && is_dir && !diesel)
        why = "a directory named like a migration file; pgmc reads migrations only from "
              "regular files";
    char buf[200];
    if (!why && ent->type == PGMC_FT_MISSING) {
        /* stat failed while listing: a dangling or looping symlink, an
         * unreadable target, or a file removed meanwhile. Ask again for why. */
        char *path = pgmcg_path_join(R->dir, nm);
        struct stat st;
        int e = path && stat(path, &st) != 0 ? errno : 0;
        free(path);
        snprintf(buf, sizeof buf, "cannot read: %s",
                 e ? strerror(e) : "it changed while the folder was being read");
        why = buf;
    }
    if (!why && !is_dir && ent->type != PGMC_FT_REG)
        why = pgmcg_fs_strerror(pgmcg_ftype_error(ent->type));
    if (why) {
        if (report)
            entry_error(R, nm, why);
        return REFUSED;
    }
    return diesel ? DIESEL : READ;
}

static int cmp_input(const void *a, const void *b)
{
    return strcmp(((const pgmcg_input *)a)->rel, ((const pgmcg_input *)b)->rel);
}

/* 1 if a and b are equal ignoring ASCII case. */
static int same_ci(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

/* Warn about the files of the diesel directory nm that miss one of
 * `files` only by case (UP.SQL): diesel would ignore them, and so does pgmc. */
static void diesel_case_warnings(reader *R, const char *nm, const char *const *files, int n)
{
    char *sub = pgmcg_path_join(R->dir, nm);
    pgmcg_dirent *ents;
    size_t ne;
    if (!sub || pgmcg_list_dir(sub, &ents, &ne) != 0) {
        free(sub);
        return;
    }
    for (size_t i = 0; i < ne; i++)
        for (int k = 0; k < n; k++)
            if (strcmp(ents[i].name, files[k]) && same_ci(ents[i].name, files[k])) {
                char *path = pgmcg_path_join(sub, ents[i].name);
                pgmcg_diag_warning(R->diag, path ? path : ents[i].name, 0, 0,
                                   "differs from a migration file name only by case, ignored: "
                                   "did you mean %s?",
                                   files[k]);
                free(path);
            }
    pgmcg_dirents_free(ents, ne);
    free(sub);
}

/* The files of the diesel directory nm. */
static int read_diesel(reader *R, const char *nm)
{
    static const char *const files[] = {"down.sql", "metadata.toml", "up.sql"};
    int rc = 0;
    diesel_case_warnings(R, nm, files, 3);
    for (int k = 0; k < 3; k++) {
        if (!exists_in(R->dir, nm, files[k]))
            continue;
        char *rel = pgmcg_path_join(nm, files[k]);
        if (!rel) {
            R->oom = 1;
            return -1;
        }
        pgmcg_read_job job;
        memset(&job, 0, sizeof job);
        if (read_input(R, rel, &job, 0))
            rc = -1;
        free(rel);
        if (R->oom)
            return -1;
    }
    return rc;
}

int pgmcg_formats_read_inputs(const char *dir, const pgmcg_dirent *ents, size_t n, pgmcg_project *p,
                              pgmcg_diag *diag, int *n_diesel, int *oom)
{
    reader R = {dir, p, diag, 0};
    int rc = 0;
    *n_diesel = 0;
    /* The top-level files are read (and hashed) first, as one batch that
     * may use several threads; messages still come in directory order. */
    size_t n_jobs = 0, next_job = 0;
    pgmcg_read_job *jobs = malloc((n ? n : 1) * sizeof *jobs);
    if (!jobs) {
        *oom = 1;
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (classify(&R, &ents[i], 0) == READ)
            jobs[n_jobs++].rel = ents[i].name;
    /* If the directory cannot be opened again, read_input reads each file. */
    int batched = pgmcg_read_files(dir, jobs, n_jobs, 1) == 0;
    for (size_t i = 0; i < n && !R.oom; i++) {
        if (ents[i].is_dir && ents[i].name[0] != '.') {
            /* Looked into (is it a diesel migration?), whatever it is. */
            char *sub = pgmcg_path_join(dir, ents[i].name);
            if (!sub || pgmcg_project_add_dir(p, sub))
                R.oom = 1;
            free(sub);
        }
        switch (classify(&R, &ents[i], 1)) {
        case READ: {
            /* READ depends only on the listing (name, type), so both passes
             * agree and jobs[] is in entry order; checked all the same. */
            int mine = next_job < n_jobs && jobs[next_job].rel == ents[i].name;
            pgmcg_read_job one, *job = mine ? &jobs[next_job++] : &one;
            if (!batched || !mine)
                memset(job, 0, sizeof *job);
            if (read_input(&R, ents[i].name, job, batched && mine))
                rc = -1;
            break;
        }
        case DIESEL:
            (*n_diesel)++;
            if (read_diesel(&R, ents[i].name))
                rc = -1;
            break;
        case REFUSED:
            rc = -1;
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < n_jobs; i++)
        free(jobs[i].data); /* files not taken (after running out of memory) */
    free(jobs);
    if (p->n_inputs)
        qsort(p->inputs, p->n_inputs, sizeof *p->inputs, cmp_input);
    *oom = R.oom;
    return R.oom ? -1 : rc;
}
