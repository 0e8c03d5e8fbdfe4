/* fsutil.h - the file system, as the generator needs it: list a directory,
 * read a whole file NUL-terminated (inputs: regular files only, size
 * capped), write outputs atomically, all or none, and only when changed.
 * POSIX. Errors come back as errno values or PGMC_FS_E_* codes;
 * pgmcg_fs_strerror words both.
 */
#ifndef PGMC_FSUTIL_H
#define PGMC_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

/* The most pgmc reads from one input file: far above any real migration
 * (the throughput target is one 50 MB file), low enough that a hostile
 * input cannot take the machine's memory. */
#define PGMC_MAX_INPUT_BYTES ((size_t)1 << 30)
#define PGMC_MAX_INPUT_TEXT  "1 GiB"

/* Errors besides errno values (all negative, errno values are positive). */
enum {
    PGMC_FS_E_FIFO = -1,    /* not a regular file: a FIFO */
    PGMC_FS_E_CHR = -2,     /* a character device */
    PGMC_FS_E_BLK = -3,     /* a block device */
    PGMC_FS_E_SOCK = -4,    /* a socket */
    PGMC_FS_E_OTHER = -5,   /* some other kind of non-regular file */
    PGMC_FS_E_TOO_BIG = -6, /* larger than PGMC_MAX_INPUT_BYTES */
};

/* Words for an errno value or a PGMC_FS_E_* code. Static text. */
const char *pgmcg_fs_strerror(int e);

/* What a directory entry is (after following a symlink). */
typedef enum pgmcg_ftype {
    PGMC_FT_REG,     /* regular file */
    PGMC_FT_DIR,     /* directory */
    PGMC_FT_MISSING, /* a symlink to nothing, or gone meanwhile */
    PGMC_FT_FIFO,
    PGMC_FT_CHR,
    PGMC_FT_BLK,
    PGMC_FT_SOCK,
    PGMC_FT_OTHER,
} pgmcg_ftype;

typedef struct pgmcg_dirent {
    char *name; /* owned */
    int is_dir; /* type == PGMC_FT_DIR */
    pgmcg_ftype type;
} pgmcg_dirent;

/* The PGMC_FS_E_* code for reading a file of type t (0 for PGMC_FT_REG,
 * EISDIR for a directory, ENOENT for a missing one). */
int pgmcg_ftype_error(pgmcg_ftype t);

/* List `dir` without "." and "..", sorted by name (bytewise), so results do
 * not depend on the file system's order. Each entry's type comes from
 * d_type, or from stat (which follows symlinks) when d_type does not say.
 * On success *out is a malloc'd array of *n entries; free with
 * pgmcg_dirents_free. Returns 0 or an errno value. */
int pgmcg_list_dir(const char *dir, pgmcg_dirent **out, size_t *n);
void pgmcg_dirents_free(pgmcg_dirent *ents, size_t n);

/* Read all of `path` into a malloc'd buffer with a '\0' at data[len] (the
 * lexer's sentinel). The caller frees *data. A regular file is read as the
 * st_size bytes fstat reports (a file growing meanwhile is cut there);
 * anything else (a pipe, /dev/stdin) is read to EOF. More than
 * PGMC_MAX_INPUT_BYTES is PGMC_FS_E_TOO_BIG (before reading, for a regular
 * file). Returns 0 or an errno value (ENOENT, EISDIR, ...) or code. */
int pgmcg_read_file(const char *path, char **data, size_t *len);

/* pgmcg_read_file for a migration input: only a regular file (a symlink to
 * one is fine) is read. The file is opened with O_NONBLOCK, so a FIFO
 * cannot block the open, and the open descriptor is checked with fstat
 * before any read, so a file swapped meanwhile cannot get through: anything
 * else is a PGMC_FS_E_* code (EISDIR for a directory), and so is a file
 * larger than PGMC_MAX_INPUT_BYTES. */
int pgmcg_read_input(const char *path, char **data, size_t *len);

/* One file of a pgmcg_read_files batch: `rel` is the input; the rest is the
 * result. On success (err == 0) data/len are as from pgmcg_read_file (the
 * caller frees data) and, if hashing was asked for, sha256 holds the
 * SHA-256 of data[0..len) and hashed is 1. */
typedef struct pgmcg_read_job {
    const char *rel; /* name relative to the directory */
    char *data;
    size_t len;
    int err; /* 0 or an errno value */
    int hashed;
    uint8_t sha256[32];
} pgmcg_read_job;

/* Read the n files jobs[i].rel under `dir`, like pgmcg_read_input each, and
 * (if `hash`) hash each one, using a few threads when n is large (one per
 * CPU; PGMC_GEN_THREADS=k sets the count). Results do not depend on the
 * thread count. Returns 0 with per-file results in jobs, or an errno value
 * if dir cannot be opened (then every job is untouched but zeroed). */
int pgmcg_read_files(const char *dir, pgmcg_read_job *jobs, size_t n, int hash);

/* "dir/rel", without doubling a trailing '/' of dir. malloc'd; NULL on OOM. */
char *pgmcg_path_join(const char *dir, const char *rel);

/* mkdir -p. Returns 0 or an errno value. */
int pgmcg_mkdirs(const char *path);

/* Phase one of an atomic write: if `path` already holds exactly data[0..len),
 * set *tmp = NULL and return 0 (nothing to do, mtime untouched). Otherwise
 * write the data to a new temp file next to `path` ("<path>.pgmc-tmp.<pid>",
 * created with O_EXCL after removing a stale one, so a symlink planted there
 * is never followed) and return its malloc'd name in *tmp. Returns 0 or an
 * errno value (nothing left behind on error). */
int pgmcg_write_prepare(const char *path, const char *data, size_t len, char **tmp);

/* Phase two: rename tmp over path, then free tmp. tmp may be NULL (no-op).
 * Returns 0 or an errno value; on error the temp file is removed. */
int pgmcg_write_commit(char *tmp, const char *path);

/* Abandon a prepared write: unlink and free tmp (NULL is a no-op). */
void pgmcg_write_abort(char *tmp);

/* 0 if `path` may be replaced by a prepared write: it does not exist, or it
 * is a regular file or a symlink. Else EISDIR for a directory, or the
 * PGMC_FS_E_* code of what it is. */
int pgmcg_write_target_ok(const char *path);

/* Phase two for several files at once, all or none: rename each tmps[i]
 * (NULL: nothing to do for paths[i]) over paths[i]. Each old file is kept as
 * a hard link (or, where links fail, renamed) next to it until all renames
 * succeeded; if one fails, the files already replaced get their old
 * contents back (the old inode, mtime untouched) or are removed if they did
 * not exist, and every temp file is removed. Frees every tmps[i] and sets
 * it to NULL. Returns 0, or an errno value with *failed = the index of the
 * path that failed. */
int pgmcg_write_commit_all(char **tmps, const char *const *paths, size_t n, size_t *failed);

#endif
