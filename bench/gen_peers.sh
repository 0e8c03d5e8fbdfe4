#!/usr/bin/env bash
# gen_peers.sh - write N generated migrations in the format of every tool
# that bench/run.sh compares.
#
#   bench/gen_peers.sh DIR N
#
# Migration i (1-based) creates table t_i with six mixed columns and an
# index; every 10th instead alters an earlier table (t_{i-5}: a new column,
# a default, a CHECK constraint) and indexes the new column. The same SQL
# goes to:
#   DIR/pgmc/NNNNNN_m_i.{up,down}.sql        golang-migrate (pgmc)
#   DIR/dbmate/db/migrations/VVVVVVVVVVVVVV_m_i.sql   -- migrate:up / down
#   DIR/sql-migrate/NNNNNN_m_i.sql           -- +migrate Up / Down
#   DIR/node-pg-migrate/NNNNNN_m_i.sql       -- Up Migration / Down Migration
#   DIR/psql_single.sql                      every up script, one after another
#   DIR/psql_each.sql                        each up script in BEGIN; ... COMMIT;
set -euo pipefail
dir=${1:?usage: gen_peers.sh DIR N}
n=${2:?usage: gen_peers.sh DIR N}
rm -rf "$dir"
mkdir -p "$dir/pgmc" "$dir/dbmate/db/migrations" "$dir/sql-migrate" "$dir/node-pg-migrate"
awk -v n="$n" -v d="$dir" 'BEGIN {
    single = d "/psql_single.sql"; each = d "/psql_each.sql"
    for (i = 1; i <= n; i++) {
        if (i % 10 == 0) {
            t = i - 5
            up = sprintf("ALTER TABLE t_%d ADD COLUMN extra_%d integer NOT NULL DEFAULT 0,\n" \
                         "    ADD CONSTRAINT t_%d_extra_%d_ck CHECK (extra_%d >= 0);\n" \
                         "CREATE INDEX t_%d_extra_%d_idx ON t_%d (extra_%d);\n", t, i, t, i, i, t, i, t, i)
            down = sprintf("DROP INDEX t_%d_extra_%d_idx;\nALTER TABLE t_%d DROP COLUMN extra_%d;\n", t, i, t, i)
        } else {
            up = sprintf("CREATE TABLE t_%d (\n" \
                         "    id bigserial PRIMARY KEY,\n" \
                         "    name text NOT NULL,\n" \
                         "    amount numeric(12, 2) NOT NULL DEFAULT 0,\n" \
                         "    active boolean NOT NULL DEFAULT true,\n" \
                         "    payload jsonb,\n" \
                         "    created_at timestamptz NOT NULL DEFAULT now()\n" \
                         ");\n" \
                         "CREATE INDEX t_%d_name_idx ON t_%d (name, created_at);\n", i, i, i)
            down = sprintf("DROP TABLE t_%d;\n", i)
        }
        base = sprintf("%06d_m_%d", i, i)
        f = d "/pgmc/" base ".up.sql"; printf "%s", up > f; close(f)
        f = d "/pgmc/" base ".down.sql"; printf "%s", down > f; close(f)
        f = sprintf("%s/dbmate/db/migrations/2%013d_m_%d.sql", d, i, i)
        printf "-- migrate:up\n%s\n-- migrate:down\n%s", up, down > f; close(f)
        f = d "/sql-migrate/" base ".sql"
        printf "-- +migrate Up\n%s\n-- +migrate Down\n%s", up, down > f; close(f)
        f = d "/node-pg-migrate/" base ".sql"
        printf "-- Up Migration\n%s\n-- Down Migration\n%s", up, down > f; close(f)
        printf "%s", up > single
        printf "BEGIN;\n%sCOMMIT;\n", up > each
    }
}'
