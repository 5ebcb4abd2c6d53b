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
if [ "$(id -u)" -eq 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgtrust.XXXXXX")
DATA=
cleanup() {
  if [ -n "$DATA" ] && [ -f "$DATA/postmaster.pid" ]; then as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK"
as_pg "$PG_BIN/initdb" -D "$WORK/template" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log" >&2; exit 1; }

run() { # NAME PREFIX
  local name=$1 prefix=$2 port
  DATA=$WORK/$name/data
  local logdir=$WORK/$name/log
  as_pg mkdir -p "$logdir"
  as_pg cp -a "$WORK/template" "$DATA"
  port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$WORK/$name'
shared_preload_libraries = 'pgaudit'
logging_collector = on
log_destination = 'stderr,csvlog,jsonlog'
log_directory = '$logdir'
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
pgaudit.log = 'ddl, role, read, write, misc_set'
pgaudit.log_relation = on
pgaudit.log_catalog = off
CONF
  as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$WORK/$name/pg_ctl.log" -w -t 30 start >/dev/null || { cat "$WORK/$name/pg_ctl.log" >&2; exit 1; }
  timeout 60 "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -f "$SQL/setup.sql" >/dev/null
  "$SQL/sessions.sh" "$PG_BIN" "$port" "$SQL"
  as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null
  DATA=
  rm -rf "${OUT:?}/$name"
  mkdir -p "$OUT/$name"
  # Only what follows the setup's marker: the attacks and the benign traffic, not the setup.
  node "$SQL/afterMarker.mjs" "$logdir" "$OUT/$name"
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
