#!/usr/bin/env bash
# Every check, in the order a failure is cheapest to see: types, lint, unit and
# integration tests on PGlite, the database tests again on PostgreSQL, the
# system tests (the production server started, killed, run twice), then the
# end-to-end tests in real Chromium. Under CI nothing may be skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }
skip_or_fail() {
  if [ "${CI:-}" = "true" ]; then echo "CI: $1" >&2; exit 1; fi
  echo "SKIPPED: $1 (would fail under CI=true)" >&2
}

step "typecheck"
npm run --silent typecheck

step "lint"
npm run --silent lint

step "unit + integration tests on PGlite"
npx vitest run --project pglite

step "database tests on PostgreSQL"
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_UP=false
if node -e "import('postgres').then(async ({default: pg}) => { const s = pg(process.argv[1], {max: 1, connect_timeout: 3}); await s\`select 1\`; await s.end(); }).catch(() => process.exit(1))" "$PG_URL"; then
  PG_UP=true
  npx vitest run --project postgres
else
  skip_or_fail "PostgreSQL is not reachable at $PG_URL (set TEST_DATABASE_URL)"
fi

step "system tests (the production server as its own processes)"
if [ "$PG_UP" = true ]; then
  npm run --silent test:system
else
  skip_or_fail "the system tests need PostgreSQL at $PG_URL"
fi

step "end-to-end tests (Chromium, 360x640)"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  npx playwright test
else
  skip_or_fail "no Chromium at $CHROMIUM (apt-get install chromium, or set CHROMIUM_PATH)"
fi

echo
echo "All checks passed."
