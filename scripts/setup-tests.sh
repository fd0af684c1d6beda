#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine: a virtualenv with the package
# and its test extras, Debian's chromium for the browser tests and Debian's postgresql
# for the PostgreSQL tests (the suite starts and stops a throwaway cluster itself).
# The test extras include oidc-provider-mock: the SSO browser test starts it as a real OpenID provider.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]}: their tests will be skipped (install with: sudo apt-get install ${missing[*]})" >&2
  fi
fi
