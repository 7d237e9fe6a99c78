#!/usr/bin/env bash
# Makes sure the PostgreSQL tests have a database to use: $WEFT_TEST_POSTGRES_URL when it answers,
# or else Debian's `postgresql` cluster on this machine, started (and installed with apt-get when
# missing and this runs as root), with a `weft` role, a `weft_test` database for the tests and a
# `weft` database for servers run by hand (README: Running on PostgreSQL). Like
# scripts/ensure-chromium.sh: the tests fail, saying so, without one.
set -euo pipefail

url="${WEFT_TEST_POSTGRES_URL:-postgres://weft:weft@127.0.0.1:5432/weft_test}"

if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -d "$url" 2>/dev/null \
  && psql "$url" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  echo "postgresql: $url answers"
  # A cluster set up before the `weft` database was made here gets it now (as root, on this machine).
  if [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "SELECT 'CREATE DATABASE weft OWNER weft' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'weft')\gexec" \
      | su postgres -c "psql -qAt" >/dev/null 2>&1 || true
  fi
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  cat >&2 <<HELP
PostgreSQL is not reachable at $url, and this script starts one only as root on Debian or Ubuntu.
  Debian/Ubuntu:  sudo scripts/ensure-postgres.sh
  elsewhere:      run PostgreSQL 13 or later and export WEFT_TEST_POSTGRES_URL=postgres://user:password@host:port/database
HELP
  exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "postgresql is missing: installing Debian's package (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends postgresql
fi

cluster="$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 " " $2 }')"
if [ -z "$cluster" ]; then
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  pg_createcluster "$version" main
  cluster="$version main"
fi
# shellcheck disable=SC2086
pg_ctlcluster $cluster start 2>/dev/null || true
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.2
done

su postgres -c "psql -qAt" <<'SQL'
SELECT 'CREATE ROLE weft LOGIN PASSWORD ''weft'' CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'weft')\gexec
SELECT 'CREATE DATABASE weft_test OWNER weft' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'weft_test')\gexec
SELECT 'CREATE DATABASE weft OWNER weft' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'weft')\gexec
SQL
psql "$url" -qAtc 'SELECT 1' >/dev/null
echo "postgresql: $url answers ($(psql "$url" -qAtc 'SHOW server_version'))"
