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

if [ "$(id -u)" -eq 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgbounds.XXXXXX")
DATA=$WORK/data
cleanup() {
  if [ -f "$DATA/postmaster.pid" ]; then as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK"

as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log" >&2; exit 1; }
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
as_pg mkdir -p "$WORK/log"
as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$WORK'
shared_preload_libraries = 'pgaudit'
logging_collector = on
log_destination = 'stderr,csvlog,jsonlog'
log_directory = '$WORK/log'
log_filename = 'postgresql.log'
log_rotation_age = 0
log_rotation_size = 0
log_line_prefix = '%t-%c-'
log_timezone = 'Asia/Kolkata'
lc_messages = 'C'
log_connections = on
log_disconnections = on
autovacuum = off
pgaudit.log = 'read, write, ddl'
pgaudit.log_relation = on
pgaudit.log_catalog = off
CONF
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$WORK/pg_ctl.log" -w -t 30 start >/dev/null || { cat "$WORK/pg_ctl.log" >&2; exit 1; }

# 3 MiB pads: plain (no comma, so pgaudit does not quote the statement) and with commas and quotes.
node "$ROOT/scripts/fixtures/boundsSql.mjs" "$ROOT/scripts/fixtures/bounds.sql" >"$WORK/bounds.sql"
timeout 120 "$PG_BIN/psql" -X -q "host=127.0.0.1 port=$PORT user=postgres dbname=postgres application_name=bounds" \
  -f "$WORK/bounds.sql" >"$WORK/psql.out" 2>&1 || { cat "$WORK/psql.out" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null

for f in postgresql.log postgresql.csv postgresql.json; do gzip -9 -n -c "$WORK/log/$f" >"$OUT/$f.gz"; done
echo "generate-bounds-fixtures.sh: $OUT ($(zcat "$OUT/postgresql.json.gz" | grep -c 'AUDIT: ') AUDIT records)"
