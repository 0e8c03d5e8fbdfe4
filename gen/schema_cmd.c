/* schema_cmd.c - `pgmc schema` as a library call: load the migrations folder
 * the way `pgmc gen` does (formats.c), replay it into a catalog and print it
 * as JSON or in the flat form. See gen.h.
 */
#include "gen.h"

#include "catalog.h"
#include "formats.h"

#include <string.h>

int pgmc_schema_render(const char *migrations_dir, const char *format, int flat, pgmc_diag *diag,
                       pgmc_buf *out)
{
    if (!migrations_dir) {
        pgmc_diag_error(diag, NULL, 0, 0, "--migrations is required");
        return PGMC_GEN_USAGE;
    }
    if (format && !pgmc_format_known(format)) {
        pgmc_diag_error(diag, NULL, 0, 0,
                        "unknown --format '%s' (auto, golang-migrate, sqlx, goose, dbmate, "
                        "diesel, flyway)",
                        format);
        return PGMC_GEN_USAGE;
    }
    pgmc_project p;
    memset(&p, 0, sizeof p);
    int rc = pgmc_formats_load(migrations_dir, format, &p, diag);
    if (rc == 0) {
        pgmc_catalog cat;
        pgmc_catalog_init(&cat);
        rc = pgmc_catalog_replay(&cat, &p, diag);
        if (flat)
            pgmc_catalog_flat(&cat, out);
        else
            pgmc_catalog_json(&cat, out);
        pgmc_catalog_free(&cat);
        if (out->oom) {
            pgmc_diag_error(diag, NULL, 0, 0, "out of memory");
            rc = -1;
        }
    }
    pgmc_project_free(&p);
    return rc == 0 ? PGMC_GEN_OK : PGMC_GEN_FAILED;
}
