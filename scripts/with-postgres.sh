#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server for the tests, then stops it.
# The server listens on 127.0.0.1 only; its URL is passed as REDTHREAD_TEST_POSTGRES_URL.
# When that variable is already set, or PostgreSQL is not installed, the command runs as is
# (the PostgreSQL tests then run against the given server, or are skipped with a reason).
set -euo pipefail

if [[ -n "${REDTHREAD_TEST_POSTGRES_URL:-}" ]]; then exec "$@"; fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "PostgreSQL is not installed: its tests will be skipped (scripts/system-deps.sh test installs it)" >&2
  exec "$@"
fi

pgdir=$(mktemp -d /tmp/redthread-pg.XXXXXX)
port=${REDTHREAD_TEST_POSTGRES_PORT:-$((20000 + RANDOM % 20000))}
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  # PostgreSQL refuses to run as root.
  chown postgres "$pgdir"
  as_pg=(runuser -u postgres --)
fi
stop() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop EXIT
"${as_pg[@]}" "$bindir/initdb" -D "$pgdir/data" -U redthread --auth=trust -E UTF8 >"$pgdir/initdb.log" 2>&1 \
  || { cat "$pgdir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir -c fsync=off" start >/dev/null \
  || { cat "$pgdir/server.log" >&2; exit 1; }
"${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U redthread redthread_test
export REDTHREAD_TEST_POSTGRES_URL="postgresql://redthread@127.0.0.1:$port/redthread_test"
echo "PostgreSQL for the tests: $REDTHREAD_TEST_POSTGRES_URL"
"$@"
