#!/usr/bin/env bash
# `pnpm test:runtimes`: the packed @payauth packages, installed from a registry as a user installs
# them, on Node 20, 22 and 24, Bun, Deno and Cloudflare Workers (workerd through miniflare).
#
#   1. build the public packages (turbo, cached) and `pnpm pack` each one;
#   2. start verdaccio on 127.0.0.1 (scripts/release-check's config and helpers) and publish the
#      tarballs there; only @payauth/* comes from it, everything else from the npm registry;
#   3. an empty project installs @payauth/maxpay, payme, getpaid, autopay, redis-store, with msw,
#      ioredis and redis (node-redis), as a user would;
#   4. the runtimes from npm, pinned: bun, deno, miniflare (which brings workerd), installed in
#      the background from the start;
#   5. start the fakes (fakes-server.mjs, Node, 127.0.0.1) and a redis-server on a free loopback port;
#   6. on each of Node 20/22/24, Bun and Deno: scenarios.mjs for every provider (first call, 200
#      concurrent cold calls, renewal, revoked token, wrong secret, timeout, redirect), the
#      `/testing` fakes under the runtime's own test runner (node --test, bun test, deno test),
#      and on Bun, Deno and a mixed Node+Bun+Deno fleet, @payauth/redis-store's fleet guarantee
#      with ioredis and node-redis (redis-fleet.mjs);
#   7. Workers: every provider entry bundled with the workerd conditions (no node: import may
#      reach one), and the scenarios bundled into a Worker run in workerd (workers.mjs), with
#      200 concurrent requests to one isolate and a fleet of 3 Workers sharing a Durable Object
#      token store (worker/durable-object-token-store.mjs);
#   8. print the runtime × scenario table; exit 1 if any cell failed.
#
# Everything it starts (verdaccio, fakes, redis-server, runtimes) is stopped by pid and every
# temp dir removed, on any exit. Servers listen on 127.0.0.1 only. Network: the npm registry
# (runtimes, msw, ioredis, redis, openapi-fetch, and node@22/node@24 through npx).
#   RUNTIMES="node20 bun workerd" pnpm test:runtimes   runs only those (default: all six)
set -euo pipefail
set -o errtrace

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/scripts/runtimes"
helpers="$root/scripts/release-check"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 FORCE_COLOR=0 NO_COLOR=1 DENO_NO_UPDATE_CHECK=1

# Pinned to what `npm view <name> version` answered when this was written: the registry mirror
# CI uses carries the latest versions. Bump them together with the README's support table.
BUN_VERSION=1.4.5
DENO_VERSION=2.9.6
MINIFLARE_VERSION=4.20260730.0 # brings workerd 1.20260730.1
MSW_VERSION=2.15.0
IOREDIS_VERSION=6.0.0
NODE_REDIS_VERSION=6.3.1
runtimes=(${RUNTIMES:-node20 node22 node24 bun deno workerd})
want() { [[ " ${runtimes[*]} " == *" $1 "* ]]; }

# --- bookkeeping: temp dirs, background processes, failure messages --------------------------
work=$(mktemp -d)
pids=() # background processes we started, stopped by pid on exit
stop() {
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  for pid in "${pids[@]}"; do stop "$pid"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "runtime check interrupted" >&2; exit 130' INT
trap 'echo "runtime check interrupted" >&2; exit 143' TERM
trap 'echo "runtime check FAILED (line $LINENO: $BASH_COMMAND)" >&2' ERR
die() {
  echo "runtime check FAILED: $*" >&2
  exit 1
}
step() { printf '\n=== runtimes: %s (%ss)\n' "$1" "$SECONDS"; }
# Runs a command with its output in a log, shown only when it fails.
quiet() {
  local log="$work/last-command.log" code=0
  "$@" >"$log" 2>&1 || code=$?
  if [ "$code" != 0 ]; then
    cat "$log" >&2
    die "$* (exit code $code)"
  fi
}
# Waits (bounded) until file $1 has a line, while process $2 is alive.
wait_for_line() {
  local file=$1 pid=$2 what=$3
  for _ in $(seq 1 300); do
    [ -s "$file" ] && return 0
    kill -0 "$pid" 2>/dev/null || { cat "${file%.out}.err" >&2 2>/dev/null || true; die "$what exited early"; }
    sleep 0.1
  done
  die "$what printed nothing within 30 s"
}
results="$work/results.jsonl" # one JSON line per runtime × provider × scenario
: >"$results"
# Appends a runner's JSON lines to the results, each tagged with the runtime's row label.
collect() { node -e '
  const row = process.argv[1]; let buf = "";
  process.stdin.on("data", (c) => (buf += c)).on("end", () => {
    for (const line of buf.split("\n")) {
      if (!line.startsWith("{")) { if (line.trim()) process.stderr.write(`    ${line}\n`); continue; }
      const r = JSON.parse(line); r.row = row; console.log(JSON.stringify(r));
      if (r.runtime) process.stderr.write(`    ${r.runtime}\n`);
      else process.stderr.write(`    ${r.ok ? "ok  " : "FAIL"} ${r.provider ?? ""} ${r.scenario}: ${r.detail}${r.ms === undefined ? "" : ` (${r.ms} ms)`}\n`);
    }
  });' "$1" >>"$results"; }
record() { # record <row> <scenario> <ok true|false> <detail>
  node -e 'console.log(JSON.stringify({ row: process.argv[1], provider: "all", scenario: process.argv[2], ok: process.argv[3] === "true", detail: process.argv[4] }))' "$@" >>"$results"
}

# --- 4 (started first, in the background): the runtimes, from npm ---------------------------
tools="$work/tools"
mkdir -p "$tools"
cat >"$tools/package.json" <<EOF
{ "private": true, "dependencies": { "bun": "$BUN_VERSION", "deno": "$DENO_VERSION", "miniflare": "$MINIFLARE_VERSION" } }
EOF
(cd "$tools" && npm install --no-audit --no-fund --loglevel=error >"$work/tools.log" 2>&1; echo $? >"$work/tools.exit") &
tools_pid=$!
pids+=("$tools_pid")
# Node 22 and 24 as release-check runs them: the `node` package, through npx (fetched meanwhile).
declare -A node_cmd=([20]="npx -y node@20" [22]="npx -y node@22" [24]="npx -y node@24")
case "$(node --version)" in v20.*) node_cmd[20]=node ;; esac
(for major in 20 22 24; do want "node$major" && ${node_cmd[$major]} --version >/dev/null 2>&1; done; true) &
prefetch_pid=$!
pids+=("$prefetch_pid")

# --- 1. build and pack ------------------------------------------------------------------------
step "1. build and pack the public packages"
cd "$root"
public=()
for dir in packages/*/; do
  [ "$(node -p "require('./${dir}package.json').private === true")" = true ] && continue
  public+=("$(basename "$dir")")
done
filters=()
for name in "${public[@]}"; do filters+=("--filter=./packages/$name"); done
quiet pnpm exec turbo run build "${filters[@]}" --output-logs=errors-only
mkdir -p "$work/tarballs"
for name in "${public[@]}"; do
  (cd "packages/$name" && quiet pnpm pack --pack-destination "$work/tarballs")
done
ls "$work/tarballs" | sed 's/^/  /'

# --- 2. verdaccio on loopback, the tarballs published to it ----------------------------------
step "2. verdaccio on 127.0.0.1, publish the tarballs"
port=$(node "$helpers/free-port.mjs")
registry="http://127.0.0.1:$port/"
mkdir -p "$work/verdaccio"
sed -e "s|@DIR@|$work/verdaccio|g" -e "s|@LISTEN@|127.0.0.1:$port|g" "$helpers/verdaccio.yaml" >"$work/verdaccio/config.yaml"
node "$root/node_modules/verdaccio/bin/verdaccio" --config "$work/verdaccio/config.yaml" >"$work/verdaccio.log" 2>&1 &
pids+=("$!")
node "$helpers/registry.mjs" wait "$registry" 30 || {
  cat "$work/verdaccio.log" >&2
  die "verdaccio did not start"
}
token=$(node "$helpers/registry.mjs" add-user "$registry" runtimes "runtimes-$RANDOM$RANDOM")
printf '@payauth:registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$registry" "$port" "$token" >"$work/npmrc"
for tarball in "$work"/tarballs/*.tgz; do
  # Provenance needs CI's OIDC identity; the real release keeps it (see release-check.sh).
  quiet npm publish "$tarball" --userconfig "$work/npmrc" --registry "$registry" --provenance=false
done
echo "  published ${#public[@]} packages to $registry"

# --- 3. a user's project ----------------------------------------------------------------------
step "3. an empty project installs the packages from the registry"
consumer="$work/consumer"
mkdir -p "$consumer"
cd "$consumer"
quiet npm init -y
quiet npm pkg set type=module
cp "$work/npmrc" .npmrc
# Every public package was published (a provider may depend on any); the project installs the
# ones the runtimes run, as a user of them would (auth-core comes along as their dependency).
installed=(@payauth/maxpay @payauth/payme @payauth/getpaid @payauth/autopay @payauth/redis-store)
quiet npm install --no-audit --no-fund "${installed[@]}" "msw@$MSW_VERSION" "ioredis@$IOREDIS_VERSION" "redis@$NODE_REDIS_VERSION"
# The scripts run from the project, so their imports resolve to what was installed.
cp "$here"/{fakes-server,scenarios,run-scenarios,redis-fleet-member}.mjs "$here"/testing-fake.*.mjs "$here"/worker/{worker,durable-object-token-store}.mjs .
node -e 'for (const p of process.argv.slice(1)) console.log(`  ${p}@${require(`./node_modules/${p}/package.json`).version}`)' \
  @payauth/auth-core "${installed[@]}" msw ioredis redis

step "4. runtimes from npm: bun $BUN_VERSION, deno $DENO_VERSION, miniflare $MINIFLARE_VERSION"
wait "$tools_pid" || true
[ "$(cat "$work/tools.exit" 2>/dev/null)" = 0 ] || {
  cat "$work/tools.log" >&2
  die "npm install of the runtimes failed"
}
bun="$tools/node_modules/.bin/bun"
deno="$tools/node_modules/.bin/deno"
export DENO_DIR="$work/deno-dir" BUN_INSTALL_CACHE_DIR="$work/bun-cache"
deno_run=("$deno" run --allow-net=127.0.0.1 --allow-read --allow-env)
echo "  bun $("$bun" --version), $("$deno" --version | head -1), $("$tools/node_modules/.bin/workerd" --version)"
wait "$prefetch_pid" || true

# --- 5. fakes and redis-server on loopback ----------------------------------------------------
step "5. fakes (Node) and redis-server on 127.0.0.1"
node fakes-server.mjs >"$work/fakes.out" 2>"$work/fakes.err" &
fakes_pid=$!
pids+=("$fakes_pid")
wait_for_line "$work/fakes.out" "$fakes_pid" "the fakes server"
control=$(head -1 "$work/fakes.out")
echo "  fakes: $control"
redis_port=""
if want bun || want deno; then
  bash "$root/scripts/ensure-redis.sh"
  redis_port=$(node "$helpers/free-port.mjs")
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 100); do
    [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] && break
    sleep 0.1
  done
  [ "$(redis-cli -p "$redis_port" ping 2>/dev/null)" = PONG ] || die "redis-server did not answer on 127.0.0.1:$redis_port"
  echo "  redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'): 127.0.0.1:$redis_port"
fi

# --- 6. Node, Bun, Deno -----------------------------------------------------------------------
# Each run is bounded; a runtime that hangs fails its cells instead of the whole CI job.
bounded() { timeout --kill-after=10 "$@"; }
scenarios_on() { # scenarios_on <row> <command…>
  local row=$1 code=0
  shift
  bounded 300 "$@" run-scenarios.mjs "$control" 2>"$work/run.err" | collect "$row" || code=$?
  [ "$code" = 0 ] || { sed 's/^/    /' "$work/run.err" >&2; echo "    $row: scenarios exited with $code" >&2; }
  return 0 # failures are in the results; the table decides
}
testing_fake_on() { # testing_fake_on <row> <runner name> <command…>
  local row=$1 runner=$2 code=0
  shift 2
  bounded 300 "$@" >"$work/test.out" 2>&1 || code=$?
  if [ "$code" = 0 ]; then
    record "$row" testing-fake true "$runner: 12 tests passed"
    echo "    ok   testing-fake: $runner, 12 tests"
  else
    sed 's/^/    /' "$work/test.out" >&2
    record "$row" testing-fake false "$runner exited with $code"
  fi
}
fleet_on() { # fleet_on <row> <command…>
  local row=$1
  shift
  bounded 300 node "$here/redis-fleet.mjs" "$consumer" "$control" "$redis_port" "$row" "$@" | collect "$row" || true
}

for major in 20 22 24; do
  want "node$major" || continue
  step "6. Node $major"
  # shellcheck disable=SC2086 # node_cmd holds a command and its arguments
  scenarios_on "node$major" ${node_cmd[$major]}
  # shellcheck disable=SC2086
  testing_fake_on "node$major" "node --test" ${node_cmd[$major]} --test testing-fake.node.test.mjs
done
if want bun; then
  step "6. Bun"
  scenarios_on bun "$bun"
  testing_fake_on bun "bun test" "$bun" test ./testing-fake.bun.test.mjs
  fleet_on bun "$bun"
fi
if want deno; then
  step "6. Deno"
  scenarios_on deno "${deno_run[@]}"
  testing_fake_on deno "deno test" "$deno" test --allow-net=127.0.0.1 --allow-read --allow-env testing-fake.deno.test.mjs
  fleet_on deno "${deno_run[@]}"
fi
if want bun && want deno && want node20; then
  step "6. a mixed fleet: Node 20, Bun and Deno processes sharing one Redis"
  # shellcheck disable=SC2086
  fleet_on mixed ${node_cmd[20]} -- "$bun" -- "${deno_run[@]}"
fi

# --- 7. Cloudflare Workers --------------------------------------------------------------------
if want workerd; then
  step "7. Cloudflare Workers: bundle for workerd, run in miniflare"
  code=0
  bounded 600 node "$here/workers.mjs" "$consumer" "$tools" "$control" 2>"$work/workers.err" | collect workerd || code=$?
  sed 's/^/  /' "$work/workers.err" >&2
  [ "$code" = 0 ] || echo "    workerd: exited with $code" >&2
fi

# --- 8. the table -----------------------------------------------------------------------------
step "8. runtime × scenario"
node "$here/table.mjs" "$results" "${runtimes[@]}"
