/* fsutil.h - the file system, as the generator needs it: list a directory,
 * read a whole file NUL-terminated, write output atomically and only when it
 * changed. POSIX. Errors come back as errno values; callers word them.
 */
#ifndef PGMC_FSUTIL_H
#define PGMC_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

typedef struct pgmc_dirent {
    char *name; /* owned */
    int is_dir;
} pgmc_dirent;

/* List `dir` without "." and "..", sorted by name (bytewise), so results do
 * not depend on the file system's order. On success *out is a malloc'd array
 * of *n entries; free with pgmc_dirents_free. Returns 0 or an errno value. */
int pgmc_list_dir(const char *dir, pgmc_dirent **out, size_t *n);
void pgmc_dirents_free(pgmc_dirent *ents, size_t n);

/* Read all of `path` into a malloc'd buffer with a '\0' at data[len] (the
 * lexer's sentinel). The caller frees *data. A regular file is read as the
 * st_size bytes fstat reports (a file growing meanwhile is cut there).
 * Returns 0 or an errno value (ENOENT, EISDIR, ...). */
int pgmc_read_file(const char *path, char **data, size_t *len);

/* One file of a pgmc_read_files batch: `rel` is the input; the rest is the
 * result. On success (err == 0) data/len are as from pgmc_read_file (the
 * caller frees data) and, if hashing was asked for, sha256 holds the
 * SHA-256 of data[0..len) and hashed is 1. */
typedef struct pgmc_read_job {
    const char *rel; /* name relative to the directory */
    char *data;
    size_t len;
    int err; /* 0 or an errno value */
    int hashed;
    uint8_t sha256[32];
} pgmc_read_job;

/* Read the n files jobs[i].rel under `dir`, like pgmc_read_file each, and
 * (if `hash`) hash each one, using a few threads when n is large (one per
 * CPU; PGMC_GEN_THREADS=k sets the count). Results do not depend on the
 * thread count. Returns 0 with per-file results in jobs, or an errno value
 * if dir cannot be opened (then every job is untouched but zeroed). */
int pgmc_read_files(const char *dir, pgmc_read_job *jobs, size_t n, int hash);

/* 1 if `path` names an existing regular file, else 0. */
int pgmc_is_file(const char *path);

/* "dir/rel", without doubling a trailing '/' of dir. malloc'd; NULL on OOM. */
char *pgmc_path_join(const char *dir, const char *rel);

/* mkdir -p. Returns 0 or an errno value. */
int pgmc_mkdirs(const char *path);

/* Phase one of an atomic write: if `path` already holds exactly data[0..len),
 * set *tmp = NULL and return 0 (nothing to do, mtime untouched). Otherwise
 * write the data to a new temp file next to `path` and return its malloc'd
 * name in *tmp. Returns 0 or an errno value (nothing left behind on error). */
int pgmc_write_prepare(const char *path, const char *data, size_t len, char **tmp);

/* Phase two: rename tmp over path, then free tmp. tmp may be NULL (no-op).
 * Returns 0 or an errno value; on error the temp file is removed. */
int pgmc_write_commit(char *tmp, const char *path);

/* Abandon a prepared write: unlink and free tmp (NULL is a no-op). */
void pgmc_write_abort(char *tmp);

#endif
