#!/usr/bin/env bash
# pnpm check:user-path: the path of a user who knows payauth only from npm. From the packed
# tarballs, in an empty npm project outside the repository:
#   1. every public package is built and packed (`pnpm pack`, as it is published);
#   2. an empty project installs them with npm (plus msw, typescript, @types/node, undici and the
#      Redis clients the READMEs use), and each installed package carries README.md and LICENSE;
#   3. the generator's CLI runs on specs of the check's own (scripts/check-user-path/specs/):
#      --help, the README's commands, --check (up to date, then stale), a refused spec;
#   4. every ```ts example of every package's README (read from node_modules, as npm shows it) and
#      of the repository README's user sections is extracted (extract-examples.mjs) and type-checked
#      with strict settings, with the check's own test of a user route; CommonJS examples compile
#      under each tsconfig the Recipes name (and `module: node16` must fail with TS1479);
#   5. every example that is not marked type-check-only runs on Node against the providers' fakes
#      served on loopback (preload.mjs: the documented hosts go to the fakes, the credentials come
#      from the environment, a proxy and Redis on loopback for the recipes that use them), and the
#      README tests and the check's user test run with `node --test`.
# USER_PATH_KEEP=1 keeps the temp dir (the project, its logs) for a look after a failure.
# Network: the npm registry (third-party packages). Servers listen on 127.0.0.1 only; everything
# this starts is stopped by pid, and the temp dir removed, on any exit.
set -euo pipefail
set -o errtrace

root=$(cd "$(dirname "$0")/.." && pwd)
helpers="$root/scripts/check-user-path"
# `pnpm run` hands its own npm_config_* settings down, which npm warns about: the user's npm has its own.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(npm_config_[A-Za-z0-9_]*\)=.*/\1/p')
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 FORCE_COLOR=0 npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

work=$(mktemp -d)
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  if [ -n "${USER_PATH_KEEP:-}" ]; then echo "kept: $work (USER_PATH_KEEP)"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'echo "user-path check interrupted" >&2; exit 130' INT
trap 'echo "user-path check interrupted" >&2; exit 143' TERM
trap 'echo "user-path check FAILED (line $LINENO: $BASH_COMMAND)" >&2' ERR
die() {
  echo "user-path check FAILED: $*" >&2
  exit 1
}
step() { printf '\n=== %s (%ss)\n' "$1" "$SECONDS"; }
quiet() {
  local log="$work/last-command.log" code=0
  "$@" >"$log" 2>&1 || code=$?
  if [ "$code" != 0 ]; then
    cat "$log" >&2
    die "$* (exit code $code)"
  fi
}

# --- 1. build and pack ------------------------------------------------------------------------
step "1. build and pack every public package"
cd "$root"
quiet pnpm exec turbo run build --output-logs=errors-only
mkdir -p "$work/tarballs"
packages=()
dirs=()
for dir in "$root"/packages/*/; do
  [ -f "$dir/package.json" ] || continue
  [ "$(node -p "require('$dir/package.json').private === true")" = true ] && continue
  dirs+=("$dir")
  packages+=("$(node -p "require('$dir/package.json').name")")
done
# pnpm pack (workspace: ranges become the versions), a few at a time.
printf '%s\n' "${dirs[@]}" | xargs -P 4 -I{} sh -c 'cd "{}" && pnpm pack --pack-destination "$1" >/dev/null' _ "$work/tarballs" ||
  die "pnpm pack failed"
[ "$(ls "$work/tarballs" | wc -l)" = "${#dirs[@]}" ] || die "expected ${#dirs[@]} tarballs in $work/tarballs"
ls "$work/tarballs" | sed 's/^/  /'

# --- 2. an empty project installs them --------------------------------------------------------
step "2. an empty npm project installs the tarballs"
project="$work/project"
mkdir -p "$project"
node - "$project" "$work/tarballs" <<'EOF'
// The user's package.json: the tarballs (and, through overrides, the @payauth dependencies of
// each other) and what the READMEs ask a user to install next to them.
const { readdirSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const [project, tarballs] = process.argv.slice(2);
const local = {};
for (const file of readdirSync(tarballs)) {
  const name = /^payauth-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file)[1];
  local[`@payauth/${name}`] = `file:${join(tarballs, file)}`;
}
writeFileSync(join(project, "package.json"), JSON.stringify({
  name: "payauth-user",
  private: true,
  type: "module",
  dependencies: { ...local, ioredis: "6.0.0", redis: "6.3.1", undici: "7.16.0" },
  devDependencies: { "@types/node": "20.19.43", msw: "2.15.0", typescript: "5.9.3" },
  overrides: local,
}, null, 2));
EOF
cd "$project"
quiet npm install --no-audit --no-fund --loglevel=error
for name in "${packages[@]}"; do
  for file in package.json README.md LICENSE; do
    [ -f "node_modules/$name/$file" ] || die "$name was installed without $file"
  done
  version=$(node -p "require('./node_modules/$name/package.json').version")
  echo "  $name@$version: installed, with README.md and LICENSE"
done

# --- 3. the generator's CLI -------------------------------------------------------------------
step "3. payauth-generate on the check's own specs"
cp "$helpers"/specs/*.yaml .
npx --no-install payauth-generate --help >"$work/help.txt" || die "payauth-generate --help failed"
grep -q "^Usage: payauth-generate <spec.yaml|spec.json> --out <dir>" "$work/help.txt" || die "payauth-generate --help printed: $(head -3 "$work/help.txt")"
echo "  payauth-generate --help: ok"
# my-getpaid.yaml is generated by the READMEs' own commands, below; the others side by side here.
pids=()
for spec in my-autopay.yaml my-maxpay.yaml my-payme.yaml; do
  provider=${spec#my-}
  provider=${provider%.yaml}
  npx --no-install @payauth/generate "$spec" --out "src/$provider" >"$work/generate-$provider.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || { cat "$work"/generate-*.log >&2; die "npx @payauth/generate failed"; }; done
for spec in my-autopay.yaml my-maxpay.yaml my-payme.yaml; do
  provider=${spec#my-}
  provider=${provider%.yaml}
  [ -f "src/$provider/openapi.gen.ts" ] && [ -f "src/$provider/operations.gen.ts" ] && [ ! -e "src/$provider/schemas.gen.ts" ] ||
    die "npx @payauth/generate $spec --out src/$provider did not write openapi.gen.ts and operations.gen.ts (only)"
  echo "  npx @payauth/generate $spec --out src/$provider: openapi.gen.ts, operations.gen.ts"
done
# The commands the READMEs show, as they show them (for the specs this check has).
node -e '
  const { readFileSync } = require("node:fs");
  for (const file of process.argv.slice(1)) {
    for (const block of readFileSync(file, "utf8").matchAll(/^```(?:sh|bash)\n([^]*?)^```$/gm)) {
      for (const line of block[1].split("\n")) if (/^npx @payauth\/generate \S+\.yaml /.test(line)) console.log(line.replace(/\s+#.*$/, ""));
    }
  }' node_modules/@payauth/generate/README.md "$root/README.md" | sort -u >"$work/readme-commands.txt"
[ -s "$work/readme-commands.txt" ] || die "no npx @payauth/generate command found in the READMEs"
while read -r command; do
  spec=$(awk '{ print $3 }' <<<"$command")
  [ -f "$spec" ] || die "a README runs \`$command\`, on a spec this check does not have ($spec)"
  # shellcheck disable=SC2086 # the README's command, split as a shell splits it
  quiet npx --no-install ${command#npx }
  echo "  README: $command: ok"
done <"$work/readme-commands.txt"
# Stale files: --check fails and says what to run; a spec it cannot use is refused with its pointer.
grep -q "^npx @payauth/generate my-getpaid.yaml --out src/getpaid --check$" "$work/readme-commands.txt" || die "no README shows --check"
cp src/getpaid/operations.gen.ts "$work/operations.gen.ts"
printf '\n// edited by hand\n' >>src/getpaid/operations.gen.ts
code=0
npx --no-install @payauth/generate my-getpaid.yaml --out src/getpaid --check >"$work/out.txt" 2>"$work/err.txt" || code=$?
[ "$code" = 1 ] && grep -qx "stale: src/getpaid/operations.gen.ts differs from what the spec generates" "$work/err.txt" ||
  die "--check on an edited file exited $code: $(cat "$work/err.txt")"
cp "$work/operations.gen.ts" src/getpaid/operations.gen.ts
echo "  --check on a file edited by hand: exit 1, $(head -1 "$work/err.txt")"
sed 's/invoices:read: Read invoices/"invoices: read": Read invoices/' my-getpaid.yaml >refused.yaml
code=0
npx --no-install @payauth/generate refused.yaml --out src/refused >"$work/out.txt" 2>"$work/err.txt" || code=$?
expected="payauth-generate: refused.yaml#/components/securitySchemes/getpaidOAuth/flows/clientCredentials/scopes/invoices:%20read: malformed scope"
[ "$code" = 1 ] && grep -qF "$expected" "$work/err.txt" && [ ! -e src/refused ] || die "a refused spec exited $code: $(cat "$work/err.txt")"
echo "  a spec with a malformed scope: exit 1, nothing written, $(cut -c1-110 "$work/err.txt")…"
rm refused.yaml

# --- 4. README examples: extract and type-check -----------------------------------------------
step "4. every README example, type-checked as a strict user project"
node "$helpers/extract-examples.mjs" "$project" "$root/README.md" >"$work/manifest.json"
# What the examples import and the project lacks, a user installs: at the version the repository
# tests with when one of its packages pins it (missing-imports.mjs).
node "$helpers/missing-imports.mjs" "$root" "$project" >"$work/extra.txt"
if [ -n "$(tr -d '[:space:]' <"$work/extra.txt")" ]; then
  # shellcheck disable=SC2046 # one package per word
  quiet npm install --no-audit --no-fund --loglevel=error $(cat "$work/extra.txt")
  echo "  installed what the examples also import: $(tr "\n" " " <"$work/extra.txt")"
fi
cp "$helpers/tsconfig.json" tsconfig.json
cp "$helpers/user-route.test.ts" src/user-route.test.ts
mkdir -p harness
cp "$helpers/preload.mjs" "$helpers/run-example.mjs" harness/
node -e '
  const m = require(process.argv[1]);
  const count = (k) => m.filter((e) => e.kind === k).length;
  console.log(`  ${m.length} examples: ${count("run")} to run, ${count("test")} tests, ${count("typecheck")} type-checked only, ${count("commonjs")} CommonJS`);
' "$work/manifest.json"
if ! ./node_modules/.bin/tsc -p tsconfig.json >"$work/tsc.txt" 2>&1; then
  cat "$work/tsc.txt" >&2
  die "the README examples do not type-check (each file starts with the README and line it comes from)"
fi
echo "  tsc --strict (exactOptionalPropertyTypes, noUncheckedIndexedAccess): no errors in $(find src -name '*.ts' | wc -l | tr -d ' ') files"

# CommonJS: the Recipes' claims about tsconfig settings, compiled and run.
cjs_files=$(node -e 'for (const e of require(process.argv[1])) if (e.kind === "commonjs") console.log(e.file)' "$work/manifest.json")
[ -n "$cjs_files" ] || die "no CommonJS example found (the root README's Recipes should have one)"
(cd cjs && printf '{ "name": "payauth-user-cjs", "private": true }\n' >package.json && ln -s ../node_modules node_modules)
cjs_tsc() { # <module> <outDir> <files...>: tsc in the CommonJS project
  local module=$1 out=$2
  shift 2
  (cd cjs && ../node_modules/.bin/tsc --module "$module" --target es2022 --strict --types node --skipLibCheck --outDir "$out" "$@")
}
for module in nodenext node20; do
  # shellcheck disable=SC2086
  cjs_tsc "$module" "dist-$module" ${cjs_files//cjs\//} >"$work/tsc.txt" 2>&1 || {
    cat "$work/tsc.txt" >&2
    die "a CommonJS project with module $module does not compile the README's CommonJS example"
  }
  for file in $cjs_files; do
    js="cjs/dist-$module/$(basename "${file%.ts}").js"
    grep -q 'require("@payauth/' "$js" || die "$js: expected require() of @payauth packages under module $module"
    out=$(node "$js" 2>&1) || die "$js (module $module) failed on $(node --version): $out"
    echo "  CommonJS, module $module: compiles to require(), runs on Node $(node --version): $(head -1 <<<"$out")"
  done
done
first_cjs=$(head -1 <<<"$cjs_files")
if cjs_tsc node16 dist-node16 "${first_cjs#cjs/}" >"$work/tsc.txt" 2>&1 || ! grep -q "error TS1479" "$work/tsc.txt"; then
  cat "$work/tsc.txt" >&2
  die "module node16 was expected to fail with TS1479 on an ESM-only import, as the Recipes say"
fi
echo "  CommonJS, module node16: TS1479, as the Recipes say"
cp "$first_cjs" "${first_cjs%.ts}.mts"
(cd cjs && ../node_modules/.bin/tsc --module node16 --target es2022 --strict --types node --skipLibCheck --outDir dist-mts "src/$(basename "${first_cjs%.ts}").mts" >"$work/tsc.txt" 2>&1) || {
  cat "$work/tsc.txt" >&2
  die "module node16 with the file named .mts does not compile"
}
out=$(node "cjs/dist-mts/$(basename "${first_cjs%.ts}").mjs" 2>&1) || die ".mts under node16 failed: $out"
echo "  CommonJS project, module node16, the file named .mts: compiles (an ES module), runs: $(head -1 <<<"$out")"

# --- 5. run them against the fakes ------------------------------------------------------------
step "5. every example runs on Node $(node --version) against the providers' fakes on loopback"
if command -v redis-server >/dev/null; then
  redis_port=$(node "$root/scripts/release-check/free-port.mjs")
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do
    node -e 'const s = require("node:net").connect(+process.argv[1], "127.0.0.1", () => { s.write("PING\r\n"); }); s.on("data", (d) => process.exit(String(d).startsWith("+PONG") ? 0 : 1)); s.on("error", () => process.exit(1));' "$redis_port" && break
    sleep 0.1
    kill -0 "$redis_pid" 2>/dev/null || { cat "$work/redis.log" >&2; die "redis-server exited"; }
  done
  export REDIS_URL="redis://127.0.0.1:$redis_port"
  echo "  redis-server on 127.0.0.1:$redis_port (pid $redis_pid) for the Redis examples"
else
  echo "  no redis-server: the examples that use REDIS_URL are type-checked only"
fi
cp "$helpers/run-examples.mjs" harness/
node harness/run-examples.mjs "$work/manifest.json" | tee "$work/ran.txt" || die "a README example failed (above)"
ran=$(sed -n 's/^  \([0-9]*\) of [0-9]* examples ran.*/\1/p' "$work/ran.txt")
tests=$(find dist -name '*.test.js' | sort)
if ! node --test $tests >"$work/tests.txt" 2>&1; then
  cat "$work/tests.txt" >&2
  die "a README test or the user's route test failed"
fi
passed=$(sed -n 's/^# pass //p' "$work/tests.txt")
echo "  node --test: $passed tests passed ($(wc -w <<<"$tests" | tr -d ' ') files: the README tests and the user's route test)"

step "6. summary"
echo "packages: ${packages[*]} (packed, installed by npm, each with README.md and LICENSE)"
echo "generator: payauth-generate --help, 4 specs of its own generated ($(wc -l <"$work/readme-commands.txt" | tr -d ' ') by the READMEs' commands, --check among them), a stale file and a refused spec caught"
echo "README examples: $(node -p "require('$work/manifest.json').length") type-checked, $ran run against the fakes, $passed tests passed; CommonJS settings verified"
echo "user-path check passed in ${SECONDS}s"
