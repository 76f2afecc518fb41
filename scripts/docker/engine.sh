#!/usr/bin/env bash
# Make a Docker engine available on this machine (Debian, root or sudo).
#
#   scripts/docker/engine.sh [ensure]   install docker.io + debootstrap if missing, start
#                                       dockerd in the background if it is not answering,
#                                       wait until it answers. Exit 0 when usable.
#   scripts/docker/engine.sh status     exit 0 if an engine answers, 1 otherwise.
#   scripts/docker/engine.sh stop       stop the dockerd THIS script started (by its pid).
#
# Exit codes of `ensure`: 0 engine ready; 3 engine cannot be installed or started here
# (the last line on stderr says why; callers may turn this into a SKIP).
#
# Flags: the engine runs without its bridge network and without touching iptables
# (--bridge=none --iptables=false --ip6tables=false): the image test only uses
# `--network host`, and this sandbox allows loopback traffic only. Storage driver:
# overlay2, falling back to vfs if overlay2 cannot start. Override with
# WEBFLEET_DOCKERD_STORAGE=vfs|overlay2. Log: $WEBFLEET_DOCKERD_LOG.
set -euo pipefail
LOG_TAG=engine
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WAIT_SECONDS="${WEBFLEET_DOCKERD_WAIT:-60}"

cannot() { printf '[engine] CANNOT START DOCKER ENGINE: %s\n' "$*" >&2; exit 3; }

install_packages() {
  local need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  [ ${#need[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || cannot "dockerd/debootstrap missing and no apt-get to install ${need[*]}"
  log "installing ${need[*]} from Debian (apt-get)"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
    log "apt-get install failed; running apt-get update and retrying"
    as_root apt-get update -qq >/dev/null 2>&1 || cannot "apt-get update failed (no Debian mirror reachable?)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || cannot "apt-get install ${need[*]} failed"
  fi
  command -v dockerd >/dev/null 2>&1 || cannot "docker.io installed but dockerd is not on PATH"
}

# dockerd processes that are alive (zombies of a killed engine do not count).
live_dockerd_pids() {
  { ps -C dockerd -o pid=,stat= 2>/dev/null || true; } | awk '$2 !~ /^Z/ { printf "%s%s", sep, $1; sep = " " }'
}

wait_ready() {
  local pid="$1" i
  for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    docker_ok && return 0
    if [ -n "$pid" ] && ! is_alive "$pid"; then return 1; fi
    sleep 0.5
  done
  return 1
}

start_dockerd() {
  local driver="$1" pid
  as_root mkdir -p "$(dirname "$WEBFLEET_DOCKERD_LOG")"
  log "starting dockerd (storage driver $driver), log: $WEBFLEET_DOCKERD_LOG"
  # setsid + nohup: dockerd outlives this script; its stdout/stderr go to the log file.
  as_root sh -c 'printf "\n=== %s dockerd --storage-driver=%s ===\n" "$(date -u +%FT%TZ)" "$2" >>"$1";
                 setsid nohup dockerd --host=unix:///var/run/docker.sock \
                   --storage-driver="$2" --bridge=none --iptables=false --ip6tables=false \
                   >>"$1" 2>&1 </dev/null & echo $! >"$3"' \
    sh "$WEBFLEET_DOCKERD_LOG" "$driver" "$WEBFLEET_DOCKERD_PIDFILE"
  pid="$(cat "$WEBFLEET_DOCKERD_PIDFILE")"
  if wait_ready "$pid"; then
    log "dockerd ready (pid $pid, storage driver $driver)"
    return 0
  fi
  log "dockerd with $driver did not become ready; last log lines:"
  grep -v "module=grpc" "$WEBFLEET_DOCKERD_LOG" | tail -n 12 | sed 's/^/    /' >&2 || true
  if is_alive "$pid"; then as_root kill "$pid" 2>/dev/null || true; sleep 2; fi
  as_root rm -f "$WEBFLEET_DOCKERD_PIDFILE"
  return 1
}

ensure() {
  if command -v docker >/dev/null 2>&1 && docker_ok; then
    log "a Docker engine is already answering"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    cannot "no engine answers and we are not root (and have no sudo) to install or start one"
  fi
  install_packages
  local live
  live="$(live_dockerd_pids)"
  if [ -n "$live" ]; then
    log "a dockerd process (pid $live) exists but does not answer yet; waiting up to ${WAIT_SECONDS}s"
    wait_ready "" && return 0
    cannot "a dockerd is running (pid $(live_dockerd_pids)) but does not answer on /var/run/docker.sock; see its log or stop it"
  fi
  local drivers=(overlay2 vfs)
  [ -n "${WEBFLEET_DOCKERD_STORAGE:-}" ] && drivers=("$WEBFLEET_DOCKERD_STORAGE")
  local d
  for d in "${drivers[@]}"; do
    start_dockerd "$d" && return 0
  done
  cannot "dockerd did not start with storage driver(s) ${drivers[*]}; see $WEBFLEET_DOCKERD_LOG"
}

stop() {
  if [ ! -f "$WEBFLEET_DOCKERD_PIDFILE" ]; then
    log "no dockerd started by this script (no $WEBFLEET_DOCKERD_PIDFILE); nothing to stop"
    return 0
  fi
  local pid i
  pid="$(cat "$WEBFLEET_DOCKERD_PIDFILE")"
  if is_alive "$pid"; then
    log "stopping dockerd pid $pid"
    as_root kill "$pid"
    for ((i = 0; i < 60; i++)); do is_alive "$pid" || break; sleep 0.5; done
    if is_alive "$pid"; then die "dockerd pid $pid did not exit within 30s"; fi
  fi
  as_root rm -f "$WEBFLEET_DOCKERD_PIDFILE"
  log "stopped"
}

case "${1:-ensure}" in
  ensure) ensure ;;
  status) docker_ok && { log "engine answers"; exit 0; } || { log "no engine answers"; exit 1; } ;;
  stop) stop ;;
  *) die "usage: $0 [ensure|status|stop]" ;;
esac
