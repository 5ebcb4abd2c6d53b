#!/usr/bin/env bash
# Regenerates test/fixtures/detection: a day of disguised incidents and benign work on a real throwaway
# PostgreSQL 15 + pgaudit cluster (scripts/fixtures/detection/*.sql), as the server's own stderr log with
# the prefix '%m [%p] [user=%u,db=%d,app=%a] '. The incidents run as dba_mallory, one session per line of
# incidents.sql (several switch logging off for the rest of their session); setup lines are cut off at the
# RAISE LOG marker.
#
# usage: scripts/generate-detection-fixtures.sh [OUT_DIR]   (default test/fixtures/detection)
# Needs Debian's postgresql-15 and postgresql-15-pgaudit (PG_BIN to override). Run as root: the cluster
# runs as the `postgres` OS user.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SQL=$ROOT/scripts/fixtures/detection
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
OUT=${1:-$ROOT/test/fixtures/detection}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TOOL=generate-detection-fixtures.sh
# shellcheck source=fixtures/pgCluster.sh
. "$ROOT/scripts/fixtures/pgCluster.sh"
# Later settings in postgresql.conf win: stderr only.
start_cluster detection '%m [%p] [user=%u,db=%d,app=%a] ' "log_destination = 'stderr'
pgaudit.log = 'ddl, role, read, write, misc, misc_set'
pgaudit.log_relation = on
pgaudit.log_parameter = off"
psql_as() { # USER DB APP psql-args...
  local user=$1 db=$2 app=$3
  shift 3
  timeout 60 "$PG_BIN/psql" -X -q "host=127.0.0.1 port=$PORT user=$user dbname=$db application_name=$app" "$@" >/dev/null
}
psql_as postgres postgres setup -v ON_ERROR_STOP=1 -f "$SQL/setup.sql"
psql_as migrations shopdb flyway -f "$SQL/benign-migrations.sql"
psql_as app_web shopdb shop-web -f "$SQL/benign-app.sql"
psql_as etl_loader shopdb etl-nightly -f "$SQL/benign-etl.sql"
psql_as azuresu postgres azure-maintenance -f "$SQL/benign-platform.sql"
grep -v '^--' "$SQL/incidents.sql" | while IFS= read -r line; do
  # An attempt that fails is still an incident (pgaudit logs the statement before it runs).
  [ -z "$line" ] || psql_as dba_mallory shopdb psql -c "$line" 2>/dev/null || true
done
# Undo the database-level settings from inside shopdb, where this session is not logged.
psql_as postgres shopdb cleanup -c 'ALTER DATABASE shopdb RESET ALL' -c 'ALTER DATABASE postgres RESET ALL'
psql_as dba_alice shopdb psql -f "$SQL/benign-dba.sql"
stop_cluster
# Keep what follows the setup's marker (its last line is the marker's STATEMENT line).
MARK=$(grep -n 'detection-fixture-start' "$LOGDIR/postgresql.log" | tail -1 | cut -d: -f1)
tail -n "+$((MARK + 1))" "$LOGDIR/postgresql.log" >"$OUT/postgresql.log"
echo '%m [%p] [user=%u,db=%d,app=%a] ' >"$OUT/prefix.txt"
echo "wrote $OUT/postgresql.log ($(wc -l <"$OUT/postgresql.log") lines)"
