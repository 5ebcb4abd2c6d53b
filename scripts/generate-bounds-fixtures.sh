#!/usr/bin/env bash
# Regenerates test/fixtures/bounds: real PostgreSQL 15 + pgaudit output (stderr, csvlog, jsonlog, each
# gzip-compressed as a rotated log would be) of statements longer than MAX_RECORD_CHARS, from a server
# whose log_timezone is Asia/Kolkata (timestamps end in the ambiguous abbreviation IST).
#
# usage: scripts/generate-bounds-fixtures.sh [OUT_DIR]     (default test/fixtures/bounds)
# Needs Debian's postgresql-15 and postgresql-15-pgaudit; run as root or as a user that may run postgres.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
OUT=${1:-$ROOT/test/fixtures/bounds}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

TOOL=generate-bounds-fixtures.sh
# shellcheck source=fixtures/pgCluster.sh
. "$ROOT/scripts/fixtures/pgCluster.sh"
# Later settings in postgresql.conf win: log_timezone overrides pgCluster.sh's UTC (%t then prints IST).
start_cluster bounds '%t-%c-' "log_timezone = 'Asia/Kolkata'
pgaudit.log = 'read, write, ddl'
pgaudit.log_relation = on
pgaudit.log_catalog = off"

# 3 MiB pads: plain (no comma, so pgaudit does not quote the statement) and with commas and quotes.
node "$ROOT/scripts/fixtures/boundsSql.mjs" "$ROOT/scripts/fixtures/bounds.sql" >"$WORK/bounds.sql"
timeout 120 "$PG_BIN/psql" -X -q "host=127.0.0.1 port=$PORT user=postgres dbname=postgres application_name=bounds" \
  -f "$WORK/bounds.sql" >"$WORK/psql.out" 2>&1 || { cat "$WORK/psql.out" >&2; exit 1; }
stop_cluster

for f in postgresql.log postgresql.csv postgresql.json; do gzip -9 -n -c "$LOGDIR/$f" >"$OUT/$f.gz"; done
echo "generate-bounds-fixtures.sh: $OUT ($(zcat "$OUT/postgresql.json.gz" | grep -c 'AUDIT: ') AUDIT records)"
