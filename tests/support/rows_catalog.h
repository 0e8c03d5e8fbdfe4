/* rows_catalog.h - a hand-built schema catalog (gen/catalog.h data model,
 * no DDL replay involved) for the row-struct emitter's golden test. It has
 * every type pgmc maps, enums, a domain, an unmapped type, awkward column
 * names, another schema, a view and a partition. tests/db/test_rows_decode.c
 * creates the same tables with rows_catalog_sql below and decodes into the
 * structs generated from this catalog (tests/golden/rows/expected/).
 *
 * Everything is static storage: nothing to free.
 */
#ifndef TEST_ROWS_CATALOG_H
#define TEST_ROWS_CATALOG_H

#include "catalog/catalog.h"

#include <string.h>

/* The DDL that the catalog below describes (for the database test). */
static const char rows_catalog_sql[] =
    "CREATE EXTENSION IF NOT EXISTS citext;\n"
    "CREATE SCHEMA app;\n"
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'very-happy');\n"
    "CREATE TYPE app.status AS ENUM ('active', 'gone');\n"
    "CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);\n"
    "CREATE TABLE all_types (\n"
    "  id bigint NOT NULL PRIMARY KEY,\n"
    "  i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision, b boolean,\n"
    "  t text, vc varchar(20), ch char(3), ci citext, nm name, by bytea, u uuid,\n"
    "  ts timestamptz, tsn timestamp, d date, tm time, iv interval,\n"
    "  num numeric, num2 numeric(10,2), numneg numeric(5,-2), j json, jb jsonb, ip inet, cid "
    "cidr,\n"
    "  mood mood, ia integer[], ta text[], na numeric[], tsa timestamptz[], ma mood[],\n"
    "  dom positive_int, unk tsvector,\n"
    "  \"Weird Name\" text, \"int\" integer, \"1st\" text, t_null text, \"caf\xc3\xa9\" text\n"
    ");\n"
    "COMMENT ON TABLE all_types IS 'Every type pgmc maps, one column each.';\n"
    "COMMENT ON COLUMN all_types.num IS 'exact: never a double';\n"
    "COMMENT ON TYPE mood IS 'How it went.';\n"
    "CREATE TABLE app.events (id uuid NOT NULL, status app.status NOT NULL, at timestamptz);\n"
    "CREATE VIEW active_moods AS SELECT id, mood FROM all_types WHERE mood IS NOT NULL;\n"
    "CREATE TABLE measurements (at date NOT NULL, v double precision) PARTITION BY RANGE (at);\n"
    "CREATE TABLE measurements_2024 PARTITION OF measurements\n"
    "  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n";

#define RC_B(sp, b)                                                                                \
    {                                                                                              \
        .spelling = (char *)(sp), .kind = PGMC_CAT_BUILTIN, .builtin = (b), .typmod_a = -1,        \
        .typmod_b = -1                                                                             \
    }
#define RC_BA(sp, b)                                                                               \
    {                                                                                              \
        .spelling = (char *)(sp), .kind = PGMC_CAT_BUILTIN, .builtin = (b), .typmod_a = -1,        \
        .typmod_b = -1, .ndims = 1                                                                 \
    }
#define RC_T(sp, k, s, n, nd)                                                                      \
    {                                                                                              \
        .spelling = (char *)(sp), .kind = (k), .schema = (char *)(s), .name = (char *)(n),         \
        .typmod_a = -1, .typmod_b = -1, .ndims = (nd)                                              \
    }
#define RC_COL(n, ty, nn)                                                                          \
    {                                                                                              \
        .name = (char *)(n), .type = ty, .not_null = (nn)                                          \
    }

static pgmcg_cat_column rc_all_types_cols[] = {
    RC_COL("id", RC_B("bigint", "bigint"), 1),
    RC_COL("i2", RC_B("smallint", "smallint"), 0),
    RC_COL("i4", RC_B("integer", "integer"), 0),
    RC_COL("i8", RC_B("bigint", "bigint"), 0),
    RC_COL("f4", RC_B("real", "real"), 0),
    RC_COL("f8", RC_B("double precision", "double precision"), 0),
    RC_COL("b", RC_B("boolean", "boolean"), 0),
    RC_COL("t", RC_B("text", "text"), 0),
    RC_COL("vc", RC_B("character varying(20)", "character varying"), 0),
    RC_COL("ch", RC_B("character(3)", "character"), 0),
    RC_COL("ci", RC_B("citext", "citext"), 0),
    RC_COL("nm", RC_B("name", "name"), 0),
    RC_COL("by", RC_B("bytea", "bytea"), 0),
    RC_COL("u", RC_B("uuid", "uuid"), 0),
    RC_COL("ts", RC_B("timestamp with time zone", "timestamp with time zone"), 0),
    RC_COL("tsn", RC_B("timestamp without time zone", "timestamp without time zone"), 0),
    RC_COL("d", RC_B("date", "date"), 0),
    RC_COL("tm", RC_B("time without time zone", "time without time zone"), 0),
    RC_COL("iv", RC_B("interval", "interval"), 0),
    RC_COL("num", RC_B("numeric", "numeric"), 0),
    RC_COL("num2", RC_B("numeric(10,2)", "numeric"), 0),
    RC_COL("numneg", RC_B("numeric(5,-2)", "numeric"), 0),
    RC_COL("j", RC_B("json", "json"), 0),
    RC_COL("jb", RC_B("jsonb", "jsonb"), 0),
    RC_COL("ip", RC_B("inet", "inet"), 0),
    RC_COL("cid", RC_B("cidr", "cidr"), 0),
    RC_COL("mood", RC_T("mood", PGMC_CAT_ENUM, "public", "mood", 0), 0),
    RC_COL("ia", RC_BA("integer[]", "integer"), 0),
    RC_COL("ta", RC_BA("text[]", "text"), 0),
    RC_COL("na", RC_BA("numeric[]", "numeric"), 0),
    RC_COL("tsa", RC_BA("timestamp with time zone[]", "timestamp with time zone"), 0),
    RC_COL("ma", RC_T("mood[]", PGMC_CAT_ENUM, "public", "mood", 1), 0),
    RC_COL("dom", RC_T("positive_int", PGMC_CAT_DOMAIN, "public", "positive_int", 0), 0),
    RC_COL("unk", RC_T("tsvector", PGMC_CAT_UNKNOWN, NULL, NULL, 0), 0),
    RC_COL("Weird Name", RC_B("text", "text"), 0),
    RC_COL("int", RC_B("integer", "integer"), 0),
    RC_COL("1st", RC_B("text", "text"), 0),
    RC_COL("t_null", RC_B("text", "text"), 0),
    RC_COL("caf\xc3\xa9", RC_B("text", "text"), 0),
};

static pgmcg_cat_column rc_events_cols[] = {
    RC_COL("id", RC_B("uuid", "uuid"), 1),
    RC_COL("status", RC_T("app.status", PGMC_CAT_ENUM, "app", "status", 0), 1),
    RC_COL("at", RC_B("timestamp with time zone", "timestamp with time zone"), 0),
};

static pgmcg_cat_column rc_view_cols[] = {
    RC_COL("id", RC_B("bigint", "bigint"), 0),
    RC_COL("mood", RC_T("mood", PGMC_CAT_ENUM, "public", "mood", 0), 0),
};

static pgmcg_cat_column rc_meas_cols[] = {
    RC_COL("at", RC_B("date", "date"), 1),
    RC_COL("v", RC_B("double precision", "double precision"), 0),
};

static char *rc_mood_labels[] = {(char *)"sad", (char *)"ok", (char *)"happy",
                                 (char *)"very-happy"};
static char *rc_status_labels[] = {(char *)"active", (char *)"gone"};

/* Fill *cat (sorted by (schema, name), as replay leaves it). */
static inline void rows_catalog_build(pgmcg_catalog *cat)
{
    static char *schemas[] = {(char *)"app", (char *)"public"};
    static char *exts[] = {(char *)"citext"};
    static pgmcg_cat_relation rels[5];
    static pgmcg_cat_type types[3];
    memset(cat, 0, sizeof *cat);
    memset(rels, 0, sizeof rels);
    memset(types, 0, sizeof types);
    cat->schemas = schemas;
    cat->n_schemas = 2;
    cat->extensions = exts;
    cat->n_extensions = 1;

    rels[0] = (pgmcg_cat_relation){.schema = (char *)"app",
                                   .name = (char *)"events",
                                   .kind = PGMC_REL_TABLE,
                                   .cols = rc_events_cols,
                                   .n_cols = sizeof rc_events_cols / sizeof rc_events_cols[0]};
    rels[1] = (pgmcg_cat_relation){.schema = (char *)"public",
                                   .name = (char *)"active_moods",
                                   .kind = PGMC_REL_VIEW,
                                   .cols = rc_view_cols,
                                   .n_cols = sizeof rc_view_cols / sizeof rc_view_cols[0]};
    rels[2] = (pgmcg_cat_relation){.schema = (char *)"public",
                                   .name = (char *)"all_types",
                                   .kind = PGMC_REL_TABLE,
                                   .cols = rc_all_types_cols,
                                   .n_cols = sizeof rc_all_types_cols / sizeof rc_all_types_cols[0],
                                   .comment = (char *)"Every type pgmc maps, one column each."};
    rels[3] = (pgmcg_cat_relation){.schema = (char *)"public",
                                   .name = (char *)"measurements",
                                   .kind = PGMC_REL_PARTITIONED,
                                   .cols = rc_meas_cols,
                                   .n_cols = sizeof rc_meas_cols / sizeof rc_meas_cols[0]};
    rels[4] = (pgmcg_cat_relation){.schema = (char *)"public",
                                   .name = (char *)"measurements_2024",
                                   .kind = PGMC_REL_TABLE,
                                   .cols = rc_meas_cols,
                                   .n_cols = sizeof rc_meas_cols / sizeof rc_meas_cols[0],
                                   .partition_of = (char *)"public.measurements"};
    cat->rels = rels;
    cat->n_rels = 5;
    rc_all_types_cols[19].comment = (char *)"exact: never a double";

    types[0] = (pgmcg_cat_type){.schema = (char *)"app",
                                .name = (char *)"status",
                                .kind = PGMC_CAT_ENUM,
                                .labels = rc_status_labels,
                                .n_labels = 2};
    types[1] = (pgmcg_cat_type){.schema = (char *)"public",
                                .name = (char *)"mood",
                                .kind = PGMC_CAT_ENUM,
                                .labels = rc_mood_labels,
                                .n_labels = 4,
                                .comment = (char *)"How it went."};
    types[2] = (pgmcg_cat_type){.schema = (char *)"public",
                                .name = (char *)"positive_int",
                                .kind = PGMC_CAT_DOMAIN,
                                .base = RC_B("integer", "integer")};
    cat->types = types;
    cat->n_types = 3;
}

#endif
