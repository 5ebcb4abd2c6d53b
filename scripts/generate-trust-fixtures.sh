#!/usr/bin/env bash
# Regenerates the trust-attack fixtures (issue 10) from a real PostgreSQL 15 + pgaudit: a throwaway
# cluster per log_line_prefix runs scripts/fixtures/trust/ (attacks by `mallory` and look-alike roles,
# benign traffic by `etl` and `app_web`), and keeps the server's stderr, csvlog and jsonlog. For the Azure
# prefix %t-%c- the Azure row shapes are derived by scripts/fixtures/toAzureShapes.mjs.
#
# usage: scripts/generate-trust-fixtures.sh [OUT_DIR]     (default test/fixtures/trust)
# Needs Debian's postgresql-15 and postgresql-15-pgaudit (PG_BIN to override) and node; run as root or postgres.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SQL=$ROOT/scripts/fixtures/trust
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
OUT=${1:-$ROOT/test/fixtures/trust}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TOOL=generate-trust-fixtures.sh
# shellcheck source=fixtures/pgCluster.sh
. "$ROOT/scripts/fixtures/pgCluster.sh"

run() { # NAME PREFIX
  local name=$1 prefix=$2
  start_cluster "$name" "$prefix" "pgaudit.log = 'ddl, role, read, write, misc_set'
pgaudit.log_relation = on
pgaudit.log_catalog = off"
  timeout 60 "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -f "$SQL/setup.sql" >/dev/null
  "$SQL/sessions.sh" "$PG_BIN" "$PORT" "$SQL"
  stop_cluster
  rm -rf "${OUT:?}/$name"
  mkdir -p "$OUT/$name"
  # Only what follows the setup's marker: the attacks and the benign traffic, not the setup.
  node "$SQL/afterMarker.mjs" "$LOGDIR" "$OUT/$name"
  printf '%s' "$prefix" >"$OUT/$name/prefix.txt"
  if [ "$prefix" = '%t-%c-' ]; then node "$ROOT/scripts/fixtures/toAzureShapes.mjs" --server pg-trust-1 "$OUT/$name/postgresql.json" "$OUT/$name"; fi
  echo "generate-trust-fixtures.sh: $OUT/$name"
}
run azure '%t-%c-'
run user-db-app '%m [%p] [user=%u,db=%d,app=%a] '
# The same AzureDiagnostics rows with every session's rows of one second in reverse order: rows of one
# second may arrive in any order, and a CONTEXT row then comes before the record it belongs to.
node -e '
const fs = require("fs");
const [from, to] = process.argv.slice(1);
const rows = fs.readFileSync(from, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const key = (r) => r.Message.slice(0, r.Message.indexOf("-", 24) + 1);
const out = [];
for (let i = 0; i < rows.length; ) {
  let j = i;
  while (j < rows.length && key(rows[j]) === key(rows[i])) j++;
  out.push(...rows.slice(i, j).reverse());
  i = j;
}
fs.writeFileSync(to, out.map((r) => JSON.stringify(r)).join("\n") + "\n");
' "$OUT/azure/azure-diagnostics.ndjson" "$OUT/azure/azure-diagnostics.reversed.ndjson"
echo "generate-trust-fixtures.sh: $OUT/azure/azure-diagnostics.reversed.ndjson"
