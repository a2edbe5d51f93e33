#!/usr/bin/env bash
# Set up (system packages, virtualenv) and run the whole default test suite.
# Extra arguments go to pytest, e.g. `scripts/run-tests.sh -m soak` for soak runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh tests
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/pytest -n 2 -m "not soak" "$@"
