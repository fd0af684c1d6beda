#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine: a virtualenv with the package
# and its test extras, and Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: browser tests will be skipped (install it with: sudo apt-get install chromium)" >&2
  fi
fi
