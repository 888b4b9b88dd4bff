#!/usr/bin/env bash
# Seed-003 endpoints on standalone vs nginx answering `return 200` on the same machine, same run.
# Also standalone's time to ready with a warm data directory and its idle RSS.
#   bench/platform/run.sh [seconds-per-run (default 15)] [connections (default 64)]
#   ROUNDS=5 (alternating rounds; medians reported)  WARMUP=10 (s, first round; later rounds 3 s)
#   ACCESS_LOG=true (measure with the access log on)
# Targets (issue #2): >= 0.8 of nginx's requests/s at 64 connections, p99 <= 2x nginx's;
# ready < 10 s including both embedded databases; RSS < 400 MB.
# A third reference, bare Helidon (BareHelidon.java: same jars and JDK, one route, no filters), shows
# how much of the gap to nginx is the framework's and how much is Plaza's.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-15}"; CONNS="${2:-64}"; THREADS=2; WARMUP="${WARMUP:-10}"; ROUNDS="${ROUNDS:-5}"
PLAZA_PORT=18180; NGINX_PORT=18181; BARE_PORT=18182
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
  if [[ -n "${BARE_PID:-}" ]]; then kill "$BARE_PID" 2>/dev/null; wait "$BARE_PID" 2>/dev/null; fi
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

"$JAVA" -cp "modules/standalone/target/libs/*" bench/platform/BareHelidon.java $BARE_PORT > "$WORK/bare.log" 2>&1 &
BARE_PID=$!
for _ in $(seq 1 300); do grep -q "bare Helidon ready" "$WORK/bare.log" 2>/dev/null && break; sleep 0.1; done

run() { # name url warmup -> "rps p99_ms"
  wrk -t$THREADS -c"$CONNS" -d"$3"s "$2" >/dev/null 2>&1 # warm-up: JIT to steady state, connections
  wrk -t$THREADS -c"$CONNS" -d"${DURATION}s" --latency "$2" > "$WORK/$1.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$WORK/$1.txt")
  local errors; errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/$1.txt")
  [[ -n "$errors" ]] && echo "  $1: $errors" >&2
  echo "$rps $p99"
}

# The machine is noisy (wrk and the server share its cores), so the targets alternate for ROUNDS rounds.
# Each round's ratios are to that round's nginx; the summary gives median req/s and p99 per target and
# the median of the per-round ratios (the paired measure: a target against nginx of the same moment).
TARGETS=("nginx return 200 (ref)|http://127.0.0.1:$NGINX_PORT/health"
         "bare Helidon /health|http://127.0.0.1:$BARE_PORT/health"
         "standalone /health|http://127.0.0.1:$PLAZA_PORT/health"
         "standalone /api/v1/echo|http://127.0.0.1:$PLAZA_PORT/api/v1/echo?q=hello")
declare -A RPS P99 RPS_RATIO P99_RATIO
for round in $(seq 1 "$ROUNDS"); do
  warm=$([[ $round == 1 ]] && echo "$WARMUP" || echo 3)
  line="round $round:"
  for i in "${!TARGETS[@]}"; do
    IFS='|' read -r name url <<<"${TARGETS[$i]}"
    read -r rps p99 < <(run "t$i-r$round" "$url" "$warm")
    [[ $i == 0 ]] && { ref_rps=$rps; ref_p99=$p99; }
    RPS[$i]+="$rps "; P99[$i]+="$p99 "
    RPS_RATIO[$i]+="$(awk -v a="$rps" -v b="$ref_rps" 'BEGIN {print a/b}') "
    P99_RATIO[$i]+="$(awk -v a="$p99" -v b="$ref_p99" 'BEGIN {print a/b}') "
    [[ $i == 0 ]] || line+="  $(awk -v a="$rps" -v b="$ref_rps" 'BEGIN {printf "%.2f", a/b}')"
  done
  echo "$line   (req/s ratio to this round's nginx: bare Helidon, /health, /echo)"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
printf '\n%-28s %12s %10s %12s %10s\n' "median of $ROUNDS ($CONNS conns, ${DURATION}s)" "req/s" "p99 ms" "rps ratio" "p99 ratio"
for i in "${!TARGETS[@]}"; do
  IFS='|' read -r name url <<<"${TARGETS[$i]}"
  printf '%-28s %12.0f %10.2f %12.2f %10.2f\n' "$name" "$(median <<<"${RPS[$i]}")" "$(median <<<"${P99[$i]}")" \
    "$(median <<<"${RPS_RATIO[$i]}")" "$(median <<<"${P99_RATIO[$i]}")"
done
echo
echo "standalone ready (warm data dir, both embedded databases): ${READY} s   (target < 10 s)"
echo "standalone RSS at idle: $((RSS_KB / 1024)) MB   (target < 400 MB)"
echo "(access log: ${ACCESS_LOG:-false}; set ACCESS_LOG=true to measure with it)"
