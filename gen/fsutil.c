/* fsutil.c - see fsutil.h. */
#define _POSIX_C_SOURCE 200809L
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
        char *path = pgmc_path_join(dir, e->d_name);
        char *name = strdup(e->d_name);
        struct stat st;
        if (!path || !name) {
            free(path);
            free(name);
            err = ENOMEM;
            break;
        }
        /* stat follows symlinks: a linked file counts as a file. */
        v[len].is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        v[len].name = name;
        len++;
        free(path);
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

int pgmc_read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno;
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
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *p = malloc(cap);
    if (!p) {
        close(fd);
        return ENOMEM;
    }
    for (;;) {
        if (n + 1 == cap) { /* file grew, or not a regular file */
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
            break;
        n += (size_t)r;
    }
    close(fd);
    p[n] = '\0';
    *data = p;
    *len = n;
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
