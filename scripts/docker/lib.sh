#!/usr/bin/env bash
# Shared helpers for scripts/docker/*.sh. Source it; do not run it.
# shellcheck disable=SC2034

DOCKER_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$DOCKER_SCRIPTS_DIR/../.." && pwd)"
APP_DIR="${WEBFLEET_APP_DIR:-$REPO_ROOT/app}"   # override only to test another checkout
DOCKERFILE="$APP_DIR/Dockerfile"

# Where dockerd logs go, and where our own pid record lives, when we start the engine.
WEBFLEET_DOCKERD_LOG="${WEBFLEET_DOCKERD_LOG:-/var/log/webfleet-dockerd.log}"
WEBFLEET_DOCKERD_PIDFILE="${WEBFLEET_DOCKERD_PIDFILE:-/var/run/webfleet-dockerd.pid}"
# Scratch space for the debootstrap rootfs (outside the repo; never committed).
WEBFLEET_DOCKER_CACHE="${WEBFLEET_DOCKER_CACHE:-/var/cache/webfleet-docker}"

log()  { printf '[%s] %s\n' "${LOG_TAG:-docker}" "$*" >&2; }
die()  { printf '[%s] ERROR: %s\n' "${LOG_TAG:-docker}" "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root for: $* (run as root or install sudo)"; fi
}

# The official image the Dockerfile builds FROM: the default of its `ARG BASE_IMAGE=...`
# (e.g. node:24-bookworm-slim).
dockerfile_base_image() {
  [ -f "$DOCKERFILE" ] || die "no Dockerfile at $DOCKERFILE"
  awk 'toupper($1)=="ARG" && $2 ~ /^BASE_IMAGE=/ { sub(/^BASE_IMAGE=/, "", $2); print $2; exit }' "$DOCKERFILE"
}

# The private name of the locally built stand-in for that image. Never the official name:
# a machine that builds the stand-in and later runs `pulumi up` must not ship it.
local_base_image() {
  printf 'webfleet-local/%s\n' "$(dockerfile_base_image)"
}

# True while process $1 exists and is not a zombie (a dead child nobody reaped yet).
is_alive() {
  local st
  st="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [ -n "$st" ] && [ "${st#Z}" = "$st" ]
}

docker_ok() { docker info >/dev/null 2>&1; }

now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }
