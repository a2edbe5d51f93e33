#!/usr/bin/env bash
# Regenerate revision 0001 from terminal/store/models.py. Only while no store
# with revision 0001 exists in the field; after a release, add a new revision.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '[alembic]\nscript_location = %s/terminal/migrations\nsqlalchemy.url = sqlite:///%s/autogen.db\n' "$PWD" "$tmp" > "$tmp/alembic.ini"
rm -f terminal/migrations/versions/0001_*.py
.venv/bin/alembic -c "$tmp/alembic.ini" revision --autogenerate -m "initial schema" --rev-id 0001 >/dev/null
.venv/bin/ruff format -q terminal/migrations
.venv/bin/ruff check -q --fix --unsafe-fixes terminal/migrations
