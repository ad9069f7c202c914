#!/usr/bin/env bash
# Proves that `pnpm new-provider` still yields a working package: in a copy of the tracked
# tree, scaffold `acme-pay`, then lint its spec and run its build, type and conformance tests.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$root" ls-files -z | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$tmp"
cd "$tmp"
quiet() { "$@" >"$tmp/.log" 2>&1 || { cat "$tmp/.log"; return 1; }; }
quiet pnpm install --offline --frozen-lockfile
pnpm new-provider acme-pay --display "Acme Pay"
# The lockfile gains the new package (pnpm freezes it by default when CI is set).
quiet pnpm install --prefer-offline --no-frozen-lockfile
pnpm exec redocly lint specs/acme-pay.yaml
pnpm exec turbo run test typecheck --filter=@payauth/acme-pay --output-logs=errors-only
echo "scaffold check: @payauth/acme-pay generated, linted, type-checked and passed its tests"
