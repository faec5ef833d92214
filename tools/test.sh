#!/usr/bin/env bash
# The one test command: type-check (provider, policies, tests, examples),
# build, lint, then every test. npm puts node_modules/.bin first on PATH, so
# everything here runs on Node 24 from the npm package node@24.
# With CI=true, a test whose tool (Pulumi CLI, etcd, kube-apiserver) is
# missing fails instead of being skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$major" != 24 ]]; then
  echo "error: tests must run on Node 24 (found $(node --version)); run them with 'npm test' after 'npm run setup'" >&2
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }
step "typecheck"; tsc -p tsconfig.json
# Build before lint: each example is linted as its own project (its own
# tsconfig.json), which sees pulumi-vmpools as a user does, through the
# package's compiled types.
step "build"; tsc -p tsconfig.build.json
step "lint"; eslint .

step "tests"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# A closing line any CI log reader understands, from vitest's own JSON report.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" || true
exit "$status"
