/* project.c - see project.h. */
#include "formats/project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

pgmcg_input *pgmcg_project_add_input(pgmcg_project *p, const char *rel, const char *path,
                                     char *data, size_t len)
{
    if (p->n_inputs == p->cap_inputs) {
        size_t cap = p->cap_inputs ? p->cap_inputs * 2 : 64;
        pgmcg_input *v = realloc(p->inputs, cap * sizeof *v);
        if (!v) {
            free(data);
            return NULL;
        }
        p->inputs = v;
        p->cap_inputs = cap;
    }
    pgmcg_input *in = &p->inputs[p->n_inputs];
    in->rel = dupstr(rel);
    in->path = dupstr(path);
    in->data = data;
    in->len = len;
    in->hashed = 0;
    in->bom = 0;
    if (!in->rel || !in->path) {
        free(in->rel);
        free(in->path);
        free(data);
        return NULL;
    }
    p->n_inputs++;
    return in;
}

int pgmcg_project_add_dir(pgmcg_project *p, const char *path)
{
    if (p->n_dirs == p->cap_dirs) {
        size_t cap = p->cap_dirs ? p->cap_dirs * 2 : 8;
        char **v = realloc(p->dirs, cap * sizeof *v);
        if (!v)
            return -1;
        p->dirs = v;
        p->cap_dirs = cap;
    }
    if (!(p->dirs[p->n_dirs] = dupstr(path)))
        return -1;
    p->n_dirs++;
    return 0;
}

pgmcg_gen_migration *pgmcg_project_add_migration(pgmcg_project *p)
{
    if (p->n_migs == p->cap_migs) {
        size_t cap = p->cap_migs ? p->cap_migs * 2 : 64;
        pgmcg_gen_migration *v = realloc(p->migs, cap * sizeof *v);
        if (!v)
            return NULL;
        p->migs = v;
        p->cap_migs = cap;
    }
    pgmcg_gen_migration *m = &p->migs[p->n_migs++];
    memset(m, 0, sizeof *m);
    return m;
}

static void script_free(pgmcg_gen_script *s)
{
    pgmcg_stmt_vec_free(&s->stmts);
    free(s->tx_note);
}

void pgmcg_project_free(pgmcg_project *p)
{
    for (size_t i = 0; i < p->n_migs; i++) {
        pgmcg_gen_migration *m = &p->migs[i];
        free(m->version);
        free(m->version_raw);
        free(m->name);
        script_free(&m->up);
        script_free(&m->down);
    }
    free(p->migs);
    for (size_t i = 0; i < p->n_inputs; i++) {
        free(p->inputs[i].rel);
        free(p->inputs[i].path);
        free(p->inputs[i].data);
    }
    free(p->inputs);
    for (size_t i = 0; i < p->n_dirs; i++)
        free(p->dirs[i]);
    free(p->dirs);
    memset(p, 0, sizeof *p);
}

const char *pgmcg_script_label(const pgmcg_gen_migration *m, int down, char *buf, size_t n)
{
    if (m->kind == PGMC_REPEATABLE)
        snprintf(buf, n, "repeatable migration %s", m->name);
    else
        snprintf(buf, n, "%smigration %s", down ? "the down of " : "", m->version);
    return buf;
}
