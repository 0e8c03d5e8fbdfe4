/* depfile.c - see depfile.h. */
#include "depfile.h"

#include <string.h>

/* 1 if path can be written in a depfile at all. */
static int writable(const char *path)
{
    return !strpbrk(path, "\n\r");
}

/* Append path escaped for a Makefile rule. */
static void put_path(pgmcg_buf *out, const char *path)
{
    for (const char *s = path; *s; s++) {
        if (*s == '\\') {
            size_t k = strspn(s, "\\");
            char after = s[k];
            /* Backslashes before a blank, '#' or the separator that
             * follows the path are doubled, or they would escape it. */
            int twice = after == ' ' || after == '\t' || after == '#' || after == '\0';
            for (size_t i = 0; i < (twice ? 2 * k : k); i++)
                pgmcg_buf_putc(out, '\\');
            s += k - 1;
            continue;
        }
        if (*s == ' ' || *s == '\t' || *s == '#')
            pgmcg_buf_putc(out, '\\');
        else if (*s == '$')
            pgmcg_buf_putc(out, '$');
        pgmcg_buf_putc(out, *s);
    }
}

static void put_dep(pgmcg_buf *out, const char *path)
{
    if (!writable(path))
        return;
    pgmcg_buf_puts(out, " \\\n  ");
    put_path(out, path);
}

void pgmcg_depfile_render(const pgmcg_project *p, const char *const *targets, size_t n_targets,
                          pgmcg_buf *out)
{
    for (size_t i = 0; i < n_targets; i++) {
        if (i)
            pgmcg_buf_putc(out, ' ');
        put_path(out, targets[i]);
    }
    pgmcg_buf_putc(out, ':');
    for (size_t i = 0; i < p->n_dirs; i++)
        put_dep(out, p->dirs[i]);
    for (size_t i = 0; i < p->n_inputs; i++)
        put_dep(out, p->inputs[i].path);
    pgmcg_buf_putc(out, '\n');
}
