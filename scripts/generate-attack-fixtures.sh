#!/usr/bin/env bash
# Regenerates the attack fixtures (issue 10): a throwaway PostgreSQL 15 + pgaudit cluster per log_line_prefix
# runs scripts/fixtures/attacks/ (setup.sql, then the benign and attack sessions of scenario.mjs), and keeps
# the server's own logs; the Azure shapes are derived from the jsonlog as scripts/fixtures/toAzureShapes.mjs
# does, and expectations.json is written from scenario.mjs plus the jsonlog's own columns (the truth).
#
# usage: scripts/generate-attack-fixtures.sh [OUT_DIR]      (default test/fixtures/attacks)
#   OUT_DIR/azure/        log_line_prefix '%t-%c-' (Azure's): postgresql.{log,csv,json}, prefix.txt, and gzipped
#                         azure-diagnostics.ndjson, pgsql-server-logs.ndjson, azure-blob.PT1H.json,
#                         azure-diagnostics-split.ndjson (DETAIL/CONTEXT/STATEMENT as rows of their own),
#                         azure-diagnostics-shuffled.ndjson (a session's rows within one second in reverse order)
#   OUT_DIR/user-db-app/  log_line_prefix '%m [%p] [user=%u,db=%d,app=%a] ': postgresql.log, prefix.txt
#   OUT_DIR/expectations.json
#
# Needs what generate-fixtures.sh needs (postgresql-15, postgresql-15-pgaudit, node); run as root or postgres.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIXTURES_SQL=$ROOT/scripts/fixtures
ATTACKS=$FIXTURES_SQL/attacks
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
case "${1:-}" in -h|--help) sed -n '2,16p' "$0"; exit 0 ;; -*) echo "generate-attack-fixtures.sh: unknown option $1" >&2; exit 1 ;; esac
OUT=${1:-$ROOT/test/fixtures/attacks}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

TOOL=generate-attack-fixtures.sh
# shellcheck source=fixtures/pgCluster.sh
. "$FIXTURES_SQL/pgCluster.sh"

# What the README asks servers to audit, with table names on READ/WRITE lines.
AUDIT_CONF="pgaudit.log = 'ddl, role, read, write, misc, misc_set'
pgaudit.log_relation = on
pgaudit.log_catalog = off"

run() {
  local name=$1 prefix=$2
  start_cluster "$name" "$prefix" "$AUDIT_CONF"
  node "$ATTACKS/runSessions.mjs" "$PG_BIN" "$PORT" >>"$WORK/psql.out" 2>&1 ||
    { echo "$TOOL: the attack sessions failed; output:" >&2; tail -30 "$WORK/psql.out" >&2; exit 1; }
  stop_cluster
  rm -rf "${OUT:?}/$name"
  collect_logs "$OUT/$name" "$prefix"
}

run azure '%t-%c-'
node "$FIXTURES_SQL/toAzureShapes.mjs" --server pg-attack-1 "$OUT/azure/postgresql.json" "$OUT/azure"
# The Log Analytics response holds the same rows as pgsql-server-logs.ndjson: not kept, to keep the fixtures small.
rm -f "$OUT/azure/log-analytics-response.json"
node "$ATTACKS/toSplitDiagnostics.mjs" --server pg-attack-1 "$OUT/azure/postgresql.json" "$OUT/azure/azure-diagnostics-split.ndjson"
node "$ATTACKS/toShuffledDiagnostics.mjs" --server pg-attack-1 "$OUT/azure/postgresql.json" "$OUT/azure/azure-diagnostics-shuffled.ndjson"
# Azure rows repeat ~600 bytes of resource columns each: committed gzipped (a tenth of the size); the tests
# decompress them. -n: no name or time in the header, so an unchanged file stays byte-identical.
for f in azure-diagnostics.ndjson azure-diagnostics-split.ndjson azure-diagnostics-shuffled.ndjson pgsql-server-logs.ndjson azure-blob.PT1H.json; do
  gzip -9nf "$OUT/azure/$f"
done

run user-db-app '%m [%p] [user=%u,db=%d,app=%a] '
node "$ATTACKS/toExpectations.mjs" --run azure="$OUT/azure/postgresql.json" --run user-db-app="$OUT/user-db-app/postgresql.json" \
  "$OUT/expectations.json"
# The user-db-app run is kept for its stderr file only: its csvlog and jsonlog do not depend on the prefix.
rm -f "$OUT/user-db-app/postgresql.csv" "$OUT/user-db-app/postgresql.json"
echo "$TOOL: $OUT ($(grep -c 'AUDIT: ' "$OUT/azure/postgresql.json") AUDIT records in the Azure run)"
