/* gen.c - see gen.h: read -> parse -> tx modes -> emit -> write. */
#include "gen.h"

#include "catalog.h"
#include "emit.h"
#include "formats.h"
#include "fsutil.h"
#include "sha256.h"
#include "txmode.h"

#include <stdlib.h>
#include <string.h>

int pgmc_gen_valid_prefix(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    return 1;
}

void pgmc_gen_inputs_hash(const pgmc_project *p, const char *prefix, char hex[65])
{
    pgmc_sha256_ctx c;
    pgmc_sha256_init(&c);
    for (size_t i = 0; i < p->n_inputs; i++) {
        const pgmc_input *in = &p->inputs[i];
        uint8_t len[8];
        for (int k = 0; k < 8; k++)
            len[k] = (uint8_t)((uint64_t)in->len >> (8 * k));
        pgmc_sha256_update(&c, in->rel, strlen(in->rel) + 1);
        pgmc_sha256_update(&c, len, sizeof len);
        pgmc_sha256_update(&c, in->data, in->len);
    }
    pgmc_sha256_update(&c, "format", 7);
    pgmc_sha256_update(&c, p->format, strlen(p->format) + 1);
    pgmc_sha256_update(&c, "prefix", 7);
    pgmc_sha256_update(&c, prefix, strlen(prefix) + 1);
    uint8_t d[32];
    pgmc_sha256_final(&c, d);
    pgmc_sha256_hex(d, hex);
}

/* Replay the schema (catalog.h) and emit migrations plus typed rows. The
 * replay's own errors and warnings do not fail `gen` (the migrations are
 * still fine to compile; the server is the judge of the DDL): one note
 * says how many there were and where to see them, and the structs cover
 * what the replay could follow. Returns 0, or -1 on out-of-memory. */
static int emit_with_catalog(const pgmc_project *p, const pgmc_gen_options *o, const char *hex,
                             pgmc_diag *diag, pgmc_buf *h, pgmc_buf *c)
{
    pgmc_catalog cat;
    pgmc_catalog_init(&cat);
    pgmc_diag cd;
    pgmc_diag_init(&cd, NULL);
    pgmc_catalog_replay(&cat, p, &cd);
    if (cd.errors || cat.warnings)
        pgmc_diag_note(diag, NULL, 0, 0,
                       "typed rows: replaying the schema gave %u error(s) and %u warning(s); "
                       "`pgmc schema --migrations %s` shows them",
                       cd.errors, cat.warnings, o->migrations_dir);
    pgmc_buf flat = {0};
    pgmc_catalog_flat(&cat, &flat);
    pgmc_buf_putc(&flat, '\0');
    int rc = flat.oom ? -1 : pgmc_emit_full(p, o->prefix, hex, &cat, flat.p, h, c);
    pgmc_buf_free(&flat);
    pgmc_diag_free(&cd);
    pgmc_catalog_free(&cat);
    return rc;
}

int pgmc_gen_render(const pgmc_gen_options *o, pgmc_diag *diag, pgmc_buf *h, pgmc_buf *c)
{
    if (!o->migrations_dir || !o->prefix || !o->out_dir) {
        pgmc_diag_error(diag, NULL, 0, 0, "--migrations, --prefix and --out-dir are required");
        return PGMC_GEN_USAGE;
    }
    if (!pgmc_gen_valid_prefix(o->prefix)) {
        pgmc_diag_error(diag, NULL, 0, 0,
                        "--prefix '%s' is not a C identifier (letters, digits, '_', not "
                        "starting with a digit, at most 64)",
                        o->prefix);
        return PGMC_GEN_USAGE;
    }
    if (pgmc_format_check(o->format, diag))
        return PGMC_GEN_USAGE;
    if (o->n_queries) {
        pgmc_diag_error(diag, NULL, 0, 0, "query files are not supported yet (--queries)");
        return PGMC_GEN_USAGE;
    }
    pgmc_project p;
    memset(&p, 0, sizeof p);
    unsigned errors_before = diag->errors;
    int rc = pgmc_formats_load(o->migrations_dir, o->format, &p, diag);
    if (rc == 0)
        rc = pgmc_txmode_apply(&p, diag);
    if (rc == 0) {
        char hex[65];
        pgmc_gen_inputs_hash(&p, o->prefix, hex);
        rc = emit_with_catalog(&p, o, hex, diag, h, c);
    }
    if (rc != 0 && diag->errors == errors_before)
        pgmc_diag_error(diag, NULL, 0, 0, "out of memory");
    pgmc_project_free(&p);
    return rc == 0 ? PGMC_GEN_OK : PGMC_GEN_FAILED;
}

int pgmc_gen_run(const pgmc_gen_options *o, pgmc_diag *diag)
{
    pgmc_buf h = {0}, c = {0};
    int rc = pgmc_gen_render(o, diag, &h, &c);
    char *hp = NULL, *cp = NULL, *ht = NULL, *ct = NULL;
    if (rc != PGMC_GEN_OK)
        goto out;
    rc = PGMC_GEN_FAILED;
    size_t n = strlen(o->prefix);
    char *name = malloc(n + 3);
    if (!name) {
        pgmc_diag_error(diag, NULL, 0, 0, "out of memory");
        goto out;
    }
    memcpy(name, o->prefix, n);
    memcpy(name + n, ".h", 3);
    hp = pgmc_path_join(o->out_dir, name);
    name[n + 1] = 'c';
    cp = pgmc_path_join(o->out_dir, name);
    free(name);
    if (!hp || !cp) {
        pgmc_diag_error(diag, NULL, 0, 0, "out of memory");
        goto out;
    }
    int e = pgmc_mkdirs(o->out_dir);
    if (e) {
        pgmc_diag_error(diag, o->out_dir, 0, 0, "cannot create output directory: %s", strerror(e));
        goto out;
    }
    /* Both temp files first, then both renames: a failure before the
     * renames leaves the old outputs as they were. */
    if ((e = pgmc_write_prepare(hp, h.p, h.len, &ht)) != 0) {
        pgmc_diag_error(diag, hp, 0, 0, "cannot write: %s", strerror(e));
        goto out;
    }
    if ((e = pgmc_write_prepare(cp, c.p, c.len, &ct)) != 0) {
        pgmc_diag_error(diag, cp, 0, 0, "cannot write: %s", strerror(e));
        goto out;
    }
    e = pgmc_write_commit(ht, hp);
    ht = NULL;
    if (e) {
        pgmc_diag_error(diag, hp, 0, 0, "cannot write: %s", strerror(e));
        goto out;
    }
    e = pgmc_write_commit(ct, cp);
    ct = NULL;
    if (e) {
        pgmc_diag_error(diag, cp, 0, 0, "cannot write: %s", strerror(e));
        goto out;
    }
    rc = PGMC_GEN_OK;
out:
    pgmc_write_abort(ht);
    pgmc_write_abort(ct);
    free(hp);
    free(cp);
    pgmc_buf_free(&h);
    pgmc_buf_free(&c);
    return rc;
}
