/* test_catalog.c - unit tests of the schema catalog (gen/catalog*.c).
 *
 * Replays SQL snippets in-process with pgmcg_catalog_apply and checks the
 * flat form line by line (the facts PostgreSQL itself would report: the
 * spellings were checked against format_type() on PostgreSQL 15), the
 * notes and the errors with their exact file:line:col. Then replays
 * migrations/ and each real-world corpus with zero errors, and compares
 * `pgmc schema --json` of migrations/ with tests/golden/catalog/example.json
 * (PGMC_UPDATE_GOLDEN=1 rewrites it). Exits non-zero on failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "catalog/catalog.h"
#include "formats/formats.h"
#include "gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static int checks;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                            \
            printf(__VA_ARGS__);                                                                   \
            printf("\n");                                                                          \
        }                                                                                          \
    } while (0)

/* The result of replaying one snippet. */
typedef struct run {
    char *flat; /* flat form, NUL-terminated */
    char *diag; /* messages ("" if none) */
    int rc;
    unsigned errors, notes;
} run;

static run replay(const char *sql)
{
    pgmcg_catalog cat;
    pgmcg_diag d;
    pgmcg_catalog_init(&cat);
    pgmcg_diag_init(&d, NULL);
    run r;
    r.rc = pgmcg_catalog_apply(&cat, "t.sql", sql, strlen(sql), &d);
    pgmcg_catalog_finish(&cat);
    pgmcg_buf b = {0};
    pgmcg_catalog_flat(&cat, &b);
    pgmcg_buf_putc(&b, '\0');
    r.flat = b.p;
    r.diag = strdup(d.text ? d.text : "");
    r.errors = d.errors;
    r.notes = d.notes;
    pgmcg_diag_free(&d);
    pgmcg_catalog_free(&cat);
    return r;
}

static void run_free(run *r)
{
    free(r->flat);
    free(r->diag);
}

/* Does the flat text hold exactly this line? */
static int has_line(const char *flat, const char *line)
{
    size_t n = strlen(line);
    for (const char *s = flat; s && *s;) {
        const char *e = strchr(s, '\n');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        if (l == n && !memcmp(s, line, n))
            return 1;
        s = e ? e + 1 : NULL;
    }
    return 0;
}

/* Replay sql without errors; each NULL-terminated vararg is a line that
 * must be there ("!line": must not be there). */
static void expect(const char *sql, ...)
{
    run r = replay(sql);
    CHECK(r.rc == 0 && r.errors == 0, "[%s]: unexpected errors: %s", sql, r.diag);
    va_list ap;
    va_start(ap, sql);
    for (const char *l; (l = va_arg(ap, const char *)) != NULL;) {
        if (l[0] == '!')
            CHECK(!has_line(r.flat, l + 1), "[%s]: line present: %s\n%s", sql, l + 1, r.flat);
        else
            CHECK(has_line(r.flat, l), "[%s]: line missing: %s\n%s", sql, l, r.flat);
    }
    va_end(ap);
    run_free(&r);
}

/* Replay sql: it must fail (or note, when `note`), and the messages contain msg. */
static void expect_msg(const char *sql, int note, const char *msg)
{
    run r = replay(sql);
    if (note)
        CHECK(r.rc == 0 && r.errors == 0 && r.notes > 0, "[%s]: wanted a note, got rc %d: %s", sql,
              r.rc, r.diag);
    else
        CHECK(r.rc != 0 && r.errors > 0, "[%s]: wanted an error, got rc %d: %s", sql, r.rc, r.diag);
    CHECK(strstr(r.diag, msg) != NULL, "[%s]: messages lack [%s]:\n%s", sql, msg, r.diag);
    run_free(&r);
}

static void test_tables(void)
{
    expect("CREATE TABLE t (a int, b int4 NOT NULL, c integer PRIMARY KEY, d int8, e int2,"
           " f float8, g double precision, h float4, i real, j float(10), k float(30), l float,"
           " m bool, n varchar(20), o character varying, p char(3), q char, r character(2),"
           " s timestamptz, t timestamp(3), u time(2) with time zone, v timetz,"
           " w interval day to second(3), x interval(2), y numeric(10,2), z numeric(5),"
           " aa decimal, ab bit, ac varbit(4), ad \"char\", ae bpchar, af text[],"
           " ag integer ARRAY, ah text[][], ai int[3], aj timestamp without time zone,"
           " ak jsonb, al uuid, am pg_catalog.int4, an interval year)",
           "relation public.t table", "column public.t 0001 a - integer",
           "column public.t 0002 b not_null integer", "column public.t 0003 c not_null integer",
           "column public.t 0004 d - bigint", "column public.t 0005 e - smallint",
           "column public.t 0006 f - double precision", "column public.t 0007 g - double precision",
           "column public.t 0008 h - real", "column public.t 0009 i - real",
           "column public.t 0010 j - real", "column public.t 0011 k - double precision",
           "column public.t 0012 l - double precision", "column public.t 0013 m - boolean",
           "column public.t 0014 n - character varying(20)",
           "column public.t 0015 o - character varying", "column public.t 0016 p - character(3)",
           "column public.t 0017 q - character(1)", "column public.t 0018 r - character(2)",
           "column public.t 0019 s - timestamp with time zone",
           "column public.t 0020 t - timestamp(3) without time zone",
           "column public.t 0021 u - time(2) with time zone",
           "column public.t 0022 v - time with time zone",
           "column public.t 0023 w - interval day to second(3)",
           "column public.t 0024 x - interval(2)", "column public.t 0025 y - numeric(10,2)",
           "column public.t 0026 z - numeric(5,0)", "column public.t 0027 aa - numeric",
           "column public.t 0028 ab - bit(1)", "column public.t 0029 ac - bit varying(4)",
           "column public.t 0030 ad - \"char\"", "column public.t 0031 ae - bpchar",
           "column public.t 0032 af - text[]", "column public.t 0033 ag - integer[]",
           "column public.t 0034 ah - text[]", "column public.t 0035 ai - integer[]",
           "column public.t 0036 aj - timestamp without time zone",
           "column public.t 0037 ak - jsonb", "column public.t 0038 al - uuid",
           "column public.t 0039 am - integer", "column public.t 0040 an - interval year", NULL);
    /* serial, identity, generated, defaults, constraints of every kind */
    expect("CREATE TABLE t (id serial, b bigserial, s smallserial,"
           " i int GENERATED ALWAYS AS IDENTITY (START WITH 10),"
           " j bigint GENERATED BY DEFAULT AS IDENTITY,"
           " g int GENERATED ALWAYS AS (id * 2) STORED,"
           " d text DEFAULT 'x' || now()::text NOT NULL, n text DEFAULT NULL,"
           " r int REFERENCES other (id) ON DELETE SET DEFAULT ON UPDATE CASCADE,"
           " c text COLLATE \"C\" CHECK (c <> '') CONSTRAINT u UNIQUE,"
           " f numeric DEFAULT (1 + (2 * 3)) NULL,"
           " CONSTRAINT pk PRIMARY KEY (s, r), UNIQUE (d), CHECK (id > 0),"
           " FOREIGN KEY (r) REFERENCES other (id) ON DELETE SET NULL)",
           "column public.t 0001 id not_null,default integer",
           "column public.t 0002 b not_null,default bigint",
           "column public.t 0003 s not_null,default smallint",
           "column public.t 0004 i not_null,identity=a integer",
           "column public.t 0005 j not_null,identity=d bigint",
           "column public.t 0006 g default,generated=s integer",
           "column public.t 0007 d not_null,default text", "column public.t 0008 n - text",
           "column public.t 0009 r not_null integer", "column public.t 0010 c - text",
           "column public.t 0011 f default numeric", NULL);
    /* options, UNLOGGED, IF NOT EXISTS on an existing table, TEMP skipped */
    expect("CREATE UNLOGGED TABLE IF NOT EXISTS t (a int) WITH (fillfactor = 70) TABLESPACE x;"
           "CREATE TABLE IF NOT EXISTS t (b int);"
           "CREATE TEMP TABLE tmp (a int); CREATE TEMPORARY TABLE t2 (z int) ON COMMIT DROP;"
           "ALTER TABLE tmp ADD COLUMN b int; INSERT INTO tmp VALUES (1);",
           "column public.t 0001 a - integer", "!column public.t 0002 b - integer",
           "!relation public.tmp table", "!relation pg_temp.tmp table", NULL);
}

static void test_names(void)
{
    expect("CREATE TABLE \"MixedCase\" (\"a\"\"b\" int, CamelCase text, \"x y\" int);",
           "relation public.\"MixedCase\" table",
           "column public.\"MixedCase\" 0001 \"a\"\"b\" - integer",
           "column public.\"MixedCase\" 0002 camelcase - text",
           "column public.\"MixedCase\" 0003 \"x y\" - integer", NULL);
    expect_msg("CREATE TABLE Upper.Thing (a int);", 0,
               "t.sql:1:14: error: schema \"upper\" does not exist");
    expect("CREATE TABLE U&\"d\\0061t\" (U&\"!0041\" UESCAPE '!' int);",
           "relation public.dat table", "column public.dat 0001 \"A\" - integer", NULL);
    /* user types: quoted where quote_ident would, qualified unless public */
    expect("CREATE SCHEMA presence; CREATE TYPE presence.status AS ENUM ('on', 'off');"
           "CREATE TYPE \"user\" AS ENUM ('x'); CREATE TYPE \"MyT\" AS ENUM ('y');"
           "CREATE TABLE t (a presence.status, b \"user\"[], c \"MyT\", d presence.status[]);",
           "column public.t 0001 a - presence.status", "column public.t 0002 b - \"user\"[]",
           "column public.t 0003 c - \"MyT\"", "column public.t 0004 d - presence.status[]",
           "enum presence.status 0001 on", "enum presence.status 0002 off", NULL);
}

static void test_search_path(void)
{
    expect("CREATE SCHEMA a; CREATE SCHEMA IF NOT EXISTS b AUTHORIZATION bob;"
           "SET search_path TO a, public; CREATE TABLE t (x int);"
           "SET LOCAL search_path = b; CREATE TABLE t (y int);"
           "SELECT pg_catalog.set_config('search_path', 'a', false); ALTER TABLE t ADD z int;"
           "RESET search_path; CREATE TABLE t (w int);"
           "SET search_path = \"$user\", b; ALTER TABLE t ADD v int;",
           "column a.t 0001 x - integer", "column a.t 0002 z - integer",
           "column b.t 0001 y - integer", "column b.t 0002 v - integer",
           "column public.t 0001 w - integer", "schema a", "schema b", NULL);
    expect_msg("SET search_path = nothere; CREATE TABLE t (a int);", 0,
               "t.sql:1:41: error: no schema has been selected to create in");
    expect("CREATE SCHEMA IF NOT EXISTS x; CREATE TABLE x.t (a int); CREATE TYPE x.e AS ENUM ();"
           "DROP SCHEMA x CASCADE; DROP SCHEMA IF EXISTS x;",
           "!schema x", "!relation x.t table", NULL);
}

static void test_alter(void)
{
    expect("CREATE TABLE t (a int, b text, c int PRIMARY KEY, d int DEFAULT 1);"
           "ALTER TABLE IF EXISTS ONLY t ADD COLUMN e varchar(3) NOT NULL DEFAULT 'x',"
           " ADD IF NOT EXISTS a int, DROP COLUMN IF EXISTS nope, ALTER COLUMN a TYPE bigint,"
           " ALTER b SET DATA TYPE varchar(9) COLLATE \"C\" USING b::varchar,"
           " ALTER COLUMN a SET NOT NULL, ALTER d DROP DEFAULT, ALTER b SET DEFAULT 'q',"
           " RENAME COLUMN b TO bee;"
           "ALTER TABLE t DROP CONSTRAINT t_pkey; ALTER TABLE t OWNER TO bob;"
           "ALTER TABLE t ENABLE ROW LEVEL SECURITY, SET (fillfactor = 10);"
           "ALTER TABLE t ALTER COLUMN c ADD GENERATED ALWAYS AS IDENTITY;"
           "ALTER TABLE t ALTER COLUMN c SET GENERATED BY DEFAULT;"
           "ALTER TABLE t ADD COLUMN f int GENERATED ALWAYS AS IDENTITY;"
           "ALTER TABLE t ALTER COLUMN f DROP IDENTITY IF EXISTS;"
           "ALTER TABLE IF EXISTS nope ADD COLUMN x int;",
           "column public.t 0001 a not_null bigint",
           "column public.t 0002 bee default character varying(9)",
           /* dropping the primary key keeps NOT NULL, as PostgreSQL does */
           "column public.t 0003 c not_null,identity=d integer", "column public.t 0004 d - integer",
           "column public.t 0005 e not_null,default character varying(3)",
           "column public.t 0006 f not_null integer", NULL);
    expect("CREATE TABLE t (a int, b int); CREATE UNIQUE INDEX t_ab ON t (a, b);"
           "ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_ab;"
           "CREATE TABLE u (x int); ALTER TABLE u ADD PRIMARY KEY (x);",
           "column public.t 0001 a not_null integer", "column public.t 0002 b not_null integer",
           "column public.u 0001 x not_null integer", NULL);
    /* renames, SET SCHEMA, drop then recreate */
    expect("CREATE SCHEMA s; CREATE TABLE t (a int); ALTER TABLE t RENAME TO t2;"
           "CREATE TABLE t (b int); ALTER TABLE t SET SCHEMA s; CREATE TABLE r (x t2);"
           "ALTER TABLE t2 RENAME TO t3; DROP TABLE IF EXISTS nope, s.t CASCADE;"
           "CREATE TABLE s.t (c int);",
           "column public.t3 0001 a - integer", "column s.t 0001 c - integer",
           "column public.r 0001 x - t3", "!column s.t 0001 b - integer", NULL);
    expect_msg("CREATE TABLE t (a int);\nALTER TABLE t\n  DROP COLUMN b;", 0,
               "t.sql:3:15: error: column \"b\" of relation \"t\" does not exist");
    expect_msg("CREATE TABLE t (a int);\n  ALTER TABLE nope ADD COLUMN x int;", 0,
               "t.sql:2:15: error: relation \"nope\" does not exist");
    expect_msg("DROP TABLE t;", 0, "t.sql:1:12: error: relation \"t\" does not exist");
    expect_msg("CREATE TABLE t (a int);\nALTER TABLE t FROB x;", 0,
               "t.sql:2:15: error: unexpected 'FROB' in ALTER TABLE");
    expect_msg("CREATE TABLE t (a int WIBBLE);", 0,
               "t.sql:1:23: error: unexpected 'WIBBLE' in a column definition");
    expect_msg("CREATE TABLE t (a int); CREATE TABLE t (b int);", 0,
               "t.sql:1:38: error: relation \"t\" already exists");
}

static void test_like_inherits_partitions(void)
{
    expect("CREATE TABLE p (a int GENERATED ALWAYS AS IDENTITY, b int DEFAULT 5,"
           " c int GENERATED ALWAYS AS (b * 2) STORED, d int NOT NULL, e serial);"
           "CREATE TABLE l1 (LIKE p);"
           "CREATE TABLE l2 (x int, LIKE p INCLUDING ALL EXCLUDING INDEXES);"
           "CREATE TABLE l3 (LIKE p INCLUDING DEFAULTS);"
           "CREATE TABLE ch (f int, b int) INHERITS (p);",
           "column public.l1 0001 a not_null integer", "column public.l1 0002 b - integer",
           "column public.l1 0003 c - integer", "column public.l1 0004 d not_null integer",
           "column public.l1 0005 e not_null integer", "column public.l2 0001 x - integer",
           "column public.l2 0002 a not_null,identity=a integer",
           "column public.l2 0004 c default,generated=s integer",
           "column public.l3 0002 b default integer", "column public.l3 0003 c - integer",
           "column public.ch 0001 a not_null integer", "column public.ch 0002 b default integer",
           "column public.ch 0003 c default,generated=s integer",
           "column public.ch 0005 e not_null,default integer", "column public.ch 0006 f - integer",
           NULL);
    expect("CREATE TABLE m (t timestamptz NOT NULL, v int DEFAULT 0) PARTITION BY RANGE (t);"
           "CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');"
           "CREATE TABLE md PARTITION OF m (v WITH OPTIONS NOT NULL) DEFAULT;"
           "CREATE TABLE m2 (LIKE m); ALTER TABLE m ATTACH PARTITION m2 FOR VALUES FROM (MINVALUE) "
           "TO ('2020-01-01');"
           "CREATE TABLE m3 (LIKE m); ALTER TABLE m ATTACH PARTITION m3 DEFAULT;"
           "ALTER TABLE m DETACH PARTITION m3;",
           "relation public.m partitioned", "relation public.m1 table",
           "partition public.m1 public.m", "partition public.md public.m",
           "partition public.m2 public.m", "!partition public.m3 public.m",
           "column public.m1 0001 t not_null timestamp with time zone",
           "column public.m1 0002 v default integer",
           "column public.md 0002 v not_null,default integer", NULL);
}

/* One constraint parser (ddl_constraint.c) for CREATE TABLE, ALTER TABLE
 * and domains: each case below was checked on PostgreSQL 15 (attnotnull,
 * atthasdef, typdefault, and the error), except NOT NULL as a table
 * constraint, which is PostgreSQL 18's. */
static void test_constraints(void)
{
    /* PRIMARY KEY implies NOT NULL in both paths, whatever its attributes */
    expect("CREATE TABLE a1 (a int, b int, c int, PRIMARY KEY (a) DEFERRABLE INITIALLY DEFERRED,"
           " UNIQUE (b), EXCLUDE USING btree (c WITH =));"
           "CREATE TABLE a2 (a int, b int, c int);"
           "ALTER TABLE a2 ADD PRIMARY KEY (a) DEFERRABLE INITIALLY DEFERRED, ADD UNIQUE (b),"
           " ADD EXCLUDE USING btree (c WITH =);"
           "CREATE TABLE a3 (a int, b int, c int, CONSTRAINT k3 PRIMARY KEY (b) INCLUDE (c));"
           "CREATE TABLE a4 (a int, b int, c int); ALTER TABLE a4 ADD CONSTRAINT k4 PRIMARY KEY (b)"
           " INCLUDE (c);",
           "column public.a1 0001 a not_null integer", "column public.a1 0002 b - integer",
           "column public.a1 0003 c - integer", "column public.a2 0001 a not_null integer",
           "column public.a2 0002 b - integer", "column public.a2 0003 c - integer",
           "column public.a3 0002 b not_null integer", "column public.a3 0003 c - integer",
           "column public.a4 0002 b not_null integer", "column public.a4 0003 c - integer", NULL);
    /* a column definition means the same in CREATE TABLE and ADD COLUMN */
    char sql[1024];
    expect("CREATE TABLE c (x int, a int PRIMARY KEY NULL, b serial, c varchar(3) DEFAULT NULL,"
           " d int DEFAULT NULL, e int GENERATED ALWAYS AS (x * 2) STORED,"
           " f int GENERATED BY DEFAULT AS IDENTITY);"
           "CREATE TABLE t (x int); ALTER TABLE t ADD a int PRIMARY KEY NULL, ADD b serial,"
           " ADD c varchar(3) DEFAULT NULL, ADD d int DEFAULT NULL,"
           " ADD e int GENERATED ALWAYS AS (x * 2) STORED,"
           " ADD f int GENERATED BY DEFAULT AS IDENTITY;",
           "column public.c 0002 a not_null integer", "column public.t 0002 a not_null integer",
           "column public.c 0003 b not_null,default integer",
           "column public.t 0003 b not_null,default integer",
           "column public.c 0004 c default character varying(3)",
           "column public.t 0004 c default character varying(3)",
           "column public.c 0005 d - integer", "column public.t 0005 d - integer",
           "column public.c 0006 e default,generated=s integer",
           "column public.t 0006 e default,generated=s integer",
           "column public.c 0007 f not_null,identity=d integer",
           "column public.t 0007 f not_null,identity=d integer", NULL);
    /* clauses PostgreSQL refuses together, refused in both paths */
    static const char *const refused[][2] = {
        {"a int NOT NULL NULL", "conflicting NULL/NOT NULL declarations for column \"a\""},
        {"a int NULL NOT NULL", "conflicting NULL/NOT NULL declarations for column \"a\""},
        {"a serial NULL", "conflicting NULL/NOT NULL declarations for column \"a\""},
        {"a int GENERATED ALWAYS AS IDENTITY NULL", "conflicting NULL/NOT NULL declarations"},
        {"a int DEFAULT 1 GENERATED ALWAYS AS IDENTITY", "both default and identity specified"},
        {"a int GENERATED ALWAYS AS IDENTITY DEFAULT 1", "both default and identity specified"},
        {"a serial GENERATED ALWAYS AS IDENTITY", "both default and identity specified"},
        {"a int DEFAULT 1 DEFAULT 2", "multiple default values specified for column \"a\""},
        {"a int DEFAULT 1 GENERATED ALWAYS AS (2) STORED",
         "both default and generation expression specified"},
        {"a int GENERATED ALWAYS AS IDENTITY GENERATED ALWAYS AS (1) STORED",
         "both identity and generation expression specified"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        snprintf(sql, sizeof sql, "CREATE TABLE c (%s);", refused[i][0]);
        expect_msg(sql, 0, refused[i][1]);
        snprintf(sql, sizeof sql, "CREATE TABLE t (x int); ALTER TABLE t ADD COLUMN %s;",
                 refused[i][0]);
        expect_msg(sql, 0, refused[i][1]);
    }
    expect_msg("CREATE TABLE c (a text GENERATED ALWAYS AS IDENTITY);", 0,
               "identity column type must be smallint, integer, or bigint");
    expect_msg("CREATE TABLE c (a text NOT NULL); ALTER TABLE c ALTER a ADD GENERATED ALWAYS AS"
               " IDENTITY;",
               0, "identity column type must be smallint, integer, or bigint");
    /* a key column that is not there: PostgreSQL's wording in each path */
    expect_msg("CREATE TABLE k (a int, PRIMARY KEY (zz));", 0,
               "t.sql:1:24: error: column \"zz\" named in key does not exist");
    expect_msg("CREATE TABLE k (a int); ALTER TABLE k ADD PRIMARY KEY (zz);", 0,
               "column \"zz\" of relation \"k\" does not exist");
    expect_msg("CREATE TABLE k (a int, CONSTRAINT p PRIMARY KEY USING INDEX i);", 0,
               "cannot use an existing index in CREATE TABLE");
    /* NOT NULL as a table constraint (PostgreSQL 18) in both paths */
    expect("CREATE TABLE n (a int, b int, NOT NULL a);"
           "ALTER TABLE n ADD CONSTRAINT nn NOT NULL b;",
           "column public.n 0001 a not_null integer", "column public.n 0002 b not_null integer",
           NULL);
    /* ALTER COLUMN: identity and defaults as a column definition has them */
    expect("CREATE TABLE i (a int NOT NULL, b int);"
           "ALTER TABLE i ALTER a ADD GENERATED ALWAYS AS IDENTITY (START 3);"
           "ALTER TABLE i ALTER b SET DEFAULT NULL;",
           "column public.i 0001 a not_null,identity=a integer", "column public.i 0002 b - integer",
           NULL);
    expect_msg("CREATE TABLE i (a int); ALTER TABLE i ALTER a ADD GENERATED ALWAYS AS IDENTITY;", 0,
               "column \"a\" of relation \"i\" must be declared NOT NULL before identity");
    expect_msg("CREATE TABLE i (a int NOT NULL DEFAULT 1);"
               "ALTER TABLE i ALTER a ADD GENERATED ALWAYS AS IDENTITY;",
               0, "column \"a\" of relation \"i\" already has a default value");
    expect_msg("CREATE TABLE i (a int GENERATED ALWAYS AS IDENTITY);"
               "ALTER TABLE i ALTER a ADD GENERATED BY DEFAULT AS IDENTITY;",
               0, "column \"a\" of relation \"i\" is already an identity column");
    expect_msg("CREATE TABLE i (a int GENERATED ALWAYS AS IDENTITY);"
               "ALTER TABLE i ALTER a SET DEFAULT 4;",
               0, "column \"a\" of relation \"i\" is an identity column");
    expect_msg("CREATE TABLE i (a int, b int GENERATED ALWAYS AS (a) STORED);"
               "ALTER TABLE i ALTER b DROP DEFAULT;",
               0, "column \"b\" of relation \"i\" is a generated column");
    /* WITH OPTIONS: DEFAULT NULL judged by the column's type, and it
     * replaces the default the partition had from its parent */
    expect("CREATE TABLE m (v int DEFAULT 0, w varchar(3) DEFAULT 'x') PARTITION BY LIST (v);"
           "CREATE TABLE md PARTITION OF m (v WITH OPTIONS DEFAULT NULL,"
           " w WITH OPTIONS DEFAULT NULL) DEFAULT;",
           "column public.md 0001 v - integer",
           "column public.md 0002 w default character varying(3)", NULL);
    /* ALTER TABLE's NOT NULL and PRIMARY KEY reach the partitions */
    expect("CREATE TABLE p (a int, b int, c int) PARTITION BY LIST (a);"
           "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1) PARTITION BY LIST (b);"
           "CREATE TABLE p11 PARTITION OF p1 DEFAULT;"
           "ALTER TABLE p ALTER b SET NOT NULL, ADD PRIMARY KEY (a, b);"
           "CREATE TABLE q (a int NOT NULL, b int NOT NULL) PARTITION BY LIST (a);"
           "CREATE TABLE q1 PARTITION OF q DEFAULT; ALTER TABLE q ALTER b DROP NOT NULL;",
           "column public.p1 0001 a not_null integer", "column public.p1 0002 b not_null integer",
           "column public.p11 0001 a not_null integer", "column public.p11 0002 b not_null integer",
           "column public.p11 0003 c - integer", "column public.q1 0001 a not_null integer",
           "column public.q1 0002 b - integer", NULL);
    /* ... and so do ALTER TABLE's column actions, unless ONLY (a bug
     * found on the way: partitions kept their old columns) */
    expect("CREATE TABLE p (a int, b int, c int, d int DEFAULT 1,"
           " e int GENERATED ALWAYS AS (a) STORED) PARTITION BY LIST (a);"
           "CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1) PARTITION BY LIST (a);"
           "CREATE TABLE p11 PARTITION OF p1 DEFAULT;"
           "ALTER TABLE p ADD COLUMN x varchar(3) NOT NULL DEFAULT 'a',"
           " ADD COLUMN y int GENERATED ALWAYS AS (a * 2) STORED;"
           "ALTER TABLE p DROP COLUMN b; ALTER TABLE p RENAME COLUMN c TO cc;"
           "ALTER TABLE p ALTER cc TYPE bigint; ALTER TABLE p ALTER d DROP DEFAULT;"
           "ALTER TABLE p ALTER cc SET DEFAULT 5; ALTER TABLE p ALTER e DROP EXPRESSION;"
           "ALTER TABLE ONLY p ALTER d SET DEFAULT 7; ALTER TABLE p ALTER cc DROP DEFAULT,"
           " ALTER cc SET NOT NULL, ALTER cc ADD GENERATED ALWAYS AS IDENTITY;",
           "column public.p 0002 cc not_null,identity=a bigint",
           "column public.p 0003 d default integer", "column public.p11 0001 a - integer",
           "column public.p11 0002 cc not_null bigint", "column public.p11 0003 d - integer",
           "column public.p11 0004 e - integer",
           "column public.p11 0005 x not_null,default character varying(3)",
           "column public.p11 0006 y default,generated=s integer",
           "column public.p1 0002 cc not_null bigint", NULL);
    expect_msg("CREATE TABLE r (a int) PARTITION BY LIST (a); CREATE TABLE r1 PARTITION OF r"
               " DEFAULT; ALTER TABLE ONLY r ADD COLUMN b int;",
               0, "column must be added to child tables too");
    expect_msg("CREATE TABLE r (a int) PARTITION BY LIST (a); CREATE TABLE r1 PARTITION OF r"
               " DEFAULT; ALTER TABLE r ADD COLUMN b int GENERATED ALWAYS AS IDENTITY;",
               0, "cannot recursively add identity column to table that has child tables");
    expect_msg("CREATE TABLE r (a int) PARTITION BY LIST (a); CREATE TABLE r1 PARTITION OF r"
               " DEFAULT; ALTER TABLE ONLY r ADD PRIMARY KEY (a);",
               0, "constraint must be added to child tables too");
    /* domains: the same parser; DEFAULT NULL kept only through a typmod or
     * a domain; what a domain cannot have is refused and creates nothing */
    expect("CREATE DOMAIN d1 int DEFAULT NULL; CREATE DOMAIN d2 varchar(3) DEFAULT NULL;"
           "CREATE DOMAIN d3 d1 DEFAULT NULL; CREATE DOMAIN d4 int DEFAULT 1;"
           "ALTER DOMAIN d4 SET DEFAULT NULL; CREATE DOMAIN d5 int;"
           "ALTER DOMAIN d5 ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;",
           "domain public.d1 - integer", "domain public.d2 default character varying(3)",
           "domain public.d3 default d1", "domain public.d4 - integer",
           "domain public.d5 - integer", NULL);
    expect_msg("CREATE DOMAIN d int NOT NULL NULL;", 0, "conflicting NULL/NOT NULL constraints");
    expect_msg("CREATE DOMAIN d int PRIMARY KEY; CREATE TABLE t (a d);", 0,
               "'PRIMARY' constraints not possible for domains");
}

static void test_types(void)
{
    expect("CREATE TYPE mood AS ENUM ('sad', 'ok');"
           "ALTER TYPE mood ADD VALUE 'happy'; ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';"
           "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'; ALTER TYPE mood ADD VALUE 'wow' AFTER "
           "'happy';"
           "ALTER TYPE mood RENAME VALUE 'sad' TO 'Sad Face';"
           "CREATE TABLE t (m mood, ms mood[]); ALTER TYPE mood RENAME TO feeling;"
           "CREATE SCHEMA s; CREATE TYPE gone AS ENUM ('x'); CREATE TABLE g (a int, b gone);"
           "DROP TYPE gone CASCADE;",
           "enum public.feeling 0001 \"Sad Face\"", "enum public.feeling 0002 meh",
           "enum public.feeling 0003 ok", "enum public.feeling 0004 happy",
           "enum public.feeling 0005 wow", "column public.t 0001 m - feeling",
           "column public.t 0002 ms - feeling[]", "column public.g 0001 a - integer",
           "!column public.g 0002 b - gone", NULL);
    expect("CREATE SCHEMA s; CREATE TYPE e AS ENUM ('a'); CREATE TABLE t (x e);"
           "ALTER TYPE e SET SCHEMA s;",
           "column public.t 0001 x - s.e", "enum s.e 0001 a", NULL);
    expect("CREATE TYPE pair AS (a int, b varchar(3)); CREATE TABLE t (p pair);"
           "ALTER TYPE pair ADD ATTRIBUTE c text, DROP ATTRIBUTE a;",
           "attribute public.pair 0001 b - character varying(3)",
           "attribute public.pair 0002 c - text", "column public.t 0001 p - pair", NULL);
    expect("CREATE DOMAIN posint AS integer DEFAULT 1 NOT NULL CHECK (VALUE > 0);"
           "CREATE DOMAIN email text CONSTRAINT c CHECK (VALUE LIKE '%@%');"
           "ALTER DOMAIN email SET NOT NULL; ALTER DOMAIN posint DROP DEFAULT;"
           "CREATE TABLE t (a posint, b email); CREATE DOMAIN gone int; DROP DOMAIN gone;"
           "DROP DOMAIN IF EXISTS gone;",
           "domain public.posint not_null integer", "domain public.email not_null text",
           "column public.t 0001 a - posint", "column public.t 0002 b - email", NULL);
    expect_msg("ALTER TYPE nope ADD VALUE 'x';", 0,
               "t.sql:1:12: error: type \"nope\" does not exist");
    expect_msg("CREATE TABLE t (a frobnicate);", 1,
               "t.sql:1:19: note: type 'frobnicate' is not known to pgmc");
}

static void test_views(void)
{
    expect("CREATE TABLE u (id bigint PRIMARY KEY, name varchar(10) NOT NULL, n int);"
           "CREATE TABLE s (uid bigint, t timestamptz);"
           "CREATE VIEW v1 AS SELECT id, u.name AS who, n::text, CAST(n AS numeric(4,1)) c FROM u;"
           "CREATE OR REPLACE VIEW v2 (x, y) AS SELECT u.*, s.t FROM u JOIN s ON s.uid = u.id "
           "WHERE n > 0;"
           "CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT * FROM public.u AS x LEFT OUTER "
           "JOIN s ON true WITH DATA;"
           "CREATE VIEW op AS SELECT count(*) FROM u;"
           "CREATE VIEW op2 AS SELECT id FROM u UNION SELECT uid FROM s;"
           "ALTER VIEW v1 RENAME TO v1b;",
           "relation public.v1b view", "column public.v1b 0001 id - bigint",
           "column public.v1b 0002 who - character varying(10)", "column public.v1b 0003 n - text",
           "column public.v1b 0004 c - numeric(4,1)", "column public.v2 0001 x - bigint",
           "column public.v2 0002 y - character varying(10)",
           "column public.v2 0004 t - timestamp with time zone", "relation public.mv matview",
           "column public.mv 0005 t - timestamp with time zone", "relation public.op opaque-view",
           "relation public.op2 opaque-view", NULL);
    expect_msg("CREATE TABLE u (a int);\nCREATE VIEW v AS SELECT lower(a) FROM u;", 1,
               "t.sql:2:25: note: pgmc cannot derive the columns of this query");
    expect("CREATE TABLE u (a int); CREATE VIEW v AS SELECT a FROM u; DROP TABLE u CASCADE;",
           "!relation public.v view", NULL);
    expect("CREATE TABLE u (a int); CREATE TABLE c AS SELECT a FROM u WITH NO DATA;"
           "CREATE VIEW v AS SELECT a FROM u; DROP VIEW v; DROP MATERIALIZED VIEW IF EXISTS mv;",
           "column public.c 0001 a - integer", "!relation public.v view", NULL);
}

static void test_misc(void)
{
    expect(
        "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public; CREATE EXTENSION \"uuid-ossp\";"
        "CREATE EXTENSION hstore; CREATE TABLE t (a citext, b hstore[], c uuid);"
        "COMMENT ON TABLE t IS 'tab'; COMMENT ON COLUMN t.a IS 'col'; COMMENT ON COLUMN t.a IS "
        "NULL;",
        "extension citext", "extension \"uuid-ossp\"", "column public.t 0001 a - citext",
        "column public.t 0002 b - hstore[]", NULL);
    expect_msg("CREATE TABLE t (a citext);", 1, "note: type 'citext' is not known to pgmc");
    expect_msg("DO $$ BEGIN EXECUTE 'CREATE TABLE x (a int)'; END $$;", 1,
               "t.sql:1:1: note: pgmc cannot see inside a DO block");
    expect_msg("SELECT my_migrate();", 1, "t.sql:1:8: note: pgmc cannot see inside function");
    /* statements that cannot change a row type are skipped silently */
    run r = replay("BEGIN; CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;"
                   "CREATE INDEX CONCURRENTLY i ON x (a); GRANT ALL ON t TO bob; COMMIT;"
                   "CREATE SEQUENCE s; SET statement_timeout = 0; ANALYZE; VACUUM t;"
                   "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();"
                   "SELECT create_hypertable('m', 'time'); SELECT * FROM t;"
                   "REFRESH MATERIALIZED VIEW mv; NOTIFY x; CREATE POLICY p ON t USING (true);");
    CHECK(r.rc == 0 && r.errors == 0 && r.notes == 0, "skipped statements: %s", r.diag);
    run_free(&r);
    /* JSON: comments and identity kinds */
    pgmcg_catalog cat;
    pgmcg_diag d;
    pgmcg_catalog_init(&cat);
    pgmcg_diag_init(&d, NULL);
    const char *sql = "CREATE TABLE t (a int GENERATED BY DEFAULT AS IDENTITY);"
                      "COMMENT ON TABLE t IS 'it''s \"q\"';";
    CHECK(pgmcg_catalog_apply(&cat, "t.sql", sql, strlen(sql), &d) == 0, "json apply: %s", d.text);
    pgmcg_catalog_finish(&cat);
    const pgmcg_cat_relation *rel = pgmcg_catalog_find_rel(&cat, "public", "t");
    CHECK(rel && rel->n_cols == 1 && rel->cols[0].identity == 'd', "find_rel");
    pgmcg_buf b = {0};
    pgmcg_catalog_json(&cat, &b);
    pgmcg_buf_putc(&b, '\0');
    CHECK(strstr(b.p, "\"comment\": \"it's \\\"q\\\"\"") &&
              strstr(b.p, "\"identity\": \"by default\""),
          "json: %s", b.p);
    pgmcg_buf_free(&b);
    pgmcg_catalog_free(&cat);
    pgmcg_diag_free(&d);
}

/* Replay a folder; zero errors. `prelude` (or NULL) is applied first. */
static void corpus(const char *dir, const char *prelude)
{
    pgmcg_project p;
    memset(&p, 0, sizeof p);
    pgmcg_diag d;
    pgmcg_diag_init(&d, NULL);
    pgmcg_catalog cat;
    pgmcg_catalog_init(&cat);
    if (prelude) {
        FILE *f = fopen(prelude, "rb");
        char buf[4096];
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f)
            fclose(f);
        buf[n] = '\0';
        CHECK(n > 0 && pgmcg_catalog_apply(&cat, prelude, buf, n, &d) == 0, "prelude %s", prelude);
    }
    int rc = pgmcg_formats_load(dir, NULL, &p, &d);
    CHECK(rc == 0, "load %s: %s", dir, d.text);
    if (rc == 0)
        rc = pgmcg_catalog_replay(&cat, &p, &d);
    CHECK(rc == 0 && d.errors == 0, "replay %s: %s", dir, d.text ? d.text : "");
    CHECK(cat.n_rels > 5, "replay %s: only %zu relations", dir, cat.n_rels);
    printf("%s: %zu relations, %zu types, %u notes\n", dir, cat.n_rels, cat.n_types, d.notes);
    pgmcg_catalog_free(&cat);
    pgmcg_project_free(&p);
    pgmcg_diag_free(&d);
}

static void golden(void)
{
    pgmcg_diag d;
    pgmcg_diag_init(&d, NULL);
    pgmcg_buf out = {0};
    int rc = pgmcg_schema_render(PGMC_SOURCE_DIR "/migrations", NULL, NULL, 0, 0, &d, &out);
    CHECK(rc == PGMC_GEN_OK, "schema render: %s", d.text);
    const char *path = PGMC_SOURCE_DIR "/tests/golden/catalog/example.json";
    if (getenv("PGMC_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        CHECK(f && fwrite(out.p, 1, out.len, f) == out.len, "write %s", path);
        if (f)
            fclose(f);
    }
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL, "open %s", path);
    if (f) {
        char *want = malloc(out.len + 2);
        size_t n = fread(want, 1, out.len + 1, f);
        fclose(f);
        CHECK(n == out.len && !memcmp(want, out.p, n),
              "pgmc schema migrations/ differs from %s (PGMC_UPDATE_GOLDEN=1 to rewrite)", path);
        free(want);
    }
    pgmcg_buf_free(&out);
    pgmcg_diag_free(&d);
}

int main(void)
{
    test_tables();
    test_names();
    test_search_path();
    test_alter();
    test_like_inherits_partitions();
    test_constraints();
    test_types();
    test_views();
    test_misc();
    corpus(PGMC_SOURCE_DIR "/migrations", NULL);
    corpus(PGMC_CORPORA_DIR "/harbor",
           PGMC_CORPORA_DIR "/harbor/PRELUDE.schema_migrations.sql.txt");
    corpus(PGMC_CORPORA_DIR "/atuin", NULL);
    corpus(PGMC_CORPORA_DIR "/upchieve", NULL);
    golden();
    printf("%d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
