/* fsutil.c - see fsutil.h. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* d_type, DT_DIR, DT_REG */
#include "fsutil.h"

#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int cmp_dirent(const void *a, const void *b)
{
    return strcmp(((const pgmc_dirent *)a)->name, ((const pgmc_dirent *)b)->name);
}

int pgmc_list_dir(const char *dir, pgmc_dirent **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno;
    pgmc_dirent *v = NULL;
    size_t len = 0, cap = 0;
    int err = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            pgmc_dirent *nv = realloc(v, cap * sizeof *v);
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
#ifdef DT_DIR
        if (e->d_type == DT_DIR || e->d_type == DT_REG) {
            v[len].is_dir = e->d_type == DT_DIR;
        } else
#endif
        {
            /* A symlink, or a file system without d_type: stat follows
             * symlinks, so a linked file counts as a file. */
            struct stat st;
            char *path = pgmc_path_join(dir, e->d_name);
            if (!path) {
                free(name);
                err = ENOMEM;
                break;
            }
            v[len].is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
            free(path);
        }
        len++;
        errno = 0;
    }
    if (!err && errno)
        err = errno;
    closedir(d);
    if (err) {
        pgmc_dirents_free(v, len);
        return err;
    }
    if (len)
        qsort(v, len, sizeof *v, cmp_dirent);
    *out = v;
    *n = len;
    return 0;
}

void pgmc_dirents_free(pgmc_dirent *ents, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ents[i].name);
    free(ents);
}

/* Read all of the open file fd (closed here) into a malloc'd, NUL-terminated
 * buffer. A regular file takes one read of st_size bytes (no read for EOF:
 * the size was just asked); anything else is read until EOF. */
static int read_fd(int fd, char **data, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return e;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return EISDIR;
    }
    /* Size 0 may be a pseudo-file with content: read that one to EOF. */
    int regular = S_ISREG(st.st_mode) && st.st_size > 0;
    size_t want = regular ? (size_t)st.st_size : 0;
    size_t cap = regular ? want + 1 : 4096, n = 0;
    char *p = malloc(cap);
    if (!p) {
        close(fd);
        return ENOMEM;
    }
    while (!regular || n < want) {
        if (n + 1 == cap) { /* not a regular file */
            char *np = realloc(p, cap * 2);
            if (!np) {
                free(p);
                close(fd);
                return ENOMEM;
            }
            p = np;
            cap *= 2;
        }
        ssize_t r = read(fd, p + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(p);
            close(fd);
            return e;
        }
        if (r == 0)
            break; /* EOF (a regular file that shrank meanwhile) */
        n += (size_t)r;
    }
    close(fd);
    p[n] = '\0';
    *data = p;
    *len = n;
    return 0;
}

int pgmc_read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    return read_fd(fd, data, len);
}

/* Jobs of one pgmc_read_files call, shared by its threads. */
typedef struct read_batch {
    int dirfd;
    pgmc_read_job *jobs;
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
        pgmc_read_job *j = &b->jobs[i];
        int fd = openat(b->dirfd, j->rel, O_RDONLY | O_CLOEXEC);
        j->err = fd < 0 ? errno : read_fd(fd, &j->data, &j->len);
        if (j->err == 0 && b->hash) {
            pgmc_sha256(j->data, j->len, j->sha256);
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

int pgmc_read_files(const char *dir, pgmc_read_job *jobs, size_t n, int hash)
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

int pgmc_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *pgmc_path_join(const char *dir, const char *rel)
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

int pgmc_mkdirs(const char *path)
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
    char *old;
    size_t n;
    if (pgmc_read_file(path, &old, &n) != 0)
        return 0;
    int same = n == len && memcmp(old, data, len) == 0;
    free(old);
    return same;
}

int pgmc_write_prepare(const char *path, const char *data, size_t len, char **tmp)
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
    int fd = open(t, O_WRONLY | O_CREAT | O_TRUNC, 0666);
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

int pgmc_write_commit(char *tmp, const char *path)
{
    if (!tmp)
        return 0;
    int e = rename(tmp, path) != 0 ? errno : 0;
    if (e)
        unlink(tmp);
    free(tmp);
    return e;
}

void pgmc_write_abort(char *tmp)
{
    if (!tmp)
        return;
    unlink(tmp);
    free(tmp);
}
