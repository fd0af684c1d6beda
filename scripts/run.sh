#!/usr/bin/env bash
# Set up and start the app on the embedded store (TinyDB in ./data, or $LEARNING_DATA_DIR).
# It never adds demo data to that folder. `bash scripts/run.sh --demo` starts on a folder of its
# own (./demo-data, or $LEARNING_DEMO_DIR) and fills it with fictional staff only when it creates
# that folder itself; the demo sign-ins are printed once and stored nowhere.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=0
if [ "${1:-}" = "--demo" ]; then
  demo=1
  shift
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/python -m learning validate
if [ "$demo" = 1 ]; then
  export LEARNING_DATA_DIR="${LEARNING_DEMO_DIR:-demo-data}"
  if [ ! -e "$LEARNING_DATA_DIR" ]; then
    mkdir -p "$LEARNING_DATA_DIR"
    if ! .venv/bin/python -m learning seed-demo --if-empty; then
      rm -rf -- "$LEARNING_DATA_DIR"  # created above in this run: no half-made demo left behind
      exit 1
    fi
  fi
else
  export LEARNING_DATA_DIR="${LEARNING_DATA_DIR:-data}"
fi
if [ -e "$LEARNING_DATA_DIR/demo-innlogginger.txt" ]; then
  echo "Advarsel: $LEARNING_DATA_DIR/demo-innlogginger.txt har passord i klartekst fra en eldre demo. Slett filen." >&2
fi
exec .venv/bin/streamlit run app.py "$@"  # app.py: the pages plus the session-cookie endpoints
