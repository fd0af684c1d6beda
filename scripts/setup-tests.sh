#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine: a virtualenv with the package
# and its test extras, Debian's chromium for the browser tests and Debian's postgresql
# for the PostgreSQL tests (the suite starts and stops a throwaway cluster itself), and poppler-utils'
# pdftoppm, which turns the council summary's printed PDF into an image in its browser test.
# hunspell and hunspell-no give the nynorsk dictionary (nn_NO) that tests/test_spelling_nn.py and
# scripts/spellcheck_nn.py check every nynorsk text with.
# The test extras include oidc-provider-mock: the SSO browser test starts it as a real OpenID provider.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)  # the summary's PDF to an image, to look at
command -v hunspell >/dev/null 2>&1 || missing+=(hunspell)  # nynorsk spell check
ls /usr/share/hunspell/nn_NO.dic >/dev/null 2>&1 || missing+=(hunspell-no)  # its nn_NO dictionary
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]}: their tests will be skipped (install with: sudo apt-get install ${missing[*]})" >&2
  fi
fi
# Interoperability tests (tests/test_xapi_lrs.py, tests/browser/test_scorm_browser.py):
# - a real LRS: Ralph (ralph-malph, from PyPI) in a virtualenv of its own, since it pins its own
#   FastAPI/pydantic stack; the test starts it on a free port with a file-system backend.
# - a real SCORM 1.2 runtime: scorm-again from the npm registry (the tarball only, no Node needed).
[ -x .venv-lrs/bin/python ] || python3 -m venv .venv-lrs
.venv-lrs/bin/python -c 'import ralph.cli, ralph.backends.lrs.fs, uvicorn, requests' 2>/dev/null ||
  .venv-lrs/bin/python -m pip install --quiet 'ralph-malph[cli,lrs]==5.1.0' requests
.venv/bin/python scripts/fetch_scorm_again.py
