#!/usr/bin/env bash
# Set up and start the app on the embedded store (TinyDB in ./data).
# On first start (no users yet) it creates fictional demo data and prints the demo sign-ins.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
export LEARNING_DATA_DIR="${LEARNING_DATA_DIR:-data}"
.venv/bin/python -m learning validate
.venv/bin/python -m learning seed-demo --if-empty
exec .venv/bin/streamlit run streamlit_app.py "$@"
