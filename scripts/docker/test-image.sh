#!/usr/bin/env bash
# `npm run test:image`: build app/Dockerfile with the classic builder and prove the image
# works: /api/health and /api/ready answer, static assets are served, the server is not
# root, it runs the Node.js major of the Dockerfile's base, the HEALTHCHECK passes, dev
# dependencies are absent, the version reaches Next's
# deploymentId, and SIGTERM with a request in flight answers it and exits 0 quickly.
# Runs on machines with no registry access (engine.sh, base-image.sh); see README.md.
#
# WEBFLEET_IMAGE_TEST=required (default)  no Docker engine -> fail.
# WEBFLEET_IMAGE_TEST=auto                no Docker engine -> print a SKIP line, exit 0.
#                                         (Only the engine may be missing; any other
#                                         failure, build or test, still fails.)
# Other knobs: WEBFLEET_IMAGE_TAG (default webfleet-web:test), APP_VERSION (default
# image-test-<git short sha>), WEBFLEET_STOP_BUDGET_S (default 10: max seconds from
# SIGTERM to exit), WEBFLEET_IMAGE_TEST_KEEP=1 (keep the container after the test).
set -euo pipefail
LOG_TAG=test-image
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE="${WEBFLEET_IMAGE_TEST:-required}"
case "$MODE" in
  auto|required) ;;
  *) die "WEBFLEET_IMAGE_TEST must be 'auto' or 'required' (got '$MODE')" ;;
esac
TAG="${WEBFLEET_IMAGE_TAG:-webfleet-web:test}"
APP_VERSION="${APP_VERSION:-image-test-$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo local)}"
STOP_BUDGET_S="${WEBFLEET_STOP_BUDGET_S:-10}"
LOG_DIR="$WEBFLEET_DOCKER_CACHE/image-test"
CONTAINER="webfleet-image-test-$$"
T_TOTAL="$(now_s)"

PASSED=0
FAILED=0
TIMINGS=()
pass() { PASSED=$((PASSED + 1)); printf '  ok    %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL  %s\n' "$*"; }
timing() { TIMINGS+=("$1=$2s"); log "$1: $2s"; }

# ---- 1. engine ------------------------------------------------------------------------
T="$(now_s)"
# Stop the engine again at the end only if this run started it and we are in CI (or asked
# to): developers keep a warm engine; CI leaves nothing running behind it.
STOP_ENGINE=0
if ! docker_ok && { [ "${CI:-}" = true ] || [ "${WEBFLEET_DOCKER_STOP_AFTER:-0}" = 1 ]; }; then STOP_ENGINE=1; fi
set +e
ENGINE_OUT="$(bash "$DOCKER_SCRIPTS_DIR/engine.sh" ensure 2>&1)"
ENGINE_RC=$?
set -e
printf '%s\n' "$ENGINE_OUT" >&2
if [ "$ENGINE_RC" -ne 0 ]; then
  REASON="$(printf '%s\n' "$ENGINE_OUT" | tail -n 1)"
  if [ "$ENGINE_RC" -eq 3 ] && [ "$MODE" = auto ]; then
    echo "########################################################################"
    echo "# SKIP: image test NOT RUN: no Docker engine could be started here."
    echo "# reason: $REASON"
    echo "# (WEBFLEET_IMAGE_TEST=auto allows this skip; use 'required' to fail instead)"
    echo "########################################################################"
    exit 0
  fi
  die "no Docker engine (WEBFLEET_IMAGE_TEST=$MODE): $REASON"
fi
timing engine "$(elapsed "$T")"
SERVICES_ENV=()
# shellcheck source=services.sh
. "$DOCKER_SCRIPTS_DIR/services.sh"

cleanup() {
  local rc=$?
  if [ "${WEBFLEET_IMAGE_TEST_KEEP:-0}" != 1 ]; then
    docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
  fi
  services_down
  # Untagged images of this app's earlier builds (every new APP_VERSION leaves ~0.8 GB).
  docker image prune -f --filter "label=org.opencontainers.image.title=webfleet-gateway" >/dev/null 2>&1 || true
  if [ "$STOP_ENGINE" = 1 ]; then bash "$DOCKER_SCRIPTS_DIR/engine.sh" stop || true; fi
  exit "$rc"
}
trap cleanup EXIT
mkdir -p "$LOG_DIR"

# ---- 2. base image (local stand-in for the official one, cached) -------------------------
# Built under a private name (never the official one) and passed as BASE_IMAGE.
OFFICIAL_BASE="$(dockerfile_base_image)"
BASE="$(local_base_image)"
T="$(now_s)"
if docker image inspect "$BASE" >/dev/null 2>&1; then
  log "base image $BASE present (stand-in for $OFFICIAL_BASE)"
else
  log "base image $BASE missing: building the stand-in for $OFFICIAL_BASE"
  bash "$DOCKER_SCRIPTS_DIR/base-image.sh" "$BASE"
fi
timing base_image "$(elapsed "$T")"

# ---- 3. docker build (classic builder; npm ci needs the host network for the registry) --
T="$(now_s)"
BUILD_LOG="$LOG_DIR/build.log"
log "docker build $TAG (APP_VERSION=$APP_VERSION), log: $BUILD_LOG"
if ! DOCKER_BUILDKIT=0 docker build --network host --pull=false --build-arg "BASE_IMAGE=$BASE" \
    --build-arg "APP_VERSION=$APP_VERSION" -t "$TAG" -f "$DOCKERFILE" "$APP_DIR" >"$BUILD_LOG" 2>&1; then
  tail -n 40 "$BUILD_LOG" >&2
  die "docker build failed (full log: $BUILD_LOG)"
fi
# Keep the deps and build stages tagged (instant: cached) so the prune at the end keeps
# them as cache for the next run and removes only older, untagged stage images.
for stage in deps build; do
  DOCKER_BUILDKIT=0 docker build --network host --pull=false --target "$stage" --build-arg "BASE_IMAGE=$BASE" \
    --build-arg "APP_VERSION=$APP_VERSION" -t "${TAG%%:*}:cache-$stage" -f "$DOCKERFILE" "$APP_DIR" >>"$BUILD_LOG" 2>&1 \
    || die "tagging the $stage stage failed (log: $BUILD_LOG)"
done
timing docker_build "$(elapsed "$T")"
SIZE_MB="$(docker image inspect -f '{{.Size}}' "$TAG" | awk '{ printf "%.0f", $1 / 1048576 }')"
log "image $TAG: ${SIZE_MB} MiB"

# ---- 4. backing services the app needs to start (throwaway, loopback only) -------------
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE_URL="http://127.0.0.1:$PORT"
services_up "$PORT"   # fills SERVICES_ENV: --env-file with the app's contract env (PORT, HOSTNAME=127.0.0.1, PG*, REDIS_*)

# ---- 5. the checks ----------------------------------------------------------------------
echo "image checks: $TAG"

# 5a. the Dockerfile stays classic-builder syntax, and the image's static configuration
BK="$(grep -nE '^[[:space:]]*#[[:space:]]*syntax=|--mount|--link|--chmod|--security|<<' "$DOCKERFILE" || true)"
[ -z "$BK" ] && pass "Dockerfile has no BuildKit-only syntax (syntax=, --mount, --link, --chmod, heredocs)" \
  || fail "BuildKit-only syntax in $DOCKERFILE: $BK"
WANT_NODE="${OFFICIAL_BASE#*:}"; WANT_NODE="${WANT_NODE%%[-.]*}"
IMG_NODE="$(docker run --rm --network none --entrypoint node "$TAG" -p 'process.versions.node' 2>/dev/null || true)"
[ -n "$IMG_NODE" ] && [ "${IMG_NODE%%.*}" = "$WANT_NODE" ] && pass "image runs Node v$IMG_NODE (the Dockerfile's base: $OFFICIAL_BASE)" \
  || fail "image runs Node '${IMG_NODE:-none}', expected major $WANT_NODE ($OFFICIAL_BASE)"
CMD_JSON="$(docker image inspect -f '{{json .Config.Cmd}}' "$TAG")"
[ "$CMD_JSON" = '["node","server.js"]' ] && pass "CMD is node server.js (production standalone server)" \
  || fail "CMD is $CMD_JSON, expected [\"node\",\"server.js\"]"
IMG_USER="$(docker image inspect -f '{{.Config.User}}' "$TAG")"
case "$IMG_USER" in ""|root|0|0:*|root:*) fail "image USER is '${IMG_USER:-<unset>}' (root)" ;;
  *) pass "image USER is $IMG_USER" ;; esac
HC="$(docker image inspect -f '{{json .Config.Healthcheck}}' "$TAG")"
if [ "$HC" = null ] || [ -z "$HC" ]; then fail "no HEALTHCHECK"
elif printf '%s' "$HC" | grep -q curl; then fail "HEALTHCHECK uses curl: $HC"
else pass "HEALTHCHECK present, no curl"; fi
IMG_ENV="$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$TAG")"
for kv in PORT=3000 HOSTNAME=0.0.0.0 NODE_ENV=production "APP_VERSION=$APP_VERSION"; do
  printf '%s\n' "$IMG_ENV" | grep -qx "$kv" && pass "image env $kv" || fail "image env lacks $kv"
done

DEPLOY_ID="$(docker run --rm --network none --entrypoint node "$TAG" \
  -p 'require("/app/.next/required-server-files.json").config.deploymentId' 2>&1 || true)"
WANT_ID="${APP_VERSION//[^A-Za-z0-9_-]/-}"; WANT_ID="${WANT_ID:0:64}"
[ "$DEPLOY_ID" = "$WANT_ID" ] && pass "Next deploymentId baked in at build = $WANT_ID (from --build-arg APP_VERSION)" \
  || fail "Next deploymentId is '$DEPLOY_ID', expected '$WANT_ID'"

# 5b. no dev dependencies in the final image (app/package.json devDependencies)
DEV_DEPS="$(node -e 'const p=require(process.argv[1]);console.log(Object.keys(p.devDependencies||{}).join(" "))' "$APP_DIR/package.json")"
FOUND_DEV="$(docker run --rm --network none --entrypoint node "$TAG" -e '
  const fs = require("fs");
  const found = process.argv.slice(1).filter((d) => fs.existsSync("/app/node_modules/" + d));
  console.log(found.join(" "));' $DEV_DEPS)"
[ -z "$FOUND_DEV" ] && pass "no dev dependencies in /app/node_modules (checked: ${DEV_DEPS:-none})" \
  || fail "dev dependencies in the image: $FOUND_DEV"

# 5c. run it: host network, loopback only
T="$(now_s)"
# --health-interval only makes Docker run the image's own HEALTHCHECK command sooner.
docker run -d --name "$CONTAINER" --network host --health-interval=2s "${SERVICES_ENV[@]}" "$TAG" >/dev/null
HEALTH_BODY=""
for ((i = 0; i < 600; i++)); do
  if HEALTH_BODY="$(curl -fsS --max-time 2 "$BASE_URL/api/health" 2>/dev/null)"; then break; fi
  HEALTH_BODY=""
  [ "$(docker inspect -f '{{.State.Running}}' "$CONTAINER")" = true ] || break
  sleep 0.1
done
if [ -n "$HEALTH_BODY" ]; then
  timing first_health_ok "$(elapsed "$T")"
  pass "GET /api/health -> 200 $HEALTH_BODY"
  case "$HEALTH_BODY" in *"\"$APP_VERSION\""*) pass "/api/health reports the build's APP_VERSION ($APP_VERSION)" ;;
    *) fail "/api/health does not report APP_VERSION $APP_VERSION" ;; esac
else
  fail "GET /api/health never answered (container running: $(docker inspect -f '{{.State.Running}} exit={{.State.ExitCode}}' "$CONTAINER"))"
  docker logs "$CONTAINER" 2>&1 | tail -n 40 | sed 's/^/    | /'
fi

# 5c'. readiness: Postgres and Redis reachable from the container (pg/ioredis load in the image)
READY=""
for ((i = 0; i < 100; i++)); do
  READY="$(curl -sS --max-time 3 -w ' %{http_code}' "$BASE_URL/api/ready" 2>/dev/null || true)"
  case "$READY" in *" 200") break ;; esac
  sleep 0.2
done
case "$READY" in *" 200") pass "GET /api/ready -> 200 ${READY% 200}" ;;
  *) fail "GET /api/ready -> '$READY'" ;; esac

# 5d. not root: the server process as the host kernel sees it, and inside the container
HOST_PID="$(docker inspect -f '{{.State.Pid}}' "$CONTAINER")"
if [ "$HOST_PID" != 0 ] && [ -r "/proc/$HOST_PID/status" ]; then
  PID_UIDS="$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$HOST_PID/status")"
  PID_CMD="$(tr '\0' ' ' <"/proc/$HOST_PID/cmdline")"
  case " $PID_UIDS " in *" 0 "*) fail "server process ($PID_CMD) has uid 0: $PID_UIDS" ;;
    *) pass "server process ($PID_CMD) runs as uid $PID_UIDS (real effective saved fs)" ;; esac
else
  fail "cannot read the container's main process (pid $HOST_PID)"
fi

# 5e. static assets: a public/ file and a .next/static chunk
PUB_FILE="$(cd "$APP_DIR/public" 2>/dev/null && find . -type f ! -name '.*' | sed 's|^\./||' | sort | head -n 1 || true)"
if [ -n "$PUB_FILE" ]; then
  if curl -fsS --max-time 5 "$BASE_URL/$PUB_FILE" -o "$LOG_DIR/public-file" && cmp -s "$LOG_DIR/public-file" "$APP_DIR/public/$PUB_FILE"; then
    pass "GET /$PUB_FILE (public/) -> 200, same bytes as app/public/$PUB_FILE"
  else
    fail "GET /$PUB_FILE (public/) failed or differs from app/public/$PUB_FILE"
  fi
else
  log "app/public has no files; skipping the public/ asset check"
fi
CHUNK="$(docker exec "$CONTAINER" find .next/static -type f -name '*.js' | sort -t/ -k3,3r | grep -m1 /chunks/ || true)"
[ -n "$CHUNK" ] || CHUNK="$(docker exec "$CONTAINER" find .next/static -type f -name '*.js' | sort | head -n 1 || true)"
if [ -n "$CHUNK" ]; then
  URL="$BASE_URL/_next/static/${CHUNK#.next/static/}"
  CODE_TYPE="$(curl -sS --max-time 5 -o "$LOG_DIR/chunk.js" -w '%{http_code} %{content_type}' "$URL" || true)"
  case "$CODE_TYPE" in
    "200 "*javascript*) pass "GET /_next/static/${CHUNK#.next/static/} -> $CODE_TYPE, $(wc -c <"$LOG_DIR/chunk.js") bytes" ;;
    *) fail "GET $URL -> '$CODE_TYPE'" ;;
  esac
else
  fail "no .js under /app/.next/static in the image"
fi

# 5f. Docker's own HEALTHCHECK (node fetch, no curl) turns healthy
HC_STATUS=""
for ((i = 0; i < 90; i++)); do
  HC_STATUS="$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$CONTAINER")"
  [ "$HC_STATUS" = starting ] || break
  sleep 0.5
done
[ "$HC_STATUS" = healthy ] && pass "docker HEALTHCHECK status: healthy" \
  || fail "docker HEALTHCHECK status: '${HC_STATUS:-none}' $(docker inspect -f '{{json .State.Health}}' "$CONTAINER" | tail -c 400)"

# 5g. SIGTERM: exit code and time to exit (PID 1 is node itself, as on Fargate without an
# init), with one gateway request in flight (its upstream answers after ~1.5 s): it must
# still get its answer, and the server must exit 0 after it.
if [ "$(docker inspect -f '{{.State.Running}}' "$CONTAINER")" = true ]; then
  curl -sS --max-time 20 -o "$LOG_DIR/inflight.json" -w '%{http_code}' -H 'content-type: application/json' \
    -d '{"jsonrpc":"2.0","id":7,"method":"eth_getBalance","params":["0x0","latest"]}' \
    "$BASE_URL/api/gateway?endpoint=$SERVICES_ENDPOINT" >"$LOG_DIR/inflight.code" 2>&1 &
  CURL_PID=$!
  sleep 0.5
  T="$(now_s)"
  docker kill --signal TERM "$CONTAINER" >/dev/null
  LIMIT=$(( (STOP_BUDGET_S + 5) * 10 ))
  for ((i = 0; i < LIMIT; i++)); do
    [ "$(docker inspect -f '{{.State.Running}}' "$CONTAINER")" = true ] || break
    sleep 0.1
  done
  STOP_S="$(elapsed "$T")"
  if [ "$(docker inspect -f '{{.State.Running}}' "$CONTAINER")" = true ]; then
    fail "still running ${STOP_S}s after SIGTERM (budget ${STOP_BUDGET_S}s); killing"
    docker kill "$CONTAINER" >/dev/null 2>&1 || true
  else
    EXIT_CODE="$(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")"
    timing sigterm_to_exit "$STOP_S"
    if [ "$EXIT_CODE" = 0 ] && awk -v s="$STOP_S" -v b="$STOP_BUDGET_S" 'BEGIN { exit !(s <= b) }'; then
      pass "SIGTERM -> exit code 0 after ${STOP_S}s (budget ${STOP_BUDGET_S}s)"
    else
      fail "SIGTERM -> exit code $EXIT_CODE after ${STOP_S}s (want 0 within ${STOP_BUDGET_S}s)"
    fi
  fi
  wait "$CURL_PID" || true
  INFLIGHT_CODE="$(cat "$LOG_DIR/inflight.code")"
  INFLIGHT_BODY="$(cat "$LOG_DIR/inflight.json" 2>/dev/null || true)"
  if [ "$INFLIGHT_CODE" = 200 ] && printf '%s' "$INFLIGHT_BODY" | grep -q '"result"'; then
    pass "request in flight at SIGTERM completed: 200 $INFLIGHT_BODY"
  else
    fail "request in flight at SIGTERM: '$INFLIGHT_CODE' $INFLIGHT_BODY"
  fi
else
  fail "container not running before SIGTERM (exit $(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER"))"
fi
# 5h. misconfigured: without the PG*/REDIS_* contract the server must refuse to start,
# naming what is missing (a task the fleet program misconfigured fails fast and readably).
set +e
BAD_OUT="$(timeout 60 docker run --rm --network none "$TAG" 2>&1)"
BAD_RC=$?
set -e
if [ "$BAD_RC" -ne 0 ] && printf '%s' "$BAD_OUT" | grep -q PGHOST; then
  pass "without PG*/REDIS_* env: exit $BAD_RC, names PGHOST ($(printf '%s' "$BAD_OUT" | grep -c .) lines)"
else
  fail "without PG*/REDIS_* env: exit $BAD_RC; output: $(printf '%s' "$BAD_OUT" | tail -c 300)"
fi

docker logs "$CONTAINER" >"$LOG_DIR/container.log" 2>&1 || true
if [ "$FAILED" -gt 0 ]; then
  echo "  container log ($LOG_DIR/container.log), last lines:"
  tail -n 30 "$LOG_DIR/container.log" | sed 's/^/    | /'
fi

timing total "$(elapsed "$T_TOTAL")"
echo "image: $TAG ${SIZE_MB} MiB; timings: ${TIMINGS[*]}"
echo "image-test: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
