#!/usr/bin/env bash
# with_db.sh - run a command against a fresh, empty database.
#
#   with_db.sh STATE_DIR DBNAME COMMAND [ARGS...]
#
# Reads the server address that pg.sh wrote to STATE_DIR/env, drops and
# recreates DBNAME, exports PGHOST/PGPORT/PGUSER/PGDATABASE and DATABASE_URL
# for it, then runs COMMAND. Each test gets its own database, so tests are
# independent and may run in parallel.
set -euo pipefail
state=${1:?usage: with_db.sh STATE_DIR DBNAME COMMAND...}
db=${2:?usage: with_db.sh STATE_DIR DBNAME COMMAND...}
shift 2
if [ ! -f "$state/env" ]; then
    echo "with_db.sh: no server: $state/env is missing (run the pg.start fixture)" >&2
    exit 1
fi
# shellcheck disable=SC1091
. "$state/env"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" >/dev/null
export PGDATABASE="$db"
export DATABASE_URL="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$PGUSER"
exec "$@"
