#!/usr/bin/env bash
# Regenerate the single initial migration from the models (pre-1.0 only: no deployed schema).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f src/tocsin/migrations/versions/0001_initial_schema.py /tmp/regen.db
TOCSIN_DATABASE_URL=sqlite:////tmp/regen.db .venv/bin/alembic revision --autogenerate -m "initial schema" --rev-id 0001 >/dev/null
rm -f /tmp/regen.db*
.venv/bin/ruff format -q src/tocsin/migrations
.venv/bin/ruff check -q --fix src/tocsin/migrations || true
