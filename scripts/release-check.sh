#!/usr/bin/env bash
# Registry round trip: proves that a release cut the way the README says (`pnpm changeset
# version`, `pnpm build`, `pnpm changeset publish`) gives packages that npm and pnpm users can
# install and use from TypeScript and JavaScript on Node 20, 22 and 24.
#
#   1. copy the tracked tree to a temp dir, install (offline) and build it there;
#   2. start verdaccio on 127.0.0.1 (no uplinks: it serves only what we publish);
#   3. in the copy: `changeset version`, `changeset publish` to verdaccio, then check the
#      registry (right versions, no private package, no `workspace:` range), that a second
#      publish is a no-op, and that a changeset naming one package bumps only that package;
#   4. for each provider and for npm and pnpm: install only `@payauth/<provider>` in an empty
#      project and check its dependencies (auth-core yes, msw no);
#   5. compile a strict TypeScript consumer (scripts/release-check/consumer/) against the types
#      that were installed;
#   6-7. run it on Node 20, 22 and 24 against the provider's fake on loopback (a token, then a
#      wrong secret), plus `require("@payauth/maxpay")` from CommonJS;
#   8. print a summary table.
#
# The real checkout is never modified: versions are bumped in the throwaway copy. Everything this
# script starts (verdaccio, fakes) is stopped by pid, and every temp dir is removed, on any exit.
# Network: the machine's npm registry (for openapi-fetch, zod and the Node 22/24 binaries
# fetched by `npx node@22`); servers listen on 127.0.0.1 only.
set -euo pipefail
set -o errtrace # the ERR trap below also fires inside functions

root=$(cd "$(dirname "$0")/.." && pwd)
# Helpers are read from the real checkout (they may be untracked, so not in the copy).
helpers="$root/scripts/release-check"
providers=(maxpay payme getpaid autopay)
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 FORCE_COLOR=0

# --- bookkeeping: temp dirs, background processes, failure messages --------------------------
work=$(mktemp -d) # verdaccio's storage and config, caches, logs
copy=$(mktemp -d) # the throwaway copy of the repository
temp_dirs=("$work" "$copy")
verdaccio_pid=""
fake_pid=""

stop() { # stop a background process we started, by pid
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  stop "$fake_pid"
  stop "$verdaccio_pid"
  rm -rf "${temp_dirs[@]}"
}
trap cleanup EXIT
trap 'echo "release check interrupted" >&2; exit 130' INT # Ctrl-C and kill run cleanup too
trap 'echo "release check interrupted" >&2; exit 143' TERM
trap 'echo "release check FAILED (line $LINENO: $BASH_COMMAND)" >&2' ERR
die() {
  echo "release check FAILED: $*" >&2
  exit 1
}
step() { printf '\n=== %s (%ss)\n' "$1" "$SECONDS"; }
# Runs a command with its output in a log, shown only when it fails.
quiet() {
  local log="$work/last-command.log"
  local code=0
  "$@" >"$log" 2>&1 || code=$?
  if [ "$code" != 0 ]; then
    cat "$log" >&2
    die "$* (exit code $code)"
  fi
}
# Waits (bounded) until file $1 has a line, while process $2 is alive.
wait_for_line() {
  local file=$1 pid=$2 what=$3
  for _ in $(seq 1 100); do
    [ -s "$file" ] && return 0
    kill -0 "$pid" 2>/dev/null || die "$what exited early"
    sleep 0.1
  done
  die "$what printed nothing within 10 s"
}

# --- 1. a throwaway copy, installed and built ------------------------------------------------
step "1. copy the tracked tree, install (offline), build"
git -C "$root" ls-files -z | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$copy"
cd "$copy"
quiet pnpm install --offline --frozen-lockfile
quiet pnpm build
# The fake server must import the copy's built packages, so it runs from inside the copy.
mkdir -p "$copy/scripts/release-check"
cp "$helpers/serve-fake.mjs" "$copy/scripts/release-check/serve-fake.mjs"
echo "copy: $copy (built)"

# --- 2. verdaccio on loopback ----------------------------------------------------------------
step "2. start verdaccio on 127.0.0.1"
port=$(node "$helpers/free-port.mjs")
registry="http://127.0.0.1:$port/"
mkdir -p "$work/verdaccio"
sed -e "s|@DIR@|$work/verdaccio|g" -e "s|@LISTEN@|127.0.0.1:$port|g" \
  "$helpers/verdaccio.yaml" >"$work/verdaccio/config.yaml"
node "$copy/node_modules/verdaccio/bin/verdaccio" --config "$work/verdaccio/config.yaml" \
  >"$work/verdaccio.log" 2>&1 &
verdaccio_pid=$!
node "$helpers/registry.mjs" wait "$registry" 30 || {
  cat "$work/verdaccio.log" >&2
  die "verdaccio did not start"
}
# A user created through the registry API gives the token npm and pnpm publish with.
token=$(node "$helpers/registry.mjs" add-user "$registry" release-check "release-check-$RANDOM$RANDOM")
# Only @payauth/* goes to verdaccio; every other package comes from the machine's registry.
npmrc="@payauth:registry=$registry
//127.0.0.1:$port/:_authToken=$token"
printf '%s\n' "$npmrc" >"$copy/.npmrc"
echo "verdaccio: $registry (pid $verdaccio_pid)"

# --- 3. version and publish, as a maintainer would -------------------------------------------
step "3. changeset version, changeset publish"
# Provenance needs a CI OIDC provider (GitHub Actions' id-token) to sign the build: a local
# publish with it fails, so the copy publishes without it. The real release keeps it.
node "$helpers/workspace.mjs" drop-provenance "$copy"
quiet pnpm changeset version # consumes .changeset/*.md: versions, internal ranges, CHANGELOG.md
node "$helpers/workspace.mjs" versions "$copy" | sed 's/^/  /'
for dir in "$copy"/packages/*/; do
  pkg="$dir/package.json"
  [ "$(node -p "require('$pkg').private === true")" = true ] && continue
  version=$(node -p "require('$pkg').version")
  grep -q "^## $version\$" "$dir/CHANGELOG.md" 2>/dev/null || die "$dir: CHANGELOG.md has no '## $version' section"
done
echo "  every public package has a CHANGELOG.md entry for its new version"

# changesets asks `npm info` whether each version is already out, and reads the registry for a
# scope from npm_config_@payauth:registry (not from .npmrc): without it, it would ask the public
# registry. `pnpm publish` (which changesets runs) reads .npmrc and turns `workspace:^` into `^x.y.z`.
# --no-git-tag: the copy is not a git repository; tags belong to the real release.
publish() { env "npm_config_@payauth:registry=$registry" pnpm changeset publish --no-git-tag; }
quiet publish
grep -q "packages published successfully" "$work/last-command.log" || {
  cat "$work/last-command.log" >&2
  die "changeset publish did not report a successful publish"
}

step "3a-b. the registry has every public package at its new version, no private one"
node "$helpers/registry.mjs" verify "$registry" "$copy"

step "3c. a second changeset publish publishes nothing"
before=$(node "$helpers/registry.mjs" snapshot "$registry" "$copy")
quiet publish
after=$(node "$helpers/registry.mjs" snapshot "$registry" "$copy")
grep -q "No unpublished projects to publish" "$work/last-command.log" || {
  cat "$work/last-command.log" >&2
  die "the second changeset publish did not say 'No unpublished projects to publish'"
}
[ "$before" = "$after" ] || die "the second changeset publish changed the registry:
$(diff <(echo "$before") <(echo "$after") || true)"
echo "  nothing published, registry unchanged"

step "3d. a changeset naming only @payauth/payme bumps only @payauth/payme"
before=$(node "$helpers/workspace.mjs" versions "$copy")
cat >"$copy/.changeset/release-check-payme-only.md" <<'EOF'
---
"@payauth/payme": patch
---

Release check: a changeset that names only @payauth/payme.
EOF
quiet pnpm changeset version
after=$(node "$helpers/workspace.mjs" versions "$copy")
changed=$(diff <(echo "$before") <(echo "$after") | sed -n 's/^> \([^ ]*\) .*/\1/p' || true)
[ "$changed" = "@payauth/payme" ] || die "expected only @payauth/payme to change version, got: ${changed:-nothing}
$(diff <(echo "$before") <(echo "$after") || true)"
echo "  @payauth/payme: $(grep '^@payauth/payme ' <<<"$before" | cut -d' ' -f2) -> $(grep '^@payauth/payme ' <<<"$after" | cut -d' ' -f2); every other version unchanged"
# The consumers below install what was published in step 3, not this local bump.

# --- 4-7. consumers: install, compile, run ---------------------------------------------------
auth_core_version=$(node "$helpers/registry.mjs" latest "$registry" @payauth/auth-core)

# How to run each Node: 20 is the `node` on PATH when that is a 20 (as in CI), 22 and 24 (and 20
# otherwise) are the `node` package from the npm registry, run by npx.
declare -A node_cmd=([20]="npx -y node@20" [22]="npx -y node@22" [24]="npx -y node@24")
case "$(node --version)" in v20.*) node_cmd[20]=node ;; esac
versions=""
for major in 20 22 24; do
  version=$(${node_cmd[$major]} --version 2>/dev/null) || die "cannot run Node $major (${node_cmd[$major]})"
  versions+=" $version"
done
step "4-7. consumers: install, tsc, run on Node$versions"

declare -A result # "<provider> <pm>" -> summary row
cjs_result=""

# Runs a compiled consumer on one Node and checks its two lines:
#   ok <provider> <expiresAt> <n> scopes … v<major>.…
#   refused <provider> invalid-credentials: check the client id and secret
run_consumer() {
  local provider=$1 major=$2 out
  # shellcheck disable=SC2086 # node_cmd holds a command and its arguments
  out=$(FAKE_URL=$fake_url CLIENT_ID=$client_id CLIENT_SECRET=$client_secret ${node_cmd[$major]} "dist/$provider.js" 2>"$work/consumer.err") || {
    cat "$work/consumer.err" >&2
    die "$provider consumer failed on Node $major"
  }
  grep -Eq "^ok $provider [0-9T:.-]+Z [0-9]+ scopes .*v$major\." <<<"$out" &&
    grep -qx "refused $provider invalid-credentials: check the client id and secret" <<<"$out" || die "$provider on Node $major printed:
$out"
  sed 's/^/      /' <<<"$out"
}

for provider in "${providers[@]}"; do
  # The provider's fake, served by the copy on 127.0.0.1 for all of this provider's runs.
  node "$copy/scripts/release-check/serve-fake.mjs" "$provider" >"$work/fake.out" 2>"$work/fake.err" &
  fake_pid=$!
  wait_for_line "$work/fake.out" "$fake_pid" "the $provider fake"
  read -r fake_url client_id client_secret <"$work/fake.out"
  provider_version=$(node "$helpers/registry.mjs" latest "$registry" "@payauth/$provider")

  for pm in npm pnpm; do
    echo "--- @payauth/$provider@$provider_version with $pm (fake at $fake_url)"
    # 4. An empty ESM project outside the copy, with only @payauth/* pointed at verdaccio.
    consumer=$(mktemp -d)
    temp_dirs+=("$consumer")
    cd "$consumer"
    quiet npm init -y
    quiet npm pkg set type=module
    printf '%s\n' "$npmrc" >.npmrc
    if [ "$pm" = npm ]; then
      quiet npm install --no-audit --no-fund --cache "$work/npm-cache" "@payauth/$provider"
      [ -f "node_modules/@payauth/auth-core/package.json" ] || die "npm: @payauth/auth-core was not installed with @payauth/$provider"
      [ "$(node -p 'require("./node_modules/@payauth/auth-core/package.json").version')" = "$auth_core_version" ] ||
        die "npm: @payauth/$provider brought another @payauth/auth-core than $auth_core_version"
      [ ! -e node_modules/msw ] || die "npm: msw was installed with @payauth/$provider (it must stay an optional peer)"
    else
      # Own store and cache: nothing from the local registry lands in the machine's pnpm store.
      quiet pnpm add --config.store-dir="$work/pnpm-store" --config.cache-dir="$work/pnpm-cache" "@payauth/$provider"
      # pnpm's isolated layout: dependencies of dependencies live in node_modules/.pnpm only.
      [ -d "node_modules/.pnpm/@payauth+auth-core@$auth_core_version" ] || die "pnpm: @payauth/auth-core@$auth_core_version was not installed with @payauth/$provider"
      ! compgen -G "node_modules/.pnpm/msw@*" >/dev/null || die "pnpm: msw was installed with @payauth/$provider (it must stay an optional peer)"
    fi
    [ "$(node -p "require('./node_modules/@payauth/$provider/package.json').version")" = "$provider_version" ] ||
      die "$pm installed another @payauth/$provider than $provider_version"
    echo "    installed: @payauth/$provider, @payauth/auth-core@$auth_core_version; no msw"

    # 5. Compile the consumer against the installed types: strict, and the libraries' own .d.ts
    # checked too (skipLibCheck false). A Node consumer: no DOM lib, globals from @types/node
    # (the copy's, as the consumer project has none).
    cp "$helpers/consumer/$provider.ts" .
    quiet "$copy/node_modules/.bin/tsc" --strict --exactOptionalPropertyTypes --noUncheckedIndexedAccess \
      --module nodenext --moduleResolution nodenext --target es2022 --lib es2022 \
      --typeRoots "$copy/node_modules/@types" --types node \
      --skipLibCheck false --noEmit false --outDir dist "$provider.ts"
    echo "    tsc --strict: ok"

    # 6-7. Run it on each Node against the fake: a token, then a wrong secret.
    for major in 20 22 24; do run_consumer "$provider" "$major"; done
    result["$provider $pm"]="@payauth/$provider@$provider_version|$pm|ok|ok|ok|ok|ok"

    # 7. CommonJS: require() of the ESM-only package (require(esm), Node 20.19+, 22.12+, 24).
    if [ "$provider" = maxpay ]; then
      cp "$helpers/consumer/require-maxpay.cjs" .
      for major in 20 22 24; do
        # shellcheck disable=SC2086
        out=$(${node_cmd[$major]} require-maxpay.cjs 2>"$work/consumer.err") || {
          cat "$work/consumer.err" >&2
          die "require(\"@payauth/maxpay\") failed on Node $major ($pm)"
        }
        grep -Eq "^cjs maxpay typeof createMaxPayClient === \"function\" v$major\." <<<"$out" || die "CommonJS on Node $major ($pm) printed: $out"
        echo "      $out"
      done
      cjs_result+="$pm "
    fi
    cd "$copy"
  done
  stop "$fake_pid"
  fake_pid=""
done

# --- 8. summary ------------------------------------------------------------------------------
step "8. summary"
row() { printf '%-26s %-5s %-8s %-4s %-7s %-7s %s\n' "$@"; }
row package pm install tsc node20 node22 node24
for provider in "${providers[@]}"; do
  for pm in npm pnpm; do
    IFS='|' read -r -a cells <<<"${result["$provider $pm"]}"
    row "${cells[@]}"
  done
done
echo "CommonJS require(\"@payauth/maxpay\") on node20, node22, node24: ok (${cjs_result% })"
echo "registry: every public package published at its new version, no private one, no workspace: range;"
echo "a second publish is a no-op; a changeset naming only @payauth/payme bumps only it."
echo "release check passed in ${SECONDS}s"
