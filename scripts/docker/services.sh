#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on loopback for the image test (sourced by test-image.sh).
# The app validates its env at start and needs both to answer /api/health and /api/ready.
#
# services_up fills, in the caller's shell:
#   SERVICES_ENV   docker run arguments: -e PGHOST=127.0.0.1 -e PGPORT=... -e REDIS_URL=...
# services_down stops what services_up started (safe to call when nothing was started).
# Uses Debian's postgresql and redis-server (installed by `npm run setup`; installed here
# with apt-get if missing). Data lives in a temporary directory removed on stop.

services_free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

services_up() {
  local pg_bin need=()
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$pg_bin" ] || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]} for the image test's backing services"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || die "apt-get install ${need[*]} failed (run npm run setup, or apt-get update first)"
    as_root service redis-server stop >/dev/null 2>&1 || true
    as_root service postgresql stop >/dev/null 2>&1 || true
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi

  local dir pg_port redis_port owner=()
  dir="$(mktemp -d /tmp/webfleet-image-test-services.XXXXXX)"
  chmod 0755 "$dir"
  pg_port="$(services_free_port)"
  redis_port="$(services_free_port)"
  # initdb refuses to run as root: run PostgreSQL as the `postgres` user Debian creates.
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' user to run PostgreSQL as (is the postgresql package installed?)"
    owner=(runuser -u postgres --)
    mkdir -p "$dir/pg" && chown postgres "$dir/pg"
  fi
  SERVICES_DIR="$dir"
  SERVICES_PG_CTL=("${owner[@]}" "$pg_bin/pg_ctl")

  "${owner[@]}" "$pg_bin/initdb" -D "$dir/pg" -U webfleet --auth=trust >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  "${owner[@]}" "$pg_bin/pg_ctl" -D "$dir/pg" -w -t 30 -l "$dir/pg/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir/pg -c fsync=off" start >/dev/null \
    || { tail -n 20 "$dir/pg/server.log" >&2; die "PostgreSQL did not start on 127.0.0.1:$pg_port"; }
  "${owner[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U webfleet webfleet \
    || die "createdb webfleet failed"
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" \
    || die "redis-server did not start on 127.0.0.1:$redis_port"
  log "backing services: PostgreSQL 127.0.0.1:$pg_port, Redis 127.0.0.1:$redis_port ($dir)"

  SERVICES_ENV=(
    -e PGHOST=127.0.0.1 -e "PGPORT=$pg_port" -e PGDATABASE=webfleet -e PGUSER=webfleet
    -e PGPASSWORD=image-test -e PGSSLMODE=disable -e DB_POOL_MAX=4
    -e "REDIS_URL=redis://127.0.0.1:$redis_port"
  )
}

services_down() {
  [ -n "${SERVICES_DIR:-}" ] && [ -d "$SERVICES_DIR" ] || return 0
  if [ -f "$SERVICES_DIR/pg/postmaster.pid" ]; then
    "${SERVICES_PG_CTL[@]}" -D "$SERVICES_DIR/pg" -m fast -w -t 20 stop >/dev/null 2>&1 || true
  fi
  if [ -f "$SERVICES_DIR/redis.pid" ]; then
    kill "$(cat "$SERVICES_DIR/redis.pid")" 2>/dev/null || true
    sleep 0.3
  fi
  rm -rf "$SERVICES_DIR"
  SERVICES_DIR=""
}
