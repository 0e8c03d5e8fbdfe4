/* schema_cmd.c - `pgmc schema` as a library call: load the migrations folder
 * the way `pgmc gen` does (formats.c), replay it into a catalog and print it
 * as JSON or in the flat form. See gen.h.
 */
#include "gen.h"

#include "catalog/catalog.h"
#include "formats/formats.h"
#include "util/fsutil.h"

#include <stdlib.h>
#include <string.h>

int pgmcg_schema_load(const char *migrations_dir, const char *format, const char *const *preludes,
                      size_t n_preludes, pgmcg_catalog *cat, pgmcg_diag *diag)
{
    pgmcg_project p;
    size_t i;
    int rc = 0;

    if (!migrations_dir) {
        pgmcg_diag_error(diag, NULL, 0, 0, "--migrations is required");
        return PGMC_GEN_USAGE;
    }
    if (pgmcg_format_check(format, diag))
        return PGMC_GEN_USAGE;
    for (i = 0; i < n_preludes; i++) {
        char *data = NULL;
        size_t len = 0;
        int err = pgmcg_read_file(preludes[i], &data, &len);
        if (err) {
            pgmcg_diag_error(diag, preludes[i], 0, 0, "cannot read the prelude: %s", strerror(err));
            return PGMC_GEN_FAILED;
        }
        if (pgmcg_catalog_apply(cat, preludes[i], data, len, diag) != 0)
            rc = -1;
        free(data);
    }
    memset(&p, 0, sizeof p);
    if (pgmcg_formats_load(migrations_dir, format, &p, diag) != 0) {
        pgmcg_project_free(&p);
        return PGMC_GEN_FAILED;
    }
    if (pgmcg_catalog_replay(cat, &p, diag) != 0)
        rc = -1;
    pgmcg_project_free(&p);
    return rc == 0 ? PGMC_GEN_OK : PGMC_GEN_FAILED;
}

int pgmcg_schema_render(const char *migrations_dir, const char *format, const char *const *preludes,
                        size_t n_preludes, int flat, pgmcg_diag *diag, pgmcg_buf *out)
{
    pgmcg_catalog cat;
    int rc;

    pgmcg_catalog_init(&cat);
    rc = pgmcg_schema_load(migrations_dir, format, preludes, n_preludes, &cat, diag);
    if (rc != PGMC_GEN_USAGE) {
        if (flat)
            pgmcg_catalog_flat(&cat, out);
        else
            pgmcg_catalog_json(&cat, out);
        if (out->oom) {
            pgmcg_diag_error(diag, NULL, 0, 0, "out of memory");
            rc = PGMC_GEN_FAILED;
        }
    }
    pgmcg_catalog_free(&cat);
    return rc;
}
