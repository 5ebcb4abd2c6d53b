#!/usr/bin/env bash
# Regenerates the real-server pgAudit fixtures: a throwaway PostgreSQL 15 + pgaudit cluster per
# log_line_prefix, a fixed scenario (scripts/fixtures/*.sql, several sessions, some concurrent), and the
# server's own stderr, csvlog and jsonlog output. The Azure shapes are then derived from the jsonlog by
# scripts/fixtures/toAzureShapes.mjs.
#
# usage: scripts/generate-fixtures.sh [--demo] [--prefixes azure,user-db-app,pid] [OUT_DIR]
#   default:  OUT_DIR=test/fixtures/pg15, one sub-directory per prefix (postgresql.{log,csv,json}, prefix.txt,
#             and for the Azure prefix %t-%c- also the Azure row shapes)
#   --demo:   the "day" scenario for the demo and rule tests (scripts/fixtures/demo-*.sql), OUT_DIR default
#             test/fixtures/demo (azure-diagnostics.ndjson for server pg-demo-1)
#
# Installs nothing. Needs Debian's postgresql-15 and postgresql-15-pgaudit (PG_BIN to override the binaries)
# and node. Run as root, the cluster runs as the `postgres` OS user. Takes well under a minute.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIXTURES_SQL=$ROOT/scripts/fixtures
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
MODE=main
PREFIX_NAMES=azure,user-db-app,pid
OUT=

while [ $# -gt 0 ]; do
  case "$1" in
    --demo) MODE=demo; shift ;;
    --prefixes) PREFIX_NAMES=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "generate-fixtures.sh: unknown option $1" >&2; exit 1 ;;
    *) OUT=$1; shift ;;
  esac
done
if [ -z "$OUT" ]; then
  if [ "$MODE" = demo ]; then OUT=$ROOT/test/fixtures/demo; else OUT=$ROOT/test/fixtures/pg15; fi
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

prefix_of() {
  case "$1" in
    azure) echo '%t-%c-' ;;
    user-db-app) echo '%m [%p] [user=%u,db=%d,app=%a] ' ;;
    pid) echo '%m [%p] ' ;;
    *) echo "generate-fixtures.sh: unknown prefix name $1 (azure, user-db-app, pid)" >&2; return 1 ;;
  esac
}

for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PG_BIN/postgres" "$PG_BIN/psql" "$PG_BIN/pgbench"; do
  [ -x "$tool" ] || { echo "generate-fixtures.sh: $tool not found (install postgresql-15)" >&2; exit 1; }
done
SHAREDIR=$("$PG_BIN/pg_config" --sharedir)
[ -f "$SHAREDIR/extension/pgaudit.control" ] ||
  { echo "generate-fixtures.sh: $SHAREDIR/extension/pgaudit.control not found (install postgresql-15-pgaudit)" >&2; exit 1; }

# The server refuses to run as root: run it as `postgres` then, and give that user the work directory.
if [ "$(id -u)" -eq 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgfx.XXXXXX")
DATA=
cleanup() {
  if [ -n "$DATA" ] && [ -f "$DATA/postmaster.pid" ]; then as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$WORK"
  as_pg test -w "$WORK" ||
    { echo "generate-fixtures.sh: $WORK is not reachable by the postgres user (set TMPDIR to a directory it can enter)" >&2; exit 1; }
fi

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

as_pg "$PG_BIN/initdb" -D "$WORK/template" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log" >&2; exit 1; }

# start_cluster NAME PREFIX EXTRA_CONF: a fresh copy of the template with the logging under test.
start_cluster() {
  local name=$1 prefix=$2 extra=$3
  DATA=$WORK/$name/data
  LOGDIR=$WORK/$name/log
  as_pg mkdir -p "$LOGDIR"
  as_pg cp -a "$WORK/template" "$DATA"
  PORT=$(free_port)
  as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# ---- generate-fixtures.sh ----
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$WORK/$name'
shared_preload_libraries = 'pgaudit'
logging_collector = on
log_destination = 'stderr,csvlog,jsonlog'
log_directory = '$LOGDIR'
log_filename = 'postgresql.log'
log_rotation_age = 0
log_rotation_size = 0
log_line_prefix = '$prefix'
log_timezone = 'UTC'
timezone = 'UTC'
lc_messages = 'C'
log_connections = on
log_disconnections = on
autovacuum = off
$extra
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$WORK/$name/pg_ctl.log" -w -t 30 start >/dev/null ||
    { cat "$WORK/$name/pg_ctl.log" >&2; exit 1; }
}

stop_cluster() {
  as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null
  DATA=
}

# run_psql USER DB APP FILE [psql args...]: one client session (more with \connect); errors are part of the scenario.
run_psql() {
  local user=$1 db=$2 app=$3 file=$4
  shift 4
  timeout 60 "$PG_BIN/psql" -X -q "host=127.0.0.1 port=$PORT user=$user dbname=$db application_name=$app" \
    "$@" -f "$file" >>"$WORK/psql.out" 2>&1 ||
    { echo "generate-fixtures.sh: psql -f $file failed; output:" >&2; tail -20 "$WORK/psql.out" >&2; exit 1; }
}

# A multi-line INSERT of ~120 KB: longer than Azure's documented 65 KB message limit.
write_long_statement() {
  local pad i
  pad=$(printf 'x%.0s' $(seq 1 60))
  {
    echo "INSERT INTO sales.bulk (id, note) VALUES"
    for i in $(seq 1 1399); do printf "  (%d, 'bulk row %05d %s'),\n" "$i" "$i" "$pad"; done
    printf "  (1400, 'bulk row 01400 %s');\n" "$pad"
  } >"$WORK/long.sql"
}

collect_logs() {
  local dest=$1 prefix=$2
  mkdir -p "$dest"
  for f in postgresql.log postgresql.csv postgresql.json; do cp "$LOGDIR/$f" "$dest/$f" && chmod 644 "$dest/$f"; done
  printf '%s' "$prefix" >"$dest/prefix.txt"
}

run_main() {
  local name prefix pid
  write_long_statement
  for name in ${PREFIX_NAMES//,/ }; do
    prefix=$(prefix_of "$name")
    start_cluster "$name" "$prefix" "pgaudit.log = 'all'
pgaudit.log_catalog = off"
    # The >100 KB statement only in one run: three copies per run would triple the committed fixtures' size.
    local long=()
    if [ "$name" = user-db-app ]; then long=(-v long_statement_file="$WORK/long.sql"); fi
    run_psql postgres postgres fixture-setup "$FIXTURES_SQL/scenario.sql" "${long[@]}"
    # Concurrent sessions: their lines interleave in the log.
    local pids=()
    run_psql app_reader shop reporting "$FIXTURES_SQL/reader.sql" & pids+=($!)
    run_psql app_reader shop reporting-2 "$FIXTURES_SQL/reader.sql" & pids+=($!)
    run_psql app_writer shop shop-web "$FIXTURES_SQL/writer.sql" & pids+=($!)
    PGAPPNAME=pgbench-extended timeout 60 "$PG_BIN/pgbench" -n -M extended -t 3 -h 127.0.0.1 -p "$PORT" -U app_writer \
      -f "$FIXTURES_SQL/pgbench-extended.sql" shop >>"$WORK/psql.out" 2>&1 & pids+=($!)
    for pid in "${pids[@]}"; do wait "$pid" || { echo "generate-fixtures.sh: a concurrent session failed" >&2; tail -20 "$WORK/psql.out" >&2; exit 1; }; done
    run_psql postgres shop fixture-teardown "$FIXTURES_SQL/teardown.sql"
    stop_cluster
    rm -rf "${OUT:?}/$name"
    collect_logs "$OUT/$name" "$prefix"
    if [ "$prefix" = '%t-%c-' ]; then
      node "$FIXTURES_SQL/toAzureShapes.mjs" --server pg-fixture-1 "$OUT/$name/postgresql.json" "$OUT/$name"
    fi
    echo "generate-fixtures.sh: $OUT/$name ($(grep -c 'AUDIT: ' "$OUT/$name/postgresql.json") AUDIT records)"
  done
}

run_demo() {
  start_cluster demo '%t-%c-' "pgaudit.log = 'ddl, role, read, write, misc_set'
pgaudit.log_relation = on
pgaudit.log_catalog = off"
  "$FIXTURES_SQL/demo-sessions.sh" "$PG_BIN" "$PORT" "$FIXTURES_SQL" >>"$WORK/psql.out" 2>&1 ||
    { echo "generate-fixtures.sh: demo sessions failed; output:" >&2; tail -20 "$WORK/psql.out" >&2; exit 1; }
  stop_cluster
  node "$FIXTURES_SQL/toDemoDay.mjs" --server pg-demo-1 "$LOGDIR/postgresql.json" "$OUT/azure-diagnostics.ndjson"
  echo "generate-fixtures.sh: $OUT/azure-diagnostics.ndjson"
}

if [ "$MODE" = demo ]; then run_demo; else run_main; fi
