#!/usr/bin/env bash
# @payauth/redis-store's tests run a real redis-server (started on a free loopback port and
# stopped by pid). Installs it from Debian's packages when missing.
set -euo pipefail
if command -v redis-server >/dev/null; then exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "redis-server is needed by @payauth/redis-store's tests: install it (e.g. brew install redis)" >&2
  exit 1
fi
echo "installing redis-server from apt (for @payauth/redis-store's tests)"
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq redis-server >/dev/null
redis-server --version
