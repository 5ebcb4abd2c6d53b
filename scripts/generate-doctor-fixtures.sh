#!/usr/bin/env bash
# Regenerates test/fixtures/doctor: what `pgaudit-alerts doctor` reads when a server logs less than the
# rules need. One throwaway PostgreSQL 15 + pgaudit cluster per configuration, the same small workload
# (scripts/fixtures/doctor/*.sql), and the server's own stderr and csvlog output:
#   ddl-only/          pgaudit.log = 'ddl', log_connections = off, log_line_prefix '%m [%p] ' (no %u):
#                      no ROLE/READ/WRITE/MISC_SET records, and no user on any line of the stderr log
#                      (the csvlog still has the user column)
#   no-log-relation/   pgaudit.log = 'ddl, role, read, write, misc_set', pgaudit.log_relation = off,
#                      log_connections = on, log_line_prefix '%m [%p] %q%u@%d '
#
# usage: scripts/generate-doctor-fixtures.sh [OUT_DIR]   (default test/fixtures/doctor)
# Needs Debian's postgresql-15 and postgresql-15-pgaudit (PG_BIN to override) and node. Run as root: the
# clusters run as the `postgres` OS user. Takes a few seconds.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SQL=$ROOT/scripts/fixtures/doctor
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
OUT=${1:-$ROOT/test/fixtures/doctor}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TOOL=generate-doctor-fixtures.sh
# shellcheck source=fixtures/pgCluster.sh
. "$ROOT/scripts/fixtures/pgCluster.sh"

# run NAME PREFIX EXTRA_CONF: one cluster, the workload, its logs in $OUT/NAME (stderr and csvlog).
run() {
  local name=$1 prefix=$2 extra=$3
  start_cluster "$name" "$prefix" "$extra"
  run_psql postgres postgres setup "$SQL/setup.sql" -v ON_ERROR_STOP=1
  run_psql postgres shopdb psql "$SQL/workload.sql" -v ON_ERROR_STOP=1
  stop_cluster
  collect_logs "$OUT/$name" "$prefix"
  # jsonlog holds the same records as csvlog: one column format is enough here.
  rm "$OUT/$name/postgresql.json"
  echo "wrote $OUT/$name ($(wc -l <"$OUT/$name/postgresql.log") stderr lines)"
}

# Later settings in postgresql.conf win: these override pgCluster.sh's log_connections = on. A throwaway
# cluster needs no durability: without fsync the run takes seconds (the tests rerun it).
FAST="fsync = off
full_page_writes = off"
run ddl-only '%m [%p] ' "$FAST
pgaudit.log = 'ddl'
log_connections = off
log_disconnections = off"
run no-log-relation '%m [%p] %q%u@%d ' "$FAST
pgaudit.log = 'ddl, role, read, write, misc_set'
pgaudit.log_relation = off"
