/* bench_bigsql.c - writes one large migration of long dollar-quoted
 * function bodies, for bench/case_gen.sh.
 *
 * Usage: bench_bigsql DIR MEGABYTES
 * Creates DIR and writes DIR/00001_big_functions.up.sql of about MEGABYTES
 * (10^6 bytes): plpgsql functions whose $body$ ... $body$ bodies run to
 * ~400 lines each, full of semicolons, quoted strings with ';' and '$',
 * comments and a nested $q$ ... $q$ literal, so the lexer has to track the
 * dollar quote across many kilobytes. Deterministic.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_bigsql DIR MEGABYTES\n");
        return 2;
    }
    const char *dir = argv[1];
    double mb = atof(argv[2]);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        perror(dir);
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/00001_big_functions.up.sql", dir);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 1;
    }
    long target = (long)(mb * 1e6);
    fprintf(f, "-- One large migration: long plpgsql bodies in dollar quotes.\n"
               "CREATE TABLE big_log (id bigserial PRIMARY KEY, msg text NOT NULL);\n\n");
    for (unsigned fn = 1; ftell(f) < target; fn++) {
        fprintf(f,
                "/* Function %u: a long body; semicolons inside do not end the statement. */\n"
                "CREATE OR REPLACE FUNCTION big_fn_%u(p_id bigint, p_note text)\n"
                "RETURNS bigint LANGUAGE plpgsql AS $body$\n"
                "DECLARE\n"
                "    v_total bigint := 0;\n"
                "    v_msg   text := 'it''s; not the end $ of it';\n"
                "BEGIN\n",
                fn, fn);
        for (unsigned k = 0; k < 40; k++)
            fprintf(f,
                    "    -- step %u of function %u; a comment with a ; and a ' quote\n"
                    "    v_total := v_total + p_id * %u;\n"
                    "    IF v_total %% %u = 0 THEN\n"
                    "        INSERT INTO big_log (msg) VALUES ('step %u; total ' || v_total);\n"
                    "        PERFORM $q$nested; literal $ with 'quotes'$q$;\n"
                    "    ELSIF p_note IS NOT NULL AND p_note <> 'caf\xc3\xa9; na\xc3\xafve' THEN\n"
                    "        v_msg := format('%%s: %%s;', p_note, v_total);\n"
                    "        RAISE NOTICE 'step %u: %%', v_msg;\n"
                    "    END IF;\n",
                    k, fn, k + 1, k + 2, k, k);
        fprintf(f, "    RETURN v_total;\n"
                   "END;\n"
                   "$body$;\n\n");
    }
    if (fclose(f) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}
