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
if [ "$(id -u)" -eq 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgdet.XXXXXX")
DATA=$WORK/data
cleanup() {
  if [ -f "$DATA/postmaster.pid" ]; then as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK"
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 1; }
as_pg mkdir -p "$WORK/log"
as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$WORK'
shared_preload_libraries = 'pgaudit'
logging_collector = on
log_destination = 'stderr'
log_directory = '$WORK/log'
log_filename = 'postgresql.log'
log_line_prefix = '%m [%p] [user=%u,db=%d,app=%a] '
log_timezone = 'UTC'
lc_messages = 'C'
log_connections = on
log_disconnections = on
autovacuum = off
pgaudit.log = 'ddl, role, read, write, misc, misc_set'
pgaudit.log_relation = on
pgaudit.log_parameter = off
CONF
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$WORK/pg_ctl.log" -w -t 30 start >/dev/null || { cat "$WORK/pg_ctl.log" >&2; exit 1; }
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
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null
# Keep what follows the setup's marker (its last line is the marker's STATEMENT line).
MARK=$(grep -n 'detection-fixture-start' "$WORK/log/postgresql.log" | tail -1 | cut -d: -f1)
tail -n "+$((MARK + 1))" "$WORK/log/postgresql.log" >"$OUT/postgresql.log"
echo '%m [%p] [user=%u,db=%d,app=%a] ' >"$OUT/prefix.txt"
echo "wrote $OUT/postgresql.log ($(wc -l <"$OUT/postgresql.log") lines)"
