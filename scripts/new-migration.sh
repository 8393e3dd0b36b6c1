#!/usr/bin/env bash
# Write the next migration from the difference between the models and the shipped migrations.
# Usage: scripts/new-migration.sh "what changed"   (then read and adjust the generated file:
# data that existing stores hold must survive it — see 0002 for an example).
set -euo pipefail
cd "$(dirname "$0")/.."
message=${1:?usage: scripts/new-migration.sh "what changed"}
db=$(mktemp -u /tmp/tocsin-migration-XXXXXX.db)
last=$(ls src/tocsin/migrations/versions/ | grep -E '^[0-9]{4}_' | sort | tail -1 | cut -c1-4)
next=$(printf "%04d" $((10#$last + 1)))
TOCSIN_DATABASE_URL=sqlite:///$db .venv/bin/alembic upgrade head >/dev/null
TOCSIN_DATABASE_URL=sqlite:///$db .venv/bin/alembic revision --autogenerate -m "$message" --rev-id "$next"
rm -f "$db"*
.venv/bin/ruff format -q src/tocsin/migrations
.venv/bin/ruff check -q --fix src/tocsin/migrations || true
