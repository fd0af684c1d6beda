#!/usr/bin/env bash
# Set up and start the app on PostgreSQL. With $LEARNING_DATABASE_URL set, that database is used
# as it is. Without it, a local cluster is used: created on first run in ./pgdata (or
# $LEARNING_PG_DIR) and started on 127.0.0.1, port 5433 (or $LEARNING_PG_PORT), with a database
# "learning". Debian's postgresql is installed when missing and this runs as root; PostgreSQL will
# not run as root, so then the cluster belongs to the postgres user (and, when that user cannot
# reach ./pgdata, say in a checkout under /root, lives in /var/lib/postgresql/learning-pgdata).
# The local cluster trusts connections from this machine only: it is for trying the app, not for
# production. Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[postgres]'
.venv/bin/python -m learning validate

pg_bin() {
  local dir
  dir="$(pg_config --bindir 2>/dev/null || true)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_owner() {  # run a PostgreSQL program as the cluster's owner (from /, a folder that user can enter)
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

if [ -z "${LEARNING_DATABASE_URL:-}" ]; then
  bin="$(pg_bin)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bin="$(pg_bin)"
    else
      echo "PostgreSQL is missing: install it (sudo apt-get install postgresql) or set LEARNING_DATABASE_URL." >&2
      exit 1
    fi
  fi
  pgdir="$(realpath -m "${LEARNING_PG_DIR:-pgdata}")"
  port="${LEARNING_PG_PORT:-5433}"
  if [ ! -s "$pgdir/PG_VERSION" ]; then
    mkdir -p "$pgdir"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$pgdir"
    chmod 700 "$pgdir"
    if [ "$(id -u)" -eq 0 ] && ! as_owner test -w "$pgdir"; then
      if [ -n "${LEARNING_PG_DIR:-}" ]; then
        echo "The postgres user cannot write to $pgdir (a folder above it is closed): choose another LEARNING_PG_DIR." >&2
        exit 1
      fi
      rmdir "$pgdir"
      pgdir=/var/lib/postgresql/learning-pgdata  # the postgres user's home: always reachable for it
      echo "The postgres user cannot reach ./pgdata; the cluster goes to $pgdir (set LEARNING_PG_DIR to choose)."
      mkdir -p "$pgdir"
      chown postgres:postgres "$pgdir"
      chmod 700 "$pgdir"
    fi
  fi
  if [ ! -s "$pgdir/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$pgdir" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_owner "$bin/pg_ctl" -D "$pgdir" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$pgdir" -l "$pgdir/server.log" -w \
      -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'learning'" postgres | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres learning
  fi
  export LEARNING_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/learning"
  stop="$bin/pg_ctl -D $pgdir stop"
  [ "$(id -u)" -ne 0 ] || stop="runuser -u postgres -- $stop"
  echo "PostgreSQL: $LEARNING_DATABASE_URL (data in $pgdir; stop it with: $stop)"
fi
.venv/bin/python -m learning migrate
exec .venv/bin/streamlit run app.py "$@"  # app.py: the pages plus the session-cookie endpoints
