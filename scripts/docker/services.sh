#!/usr/bin/env bash
# Throwaway PostgreSQL, Redis and a slow JSON-RPC upstream on loopback for the image test (sourced by test-image.sh),
# started by services.js with the app's own test helpers (app/local).
#
# services_up PORT   starts them; fills SERVICES_ENV with docker run arguments
#                    (--env-file FILE: the app's contract env pointed at them, PORT=PORT).
# services_down      stops what services_up started (safe to call when nothing was).
# Needs app/node_modules (npm run setup) and Debian's postgresql + redis-server.

SERVICES_PID=""
SERVICES_DIR=""
SERVICES_ENDPOINT=""   # gateway endpoint id whose upstream answers slowly (services.js)

services_up() {
  local port="$1" need=() i
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]} for the image test's backing services"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || die "apt-get install ${need[*]} failed (run npm run setup, or apt-get update first)"
    # Debian starts them as system services on install; we run our own on free ports.
    as_root service redis-server stop >/dev/null 2>&1 || true
    as_root service postgresql stop >/dev/null 2>&1 || true
  fi
  [ -f "$APP_DIR/local/register.js" ] && [ -d "$APP_DIR/local" ] \
    || die "app/local/register.js or app/local missing: the image test starts Postgres/Redis with the app's test helpers"
  [ -d "$APP_DIR/node_modules/ts-node" ] && [ -d "$APP_DIR/node_modules/pg" ] \
    || die "app/node_modules is not installed (needed for the app's test helpers): run npm run setup (npm ci in app/)"

  SERVICES_DIR="$(mktemp -d /tmp/webfleet-image-test-services.XXXXXX)"
  # stdin from a FIFO we hold open: if this shell dies, the helper sees EOF and cleans up.
  mkfifo "$SERVICES_DIR/stdin"
  (cd "$REPO_ROOT" && exec node -r "$APP_DIR/local/register.js" "$DOCKER_SCRIPTS_DIR/services.js" \
      --port "$port" --out "$SERVICES_DIR/env" <"$SERVICES_DIR/stdin" >"$SERVICES_DIR/out.log" 2>&1) &
  SERVICES_PID=$!
  exec {SERVICES_STDIN_FD}>"$SERVICES_DIR/stdin"
  for ((i = 0; i < 1200; i++)); do
    grep -q '^ready' "$SERVICES_DIR/out.log" 2>/dev/null && break
    kill -0 "$SERVICES_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^ready' "$SERVICES_DIR/out.log" 2>/dev/null; then
    tail -n 30 "$SERVICES_DIR/out.log" >&2 || true
    die "PostgreSQL/Redis for the image test did not start (app/local helpers; log above)"
  fi
  log "backing services: $(grep '^ready' "$SERVICES_DIR/out.log" | cut -d' ' -f2-)"
  SERVICES_ENDPOINT="$(grep '^ready' "$SERVICES_DIR/out.log" | sed -n 's/.* endpoint=\([A-Za-z0-9_-]*\).*/\1/p')"
  SERVICES_ENV=(--env-file "$SERVICES_DIR/env")
}

services_down() {
  if [ -n "$SERVICES_PID" ] && kill -0 "$SERVICES_PID" 2>/dev/null; then
    kill -TERM "$SERVICES_PID" 2>/dev/null || true
    wait "$SERVICES_PID" 2>/dev/null || true
  fi
  SERVICES_PID=""
  if [ -n "${SERVICES_STDIN_FD:-}" ]; then exec {SERVICES_STDIN_FD}>&-; SERVICES_STDIN_FD=""; fi
  [ -n "$SERVICES_DIR" ] && rm -rf "$SERVICES_DIR"
  SERVICES_DIR=""
}
