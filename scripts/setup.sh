#!/usr/bin/env bash
# One-time setup for a fresh machine (Debian, run as root or with sudo available):
# the PostgreSQL and Redis servers the app's tests start on loopback, HAProxy for the
# local fleet, wrk for benchmarks,
# and the npm dependencies of the program and of the app.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
# npm run fleet:local puts HAProxy in front of the local instances.
command -v haproxy >/dev/null 2>&1 || need_apt+=(haproxy)
# The app's TLS tests make a throwaway CA and certificates with the openssl CLI.
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} from Debian"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# Debian starts these as system services on install; the tests start their own on
# loopback ports, so stop the system ones where they were started (ignore failures:
# containers often have no init system).
$SUDO service redis-server stop >/dev/null 2>&1 || true
$SUDO service haproxy stop >/dev/null 2>&1 || true

echo "setup: npm ci (program)"
npm ci --no-audit --no-fund
if [ -f app/package.json ]; then
  echo "setup: npm ci (app)"
  npm --prefix app ci --no-audit --no-fund
fi
echo "setup: done"
