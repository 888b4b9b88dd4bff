#!/usr/bin/env bash
# Seed-003 endpoints on standalone vs nginx answering `return 200` on the same machine, same run.
# Also standalone's time to ready with a warm data directory and its idle RSS.
#   bench/platform/run.sh [seconds-per-run (default 15)] [connections (default 64)]
# Targets (issue #2): >= 0.8 of nginx's requests/s at 64 connections, p99 <= 2x nginx's;
# ready < 10 s including both embedded databases; RSS < 400 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-15}"; CONNS="${2:-64}"; THREADS=2; WARMUP="${WARMUP:-10}"
PLAZA_PORT=18180; NGINX_PORT=18181
WORK="$(mktemp -d /tmp/plaza-bench-platform.XXXXXX)"
DATA="$PWD/target/bench-platform-data"

need() { command -v "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need nginx nginx
java_major() { "$1" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1; }
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[[ -x "$JAVA" && "$(java_major "$JAVA")" -ge 21 ]] || JAVA=java
JAR=modules/standalone/target/plaza-standalone.jar
[[ -f "$JAR" ]] || JAVA_HOME="$(dirname "$(dirname "$JAVA")")" ./mvnw -q -B package -DskipTests

cleanup() {
  set +e
  if [[ -n "${PLAZA_PID:-}" ]]; then kill "$PLAZA_PID" 2>/dev/null; wait "$PLAZA_PID" 2>/dev/null; fi
  if [[ -f "$WORK/nginx.pid" ]]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
NGINX
nginx -c "$WORK/nginx.conf"

start_plaza() {
  STANDALONE_DATA_DIR="$DATA" PORT=$PLAZA_PORT PLAZA_ACCESS_LOG_ENABLED="${ACCESS_LOG:-false}" \
    "$JAVA" -jar "$JAR" > "$WORK/plaza.log" 2>&1 &
  PLAZA_PID=$!
  for _ in $(seq 1 600); do
    grep -q "Plaza is ready in" "$WORK/plaza.log" 2>/dev/null && return 0
    kill -0 "$PLAZA_PID" 2>/dev/null || { cat "$WORK/plaza.log"; exit 1; }
    sleep 0.1
  done
  echo "standalone did not become ready"; exit 1
}

# First start fills the data directory (cold); the measured start is the second one (warm).
start_plaza; kill "$PLAZA_PID"; wait "$PLAZA_PID" 2>/dev/null || true
start_plaza
READY=$(sed -nE 's/.*Plaza is ready in ([0-9.]+) s.*/\1/p' "$WORK/plaza.log")
sleep 3
RSS_KB=$(ps -o rss= -p "$PLAZA_PID" | tr -d ' ')

run() { # name url -> "rps p99_ms"
  wrk -t$THREADS -c"$CONNS" -d"$WARMUP"s "$2" >/dev/null 2>&1 # warm-up: JIT to steady state, connections
  wrk -t$THREADS -c"$CONNS" -d"${DURATION}s" --latency "$2" > "$WORK/$1.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$WORK/$1.txt")
  local errors; errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/$1.txt")
  [[ -n "$errors" ]] && echo "  $1: $errors" >&2
  echo "$rps $p99"
}

read -r N_RPS N_P99 < <(run nginx "http://127.0.0.1:$NGINX_PORT/health")
read -r H_RPS H_P99 < <(run health "http://127.0.0.1:$PLAZA_PORT/health")
read -r E_RPS E_P99 < <(run echo "http://127.0.0.1:$PLAZA_PORT/api/v1/echo?q=hello")
read -r N2_RPS N2_P99 < <(run nginx2 "http://127.0.0.1:$NGINX_PORT/health")
# nginx measured before and after; the reference is the better of the two runs.
REF_RPS=$(awk -v a="$N_RPS" -v b="$N2_RPS" 'BEGIN {print (a > b ? a : b)}')
REF_P99=$(awk -v a="$N_P99" -v b="$N2_P99" 'BEGIN {print (a < b ? a : b)}')

printf '\n%-28s %12s %10s %12s %10s\n' "target ($CONNS conns, ${DURATION}s)" "req/s" "p99 ms" "rps ratio" "p99 ratio"
printf '%-28s %12.0f %10.2f %12s %10s\n' "nginx return 200 (ref)" "$REF_RPS" "$REF_P99" "1.00" "1.00"
for row in "standalone /health:$H_RPS:$H_P99" "standalone /api/v1/echo:$E_RPS:$E_P99"; do
  IFS=: read -r name rps p99 <<<"$row"
  printf '%-28s %12.0f %10.2f %12.2f %10.2f\n' "$name" "$rps" "$p99" \
    "$(awk -v a="$rps" -v b="$REF_RPS" 'BEGIN {print a/b}')" "$(awk -v a="$p99" -v b="$REF_P99" 'BEGIN {print a/b}')"
done
echo
echo "standalone ready (warm data dir, both embedded databases): ${READY} s   (target < 10 s)"
echo "standalone RSS at idle: $((RSS_KB / 1024)) MB   (target < 400 MB)"
echo "(access log: ${ACCESS_LOG:-false}; set ACCESS_LOG=true to measure with it)"
