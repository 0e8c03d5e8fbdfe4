/* create.c - see create.h.
 *
 * Numbering, from the newest (highest) existing version:
 *   - 14 digits that read as a date and time (dashes removed, so diesel's
 *     2024-01-01-120000 counts): timestamps. The new one is the current UTC
 *     time, or newest+1 when that is not greater than newest.
 *   - anything else: sequential, newest+1 (for flyway's 1.2, the major part:
 *     2). Zero-padded when any existing version is (0009), to the widest
 *     existing width; a number that no longer fits widens (9999 -> 10000).
 *   - no versions, or only version 0 (diesel's 00000000000000 setup): the
 *     format's own habit: dbmate and diesel timestamps, flyway V1, the
 *     others 0001.
 * --timestamp / --sequential pick the style; the version is still greater
 * than the newest.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/create.h"

#include "formats/format_ops.h"
#include "formats/formats.h"
#include "util/fsutil.h"
#include "gen.h"
#include "formats/project.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pgmcg_create_slug(const char *name, char *out, size_t cap)
{
    size_t n = 0, max = cap ? cap - 1 : 0;
    if (max > PGMC_CREATE_SLUG_MAX)
        max = PGMC_CREATE_SLUG_MAX;
    int sep = 0;
    for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
        unsigned char c = *s;
        char keep;
        if (c >= 'A' && c <= 'Z')
            keep = (char)(c + 32);
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            keep = (char)c;
        else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' || c == '_' ||
                 c == '.') {
            sep = n > 0;
            continue;
        } else {
            continue; /* dropped */
        }
        if (n + sep + 1 > max)
            return -1;
        if (sep)
            out[n++] = '_';
        sep = 0;
        out[n++] = keep;
    }
    if (cap)
        out[n] = '\0';
    return (int)n;
}

void pgmcg_create_result_free(pgmcg_create_result *res)
{
    free(res->version);
    for (size_t i = 0; i < 2; i++)
        free(res->paths[i]);
    memset(res, 0, sizeof *res);
}

/* ---- versions ---- */

/* The first part of a canonical version ("1" of "1.2"), malloc'd. */
static char *major_part(const char *v)
{
    size_t n = strcspn(v, ".");
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, v, n);
        p[n] = '\0';
    }
    return p;
}

/* Decimal digits s plus one, malloc'd ("199" -> "200", "9" -> "10"). */
static char *incr(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n + 2);
    if (!p)
        return NULL;
    memcpy(p + 1, s, n + 1);
    p[0] = '0';
    size_t i = n;
    for (;;) {
        if (p[i] != '9') {
            p[i]++;
            break;
        }
        p[i] = '0';
        i--; /* p[0] is '0', so this stops there at the latest */
    }
    if (p[0] == '0')
        memmove(p, p + 1, n + 1);
    return p;
}

/* s zero-padded on the left to `width`, malloc'd (wider s is kept whole). */
static char *pad(const char *s, size_t width)
{
    size_t n = strlen(s), z = width > n ? width - n : 0;
    char *p = malloc(n + z + 1);
    if (p) {
        memset(p, '0', z);
        memcpy(p + z, s, n + 1);
    }
    return p;
}

/* The digits of a version as spelled ("0021", "2024-01-01-120000",
 * "1_2"): its first digit run, dashes skipped, into out. */
static void first_digits(const char *raw, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *s = raw; *s && o + 1 < cap; s++) {
        if (*s == '-')
            continue;
        if (*s < '0' || *s > '9')
            break;
        out[o++] = *s;
    }
    out[o] = '\0';
}

static int num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* 1 if d is 14 digits that read as YYYYMMDDHHMMSS. */
static int is_timestamp(const char *d)
{
    if (strlen(d) != 14)
        return 0;
    int year = num2(d) * 100 + num2(d + 2), mon = num2(d + 4), day = num2(d + 6);
    int h = num2(d + 8), m = num2(d + 10), s = num2(d + 12);
    return year >= 1900 && year <= 2999 && mon >= 1 && mon <= 12 && day >= 1 && day <= 31 &&
           h <= 23 && m <= 59 && s <= 60;
}

/* ---- what the folder looks like ---- */

typedef struct survey {
    const pgmcg_gen_migration *newest; /* highest versioned migration, or NULL */
    int style;                         /* detected: PGMC_CREATE_TIMESTAMP / _SEQUENTIAL / _AUTO */
    size_t width;                      /* zero-padding width of sequential numbers, 0: none */
    int has_pairs;                     /* a .up.sql or .down.sql file exists (sqlx) */
    int has_downs;                     /* some migration has a down (flyway: U files) */
} survey;

static void survey_project(const pgmcg_project *p, survey *sv)
{
    memset(sv, 0, sizeof *sv);
    int padded = 0;
    size_t widest = 0;
    for (size_t i = 0; i < p->n_migs; i++) {
        const pgmcg_gen_migration *m = &p->migs[i];
        if (m->kind != PGMC_VERSIONED)
            continue;
        if (!sv->newest || pgmc_version_order(m->version, sv->newest->version) > 0)
            sv->newest = m;
        if (m->down.input)
            sv->has_downs = 1;
        char d[64];
        first_digits(m->version_raw, d, sizeof d);
        size_t n = strlen(d);
        if (n > 1 && d[0] == '0')
            padded = 1;
        if (n > widest)
            widest = n;
    }
    for (size_t i = 0; i < p->n_inputs; i++) {
        const char *r = p->inputs[i].rel;
        size_t n = strlen(r);
        if ((n > 7 && !strcmp(r + n - 7, ".up.sql")) || (n > 9 && !strcmp(r + n - 9, ".down.sql")))
            sv->has_pairs = 1;
    }
    sv->width = padded ? widest : 0;
    if (sv->newest && strcmp(sv->newest->version, "0")) {
        char d[64];
        first_digits(sv->newest->version_raw, d, sizeof d);
        sv->style = is_timestamp(d) ? PGMC_CREATE_TIMESTAMP : PGMC_CREATE_SEQUENTIAL;
    }
}

/* The new version as it is spelled in the file name; malloc'd, NULL on OOM. */
static char *next_version(const pgmcg_format_ops *format, const survey *sv, int style, size_t width,
                          time_t now)
{
    char *major = sv->newest ? major_part(sv->newest->version) : NULL;
    if (sv->newest && !major)
        return NULL;
    char *v;
    if (style == PGMC_CREATE_TIMESTAMP) {
        struct tm tm;
        char ts[32];
        if (!gmtime_r(&now, &tm) || !strftime(ts, sizeof ts, "%Y%m%d%H%M%S", &tm))
            ts[0] = '\0';
        if (sv->newest && (!ts[0] || pgmc_version_order(ts, sv->newest->version) <= 0))
            v = incr(major);
        else
            v = strdup(ts[0] ? ts : "1");
    } else {
        char *n = major ? incr(major) : strdup("1");
        v = n ? pad(n, width) : NULL;
        free(n);
    }
    /* Diesel spells timestamps 2024-01-01-120000: new ones, and the next
     * number after a folder's own dashed one. */
    int dashed =
        style == PGMC_CREATE_TIMESTAMP || (sv->newest && strchr(sv->newest->version_raw, '-'));
    if (v && dashed && format->dashed_timestamps && strlen(v) == 14) {
        char *d = malloc(18);
        if (d)
            snprintf(d, 18, "%.4s-%.2s-%.2s-%.6s", v, v + 4, v + 6, v + 8);
        free(v);
        v = d;
    }
    free(major);
    return v;
}

/* ---- the files ---- */

/* Create path with O_EXCL and write body. Returns 0 or an errno value (the
 * file is removed again if writing fails). */
static int create_file(const char *path, const char *body)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0)
        return errno;
    size_t n = strlen(body), off = 0;
    int e = 0;
    while (off < n) {
        ssize_t w = write(fd, body + off, n - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0 && !e)
        e = errno;
    if (e)
        unlink(path);
    return e;
}

/* ---- the verb ---- */

/* Load the folder (messages kept back unless it fails) and survey it. */
static int load_folder(const pgmcg_create_options *o, pgmcg_diag *diag, pgmcg_project *p,
                       survey *sv)
{
    pgmcg_diag quiet;
    pgmcg_diag_init(&quiet, NULL);
    int rc = pgmcg_formats_load(o->migrations_dir, o->format, p, &quiet);
    if (rc) {
        pgmcg_diag_take(diag, &quiet);
        if (!quiet.errors)
            pgmcg_diag_error(diag, o->migrations_dir, 0, 0, "cannot load the migrations folder");
    }
    pgmcg_diag_free(&quiet);
    if (rc == 0)
        survey_project(p, sv);
    return rc;
}

int pgmcg_create_run(const pgmcg_create_options *o, pgmcg_diag *diag, pgmcg_create_result *res)
{
    memset(res, 0, sizeof *res);
    if (!o->migrations_dir || !o->name) {
        pgmcg_diag_error(diag, NULL, 0, 0, "create needs NAME and --migrations");
        return PGMC_GEN_USAGE;
    }
    if (pgmcg_format_check(o->format, diag))
        return PGMC_GEN_USAGE;
    char slug[PGMC_CREATE_SLUG_MAX + 1];
    int sl = pgmcg_create_slug(o->name, slug, sizeof slug);
    if (sl < 0) {
        pgmcg_diag_error(diag, NULL, 0, 0,
                         "migration name '%.60s...' is too long (at most %d "
                         "characters once made a file name)",
                         o->name, PGMC_CREATE_SLUG_MAX);
        return PGMC_GEN_USAGE;
    }
    if (sl == 0) {
        pgmcg_diag_error(diag, NULL, 0, 0,
                         "migration name '%s' has nothing usable in a file name (use letters, "
                         "digits, '_', '-' or spaces)",
                         o->name);
        return PGMC_GEN_USAGE;
    }

    struct stat st;
    int exists = stat(o->migrations_dir, &st) == 0;
    if (exists && !S_ISDIR(st.st_mode)) {
        pgmcg_diag_error(diag, o->migrations_dir, 0, 0, "not a directory");
        return PGMC_GEN_FAILED;
    }
    pgmcg_project p;
    memset(&p, 0, sizeof p);
    survey sv;
    memset(&sv, 0, sizeof sv);
    const pgmcg_format_ops *format = NULL;
    int rc = PGMC_GEN_FAILED;
    pgmcg_new_files f;
    memset(&f, 0, sizeof f);
    char *dir_path = NULL;
    int made_dir = 0;
    if (exists && !pgmcg_formats_dir_empty(o->migrations_dir)) {
        if (load_folder(o, diag, &p, &sv))
            goto out;
        format = pgmcg_format_find(p.format);
    } else {
        format = o->format ? pgmcg_format_find(o->format) : NULL;
        if (!format) /* none, or "auto" */
            format = pgmcg_format_find("golang-migrate");
    }
    res->format = format->name;

    size_t width = format->pad_width;
    int style = format->new_timestamps ? PGMC_CREATE_TIMESTAMP : PGMC_CREATE_SEQUENTIAL;
    if (sv.style) {
        style = sv.style;
        width = sv.width;
    }
    if (o->style)
        style = o->style;
    res->version = next_version(format, &sv, style, width, o->now ? o->now : time(NULL));
    if (!res->version)
        goto oom;
    /* By construction the new version is above every existing one; check. */
    {
        char canon[64];
        first_digits(res->version, canon, sizeof canon);
        const char *c = canon;
        while (c[0] == '0' && c[1])
            c++;
        for (size_t i = 0; i < p.n_migs; i++)
            if (p.migs[i].kind == PGMC_VERSIONED && pgmc_version_order(p.migs[i].version, c) >= 0) {
                pgmcg_diag_error(diag, p.migs[i].up.input->path, 0, 0,
                                 "version collision: new version %s is not above version %s",
                                 res->version, p.migs[i].version);
                goto out;
            }
    }
    pgmcg_new_request rq = {res->version, slug, o->no_down, sv.has_pairs, sv.has_downs};
    if (format->new_files(&rq, &f))
        goto oom;

    int e = pgmcg_mkdirs(o->migrations_dir);
    if (e) {
        pgmcg_diag_error(diag, o->migrations_dir, 0, 0, "cannot create directory: %s", strerror(e));
        goto out;
    }
    if (f.dir) {
        if (!(dir_path = pgmcg_path_join(o->migrations_dir, f.dir)))
            goto oom;
        if (mkdir(dir_path, 0777) != 0) {
            e = errno;
            pgmcg_diag_error(diag, dir_path, 0, 0, "%s",
                             e == EEXIST ? "already exists (pgmc create never overwrites)"
                                         : strerror(e));
            goto out;
        }
        made_dir = 1;
    }
    for (int i = 0; i < f.n; i++) {
        char *path = pgmcg_path_join(o->migrations_dir, f.rel[i]);
        if (!path)
            goto oom;
        if ((e = create_file(path, f.body[i])) != 0) {
            pgmcg_diag_error(diag, path, 0, 0, "%s",
                             e == EEXIST ? "already exists (pgmc create never overwrites)"
                                         : strerror(e));
            free(path);
            goto out;
        }
        res->paths[res->n_paths++] = path;
    }
    rc = PGMC_GEN_OK;
    goto out;
oom:
    pgmcg_diag_error(diag, NULL, 0, 0, "out of memory");
out:
    if (rc != PGMC_GEN_OK) {
        for (size_t i = 0; i < res->n_paths; i++)
            unlink(res->paths[i]);
        if (made_dir)
            rmdir(dir_path);
        const char *fmt = res->format;
        pgmcg_create_result_free(res);
        res->format = fmt;
    }
    pgmcg_new_files_free(&f);
    free(dir_path);
    pgmcg_project_free(&p);
    return rc;
}
