/* fsutil.c - see fsutil.h. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* d_type, DT_DIR, DT_REG */
#include "util/fsutil.h"
#include "util/mem.h"
#include "util/timing.h"

#include "util/sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

const char *pgmcg_fs_strerror(int e)
{
    switch (e) {
    case PGMC_FS_E_FIFO:
        return "not a regular file but a FIFO; pgmc reads migrations only from regular files";
    case PGMC_FS_E_CHR:
        return "not a regular file but a character device; pgmc reads migrations only from "
               "regular files";
    case PGMC_FS_E_BLK:
        return "not a regular file but a block device; pgmc reads migrations only from regular "
               "files";
    case PGMC_FS_E_SOCK:
        return "not a regular file but a socket; pgmc reads migrations only from regular files";
    case PGMC_FS_E_OTHER:
        return "not a regular file; pgmc reads migrations only from regular files";
    case PGMC_FS_E_TOO_BIG:
        return "file too large: more than " PGMC_MAX_INPUT_TEXT
               ", the most pgmc reads from one file";
    default:
        return strerror(e);
    }
}

static pgmcg_ftype mode_type(mode_t m)
{
    if (S_ISREG(m))
        return PGMC_FT_REG;
    if (S_ISDIR(m))
        return PGMC_FT_DIR;
    if (S_ISFIFO(m))
        return PGMC_FT_FIFO;
    if (S_ISCHR(m))
        return PGMC_FT_CHR;
    if (S_ISBLK(m))
        return PGMC_FT_BLK;
    if (S_ISSOCK(m))
        return PGMC_FT_SOCK;
    return PGMC_FT_OTHER;
}

int pgmcg_ftype_error(pgmcg_ftype t)
{
    switch (t) {
    case PGMC_FT_REG:
        return 0;
    case PGMC_FT_DIR:
        return EISDIR;
    case PGMC_FT_MISSING:
        return ENOENT;
    case PGMC_FT_FIFO:
        return PGMC_FS_E_FIFO;
    case PGMC_FT_CHR:
        return PGMC_FS_E_CHR;
    case PGMC_FT_BLK:
        return PGMC_FS_E_BLK;
    case PGMC_FT_SOCK:
        return PGMC_FS_E_SOCK;
    case PGMC_FT_OTHER:
        break;
    }
    return PGMC_FS_E_OTHER;
}

static int cmp_dirent(const void *a, const void *b)
{
    return strcmp(((const pgmcg_dirent *)a)->name, ((const pgmcg_dirent *)b)->name);
}

static int list_dir(const char *dir, pgmcg_dirent **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno;
    pgmcg_dirent *v = NULL;
    size_t len = 0, cap = 0;
    int err = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            pgmcg_dirent *nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                err = ENOMEM;
                break;
            }
            v = nv;
        }
        char *name = strdup(e->d_name);
        if (!name) {
            err = ENOMEM;
            break;
        }
        v[len].name = name;
        pgmcg_ftype t = PGMC_FT_OTHER;
        int known = 0;
#ifdef DT_DIR
        known = 1;
        switch (e->d_type) {
        case DT_REG:
            t = PGMC_FT_REG;
            break;
        case DT_DIR:
            t = PGMC_FT_DIR;
            break;
        case DT_FIFO:
            t = PGMC_FT_FIFO;
            break;
        case DT_CHR:
            t = PGMC_FT_CHR;
            break;
        case DT_BLK:
            t = PGMC_FT_BLK;
            break;
        case DT_SOCK:
            t = PGMC_FT_SOCK;
            break;
        default: /* DT_LNK, DT_UNKNOWN */
            known = 0;
        }
#endif
        if (!known) {
            /* A symlink, or a file system without d_type: stat follows
             * symlinks, so a linked file counts as what it links to. */
            struct stat st;
            char *path = pgmcg_path_join(dir, e->d_name);
            if (!path) {
                free(name);
                err = ENOMEM;
                break;
            }
            t = stat(path, &st) != 0 ? PGMC_FT_MISSING : mode_type(st.st_mode);
            free(path);
        }
        v[len].type = t;
        v[len].is_dir = t == PGMC_FT_DIR;
        len++;
        errno = 0;
    }
    if (!err && errno)
        err = errno;
    closedir(d);
    if (err) {
        pgmcg_dirents_free(v, len);
        return err;
    }
    if (len)
        qsort(v, len, sizeof *v, cmp_dirent);
    *out = v;
    *n = len;
    return 0;
}

int pgmcg_list_dir(const char *dir, pgmcg_dirent **out, size_t *n)
{
    if (!pgmcg_timing_on())
        return list_dir(dir, out, n);
    double t0 = pgmcg_now();
    int rc = list_dir(dir, out, n);
    pgmcg_timing_add(PGMCG_T_LIST, pgmcg_now() - t0);
    return rc;
}

void pgmcg_dirents_free(pgmcg_dirent *ents, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ents[i].name);
    free(ents);
}

/* Read all of the open file fd (closed here) into a malloc'd, NUL-terminated
 * buffer. A regular file takes one read of st_size bytes (no read for EOF:
 * the size was just asked); anything else is read until EOF, or refused
 * before any read when `regular_only`. At most PGMC_MAX_INPUT_BYTES. */
static int read_fd(int fd, int regular_only, char **data, size_t *len)
{
    struct stat st;
    int e = 0;
    char *p = NULL;
    if (fstat(fd, &st) != 0) {
        e = errno;
        goto fail;
    }
    if (!S_ISREG(st.st_mode) && (regular_only || S_ISDIR(st.st_mode))) {
        e = pgmcg_ftype_error(mode_type(st.st_mode));
        goto fail;
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > PGMC_MAX_INPUT_BYTES) {
        e = PGMC_FS_E_TOO_BIG;
        goto fail;
    }
    /* Size 0 may be a pseudo-file with content: read that one to EOF. */
    int regular = S_ISREG(st.st_mode) && st.st_size > 0;
    size_t want = regular ? (size_t)st.st_size : 0;
    size_t cap = regular ? want + 1 : 4096, n = 0;
    p = malloc(cap);
    if (!p) {
        e = ENOMEM;
        goto fail;
    }
    pgmcg_mem_huge_hint(p, cap);
    while (!regular || n < want) {
        if (n + 1 == cap) { /* not a regular file */
            if (n > PGMC_MAX_INPUT_BYTES) {
                e = PGMC_FS_E_TOO_BIG;
                goto fail;
            }
            size_t ncap = cap * 2 < PGMC_MAX_INPUT_BYTES + 2 ? cap * 2 : PGMC_MAX_INPUT_BYTES + 2;
            char *np = realloc(p, ncap);
            if (!np) {
                e = ENOMEM;
                goto fail;
            }
            p = np;
            cap = ncap;
        }
        ssize_t r = read(fd, p + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            goto fail;
        }
        if (r == 0)
            break; /* EOF (a regular file that shrank meanwhile) */
        n += (size_t)r;
    }
    if (n > PGMC_MAX_INPUT_BYTES) {
        e = PGMC_FS_E_TOO_BIG;
        goto fail;
    }
    close(fd);
    p[n] = '\0';
    *data = p;
    *len = n;
    return 0;
fail:
    free(p);
    close(fd);
    return e;
}

/* Flags for opening an input: O_NONBLOCK so that opening a FIFO returns at
 * once (read_fd then refuses it), O_NOCTTY so a terminal never becomes ours. */
#define INPUT_OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)

int pgmcg_read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    return read_fd(fd, 0, data, len);
}

int pgmcg_read_input(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, INPUT_OPEN_FLAGS);
    if (fd < 0)
        return errno;
    return read_fd(fd, 1, data, len);
}

/* Jobs of one pgmcg_read_files call, shared by its threads. */
typedef struct read_batch {
    int dirfd;
    pgmcg_read_job *jobs;
    size_t n;
    atomic_size_t next; /* next job to take */
    int hash;
} read_batch;

static void *read_worker(void *arg)
{
    read_batch *b = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n)
            return NULL;
        pgmcg_read_job *j = &b->jobs[i];
        int fd = openat(b->dirfd, j->rel, INPUT_OPEN_FLAGS);
        j->err = fd < 0 ? errno : read_fd(fd, 1, &j->data, &j->len);
        if (j->err == 0 && b->hash) {
            pgmcg_sha256(j->data, j->len, j->sha256);
            j->hashed = 1;
        }
    }
}

/* Threads for a batch: one per online CPU (at most 8), none extra for small
 * batches; PGMC_GEN_THREADS overrides. */
static unsigned batch_threads(size_t n)
{
    const char *env = getenv("PGMC_GEN_THREADS");
    long t = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (t < 1)
        t = 1;
    if (t > 8)
        t = 8;
    if ((size_t)t > n / 32 + 1)
        t = (long)(n / 32 + 1);
    return (unsigned)t;
}

static int read_files(const char *dir, pgmcg_read_job *jobs, size_t n, int hash)
{
    for (size_t i = 0; i < n; i++) {
        jobs[i].data = NULL;
        jobs[i].len = 0;
        jobs[i].err = 0;
        jobs[i].hashed = 0;
    }
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return errno;
    read_batch b = {.dirfd = dirfd, .jobs = jobs, .n = n, .hash = hash};
    atomic_init(&b.next, 0);
    pthread_t tid[8];
    unsigned started = 0, want = batch_threads(n);
    while (started + 1 < want && pthread_create(&tid[started], NULL, read_worker, &b) == 0)
        started++;
    read_worker(&b); /* this thread works too */
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    close(dirfd);
    return 0;
}

int pgmcg_read_files(const char *dir, pgmcg_read_job *jobs, size_t n, int hash)
{
    if (!pgmcg_timing_on())
        return read_files(dir, jobs, n, hash);
    double t0 = pgmcg_now();
    int rc = read_files(dir, jobs, n, hash);
    pgmcg_timing_add(PGMCG_T_READ, pgmcg_now() - t0);
    return rc;
}

char *pgmcg_path_join(const char *dir, const char *rel)
{
    size_t dn = strlen(dir), rn = strlen(rel);
    int slash = dn > 0 && dir[dn - 1] != '/';
    char *p = malloc(dn + (size_t)slash + rn + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, dn);
    if (slash)
        p[dn] = '/';
    memcpy(p + dn + (size_t)slash, rel, rn + 1);
    return p;
}

int pgmcg_mkdirs(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    char *p = strdup(path);
    if (!p)
        return ENOMEM;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            free(p);
            return e;
        }
        *s = '/';
    }
    int e = mkdir(p, 0777) != 0 && errno != EEXIST ? errno : 0;
    free(p);
    return e;
}

/* 1 if path holds exactly data[0..len). */
static int same_content(const char *path, const char *data, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    /* Compare a chunk at a time through one small buffer: reading a 100 MB
     * output whole would cost as much fresh memory as it holds. */
    enum { CHUNK = 1 << 18 };
    char *chunk = malloc(CHUNK);
    size_t at = 0;
    int same = chunk != NULL;
    while (same && at < len) {
        size_t want = len - at < CHUNK ? len - at : CHUNK;
        ssize_t r = read(fd, chunk, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || memcmp(chunk, data + at, (size_t)r) != 0)
            same = 0;
        else
            at += (size_t)r;
    }
    if (same) { /* nothing past len: the file did not grow meanwhile */
        ssize_t r;
        while ((r = read(fd, chunk, 1)) < 0 && errno == EINTR)
            ;
        same = r == 0;
    }
    free(chunk);
    close(fd);
    return same;
}

int pgmcg_write_prepare(const char *path, const char *data, size_t len, char **tmp)
{
    *tmp = NULL;
    if (same_content(path, data, len))
        return 0;
    size_t n = strlen(path) + 32;
    char *t = malloc(n);
    if (!t)
        return ENOMEM;
    /* The temp file sits in the output directory so rename() is atomic. */
    snprintf(t, n, "%s.pgmc-tmp.%ld", path, (long)getpid());
    /* A new file, never one that is there (a symlink planted under this
     * name is not followed): a stale temp of a killed run goes first. */
    unlink(t);
    int fd = open(t, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        int e = errno;
        free(t);
        return e;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(t);
            free(t);
            return e;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(t);
        free(t);
        return e;
    }
    *tmp = t;
    return 0;
}

int pgmcg_write_commit(char *tmp, const char *path)
{
    if (!tmp)
        return 0;
    int e = rename(tmp, path) != 0 ? errno : 0;
    if (e)
        unlink(tmp);
    free(tmp);
    return e;
}

void pgmcg_write_abort(char *tmp)
{
    if (!tmp)
        return;
    unlink(tmp);
    free(tmp);
}

int pgmcg_write_target_ok(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : errno;
    if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
        return 0;
    return pgmcg_ftype_error(mode_type(st.st_mode));
}

/* "<path>.pgmc-old.<pid>": where pgmcg_write_commit_all keeps an old file. */
static char *backup_name(const char *path)
{
    size_t n = strlen(path) + 32;
    char *b = malloc(n);
    if (b)
        snprintf(b, n, "%s.pgmc-old.%ld", path, (long)getpid());
    return b;
}

int pgmcg_write_commit_all(char **tmps, const char *const *paths, size_t n, size_t *failed)
{
    enum { NONE, LINKED, MOVED };
    int e = 0;
    size_t i = 0;
    char **bak = calloc(n ? n : 1, sizeof *bak);
    int *kept = calloc(n ? n : 1, sizeof *kept);    /* how the old file is kept */
    unsigned char *replaced = calloc(n ? n : 1, 1); /* paths[i] holds the new file */
    if (!bak || !kept || !replaced) {
        e = ENOMEM;
        *failed = 0;
        goto out;
    }
    for (i = 0; i < n; i++) {
        if (!tmps[i])
            continue;
        struct stat st;
        if (lstat(paths[i], &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
            /* Keep the old file: a second name for its inode, so that it
             * stays in place until it is replaced. */
            if (!(bak[i] = backup_name(paths[i]))) {
                e = ENOMEM;
                break;
            }
            unlink(bak[i]); /* left over by a killed run of this pid */
            if (link(paths[i], bak[i]) == 0) {
                kept[i] = LINKED;
            } else if (rename(paths[i], bak[i]) == 0) {
                kept[i] = MOVED; /* a file system without hard links */
            } else {
                e = errno;
                break;
            }
        }
        if (rename(tmps[i], paths[i]) != 0) {
            e = errno;
            if (kept[i] == MOVED)
                rename(bak[i], paths[i]);
            else if (kept[i] == LINKED)
                unlink(bak[i]);
            kept[i] = NONE;
            break;
        }
        replaced[i] = 1;
    }
    if (e) {
        *failed = i;
        /* Undo the files replaced so far, newest first. */
        for (size_t j = i; j-- > 0;) {
            if (!replaced[j])
                continue;
            if (kept[j] != NONE)
                rename(bak[j], paths[j]); /* the old inode, back under its name */
            else
                unlink(paths[j]); /* there was no old file */
            kept[j] = NONE;
        }
    }
out:
    for (i = 0; i < n; i++) {
        if (bak && bak[i]) {
            if (kept[i] != NONE)
                unlink(bak[i]);
            free(bak[i]);
        }
        if (replaced && replaced[i])
            free(tmps[i]); /* renamed away: nothing left to remove */
        else
            pgmcg_write_abort(tmps[i]);
        tmps[i] = NULL;
    }
    free(bak);
    free(kept);
    free(replaced);
    return e;
}
