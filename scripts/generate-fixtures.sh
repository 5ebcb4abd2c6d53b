#!/usr/bin/env bash
# Regenerates the real-server pgAudit fixtures: a throwaway PostgreSQL 15 + pgaudit cluster per
# log_line_prefix, a fixed scenario (scripts/fixtures/*.sql, several sessions, some concurrent), and the
# server's own stderr, csvlog and jsonlog output. The Azure shapes are then derived from the jsonlog by
# scripts/fixtures/toAzureShapes.mjs.
#
# usage: scripts/generate-fixtures.sh [--demo] [--prefixes azure,user-db-app,pid,aiven] [OUT_DIR]
#   default:  OUT_DIR=test/fixtures/pg15, one sub-directory per prefix (postgresql.{log,csv,json}, prefix.txt,
#             for the Azure prefix %t-%c- also the Azure row shapes, for Aiven's the OpenSearch documents)
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
    # Aiven for PostgreSQL's default (pg.log_line_prefix): no time and no session id in the line.
    aiven) echo 'pid=%p,user=%u,db=%d,app=%a,client=%h ' ;;
    *) echo "generate-fixtures.sh: unknown prefix name $1 (azure, user-db-app, pid, aiven)" >&2; return 1 ;;
  esac
}

TOOL=generate-fixtures.sh
# shellcheck source=fixtures/pgCluster.sh
. "$FIXTURES_SQL/pgCluster.sh"

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
    # Only in the Aiven run (its documents are rendered by toOpenSearchDocuments.mjs): records forged with RAISE.
    if [ "$name" = aiven ]; then run_psql mallory shop psql "$FIXTURES_SQL/aiven-forgery.sql"; fi
    run_psql postgres shop fixture-teardown "$FIXTURES_SQL/teardown.sql"
    stop_cluster
    rm -rf "${OUT:?}/$name"
    collect_logs "$OUT/$name" "$prefix"
    if [ "$prefix" = '%t-%c-' ]; then
      node "$FIXTURES_SQL/toAzureShapes.mjs" --server pg-fixture-1 "$OUT/$name/postgresql.json" "$OUT/$name"
    fi
    if [ "$name" = aiven ]; then
      node "$FIXTURES_SQL/toOpenSearchDocuments.mjs" "$OUT/$name" "$OUT/$name/opensearch-documents.ndjson" pg-fixture-1
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
