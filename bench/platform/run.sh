#!/usr/bin/env bash
# Seed-003 endpoints on standalone vs nginx answering `return 200` on the same machine, same run, both ways:
# access log off (nginx `access_log off`, Plaza PLAZA_ACCESS_LOG_ENABLED=false) and on (nginx writing its usual
# combined log, buffered as production does: `buffer=64k flush=1s`; Plaza its JSON access log on stderr, to a file).
# Two standalone processes (one per mode, own data directories) run side by side; the targets alternate.
# Also standalone's time to ready with a warm data directory and its idle RSS.
#   bench/platform/run.sh [seconds-per-run (default 15)] [connections (default 64)]
#   ROUNDS=5 (alternating rounds; medians reported)  WARMUP=10 (s, first round; later rounds 3 s)
#   MODES="off on" (which access-log modes to measure)  BARE=1 (add bare Helidon as a third reference)
#   JFR=1 (record the log-on standalone with JFR; prints where its CPU samples fall)
# Targets (issues #2, #14): >= 0.8 of nginx's requests/s at 64 connections, p99 <= 2x nginx's, log on as off;
# ready < 10 s including both embedded databases; RSS < 400 MB.
# Bare Helidon (BareHelidon.java: same jars and JDK, one route, no filters) shows how much of the gap to
# nginx is the framework's and how much is Plaza's.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-15}"; CONNS="${2:-64}"; THREADS=2; WARMUP="${WARMUP:-10}"; ROUNDS="${ROUNDS:-5}"
PLAZA_PORT=18180; NGINX_PORT=18181; BARE_PORT=18182; PLAZA_LOG_PORT=18183; NGINX_LOG_PORT=18184
MODES="${MODES:-off on}"; BARE="${BARE:-0}"; JFR="${JFR:-0}"
WORK="$(mktemp -d /tmp/plaza-bench-platform.XXXXXX)"
DATA="$PWD/target/bench-platform-data"; DATA_LOG="$PWD/target/bench-platform-data-log"

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
  for pid in ${PLAZA_PID:-} ${PLAZA_LOG_PID:-}; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
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
  server {
    listen 127.0.0.1:$NGINX_LOG_PORT;
    access_log $WORK/nginx-access.log combined buffer=64k flush=1s;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
NGINX
nginx -c "$WORK/nginx.conf"

start_plaza() { # port data-dir access-log log-file extra-jvm-options -> PID in STARTED_PID
  STANDALONE_DATA_DIR="$2" PORT=$1 PLAZA_ACCESS_LOG_ENABLED="$3" \
    "$JAVA" ${5:-} -jar "$JAR" > "$4" 2>&1 &
  STARTED_PID=$!
  for _ in $(seq 1 600); do
    grep -q "Plaza is ready in" "$4" 2>/dev/null && return 0
    kill -0 "$STARTED_PID" 2>/dev/null || { cat "$4"; exit 1; }
    sleep 0.1
  done
  echo "standalone did not become ready"; exit 1
}

# First start fills the data directory (cold); the measured start is the second one (warm).
start_plaza $PLAZA_PORT "$DATA" false "$WORK/plaza.log"; kill "$STARTED_PID"; wait "$STARTED_PID" 2>/dev/null || true
start_plaza $PLAZA_PORT "$DATA" false "$WORK/plaza.log"; PLAZA_PID=$STARTED_PID
READY=$(sed -nE 's/.*Plaza is ready in ([0-9.]+) s.*/\1/p' "$WORK/plaza.log")
sleep 3
RSS_KB=$(ps -o rss= -p "$PLAZA_PID" | tr -d ' ')
if [[ " $MODES " == *" on "* ]]; then
  JFR_OPTS=""
  [[ "$JFR" == 1 ]] && JFR_OPTS="-XX:StartFlightRecording=filename=$PWD/target/bench-platform-log-on.jfr,settings=profile,dumponexit=true"
  start_plaza $PLAZA_LOG_PORT "$DATA_LOG" true "$WORK/plaza-log-on.log" "$JFR_OPTS"; PLAZA_LOG_PID=$STARTED_PID
fi

if [[ "$BARE" == 1 ]]; then
  "$JAVA" -cp "modules/standalone/target/libs/*" bench/platform/BareHelidon.java $BARE_PORT > "$WORK/bare.log" 2>&1 &
  BARE_PID=$!
  for _ in $(seq 1 300); do grep -q "bare Helidon ready" "$WORK/bare.log" 2>/dev/null && break; sleep 0.1; done
fi

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

# The machine is noisy (wrk and the servers share its cores, other builds run), so the targets alternate for
# ROUNDS rounds. Each target's ratios are to its reference (the nginx of the same access-log mode) measured just
# before it in the same round; the summary gives median req/s and p99 per target and the median of the per-round
# ratios (the paired measure: a target against nginx of the same moment).
TARGETS=()  # "name|url|is-reference"
for mode in $MODES; do
  if [[ $mode == off ]]; then np=$NGINX_PORT; pp=$PLAZA_PORT; else np=$NGINX_LOG_PORT; pp=$PLAZA_LOG_PORT; fi
  TARGETS+=("nginx, log $mode (ref)|http://127.0.0.1:$np/health|ref")
  [[ "$BARE" == 1 && $mode == off ]] && TARGETS+=("bare Helidon /health|http://127.0.0.1:$BARE_PORT/health|")
  TARGETS+=("standalone /health, log $mode|http://127.0.0.1:$pp/health|")
  TARGETS+=("standalone /echo, log $mode|http://127.0.0.1:$pp/api/v1/echo?q=hello|")
done
declare -A RPS P99 RPS_RATIO P99_RATIO
for round in $(seq 1 "$ROUNDS"); do
  warm=$([[ $round == 1 ]] && echo "$WARMUP" || echo 3)
  line="round $round (load $(cut -d' ' -f1 /proc/loadavg)):"
  for i in "${!TARGETS[@]}"; do
    IFS='|' read -r name url ref <<<"${TARGETS[$i]}"
    read -r rps p99 < <(run "t$i-r$round" "$url" "$warm")
    [[ $ref == ref ]] && { ref_rps=$rps; ref_p99=$p99; }
    RPS[$i]+="$rps "; P99[$i]+="$p99 "
    RPS_RATIO[$i]+="$(awk -v a="$rps" -v b="$ref_rps" 'BEGIN {print a/b}') "
    P99_RATIO[$i]+="$(awk -v a="$p99" -v b="$ref_p99" 'BEGIN {print a/b}') "
    [[ $ref == ref ]] || line+="  $(awk -v a="$rps" -v b="$ref_rps" 'BEGIN {printf "%.2f", a/b}')"
  done
  echo "$line   (req/s ratio to this round's nginx of the same log mode, in the order below)"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
printf '\n%-32s %12s %10s %12s %10s\n' "median of $ROUNDS ($CONNS conns, ${DURATION}s)" "req/s" "p99 ms" "rps ratio" "p99 ratio"
for i in "${!TARGETS[@]}"; do
  IFS='|' read -r name url ref <<<"${TARGETS[$i]}"
  printf '%-32s %12.0f %10.2f %12.2f %10.2f\n' "$name" "$(median <<<"${RPS[$i]}")" "$(median <<<"${P99[$i]}")" \
    "$(median <<<"${RPS_RATIO[$i]}")" "$(median <<<"${P99_RATIO[$i]}")"
done
echo
echo "standalone ready (warm data dir, both embedded databases): ${READY} s   (target < 10 s)"
echo "standalone RSS at idle: $((RSS_KB / 1024)) MB   (target < 400 MB)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
if [[ -n "${PLAZA_LOG_PID:-}" ]]; then
  dropped=$(curl -s "http://127.0.0.1:$PLAZA_LOG_PORT/observe/metrics" | awk '/^plaza_log_events_dropped_total/ {print $2}')
  echo "log on: $(grep -c '"logger":"plaza.access"' "$WORK/plaza-log-on.log") access-log lines written by standalone, ${dropped:-?} dropped (queue full); nginx wrote $(wc -l < "$WORK/nginx-access.log")"
fi
if [[ "$JFR" == 1 && -n "${PLAZA_LOG_PID:-}" ]]; then
  kill "$PLAZA_LOG_PID"; wait "$PLAZA_LOG_PID" 2>/dev/null || true; PLAZA_LOG_PID=""
  "$(dirname "$JAVA")/jfr" print --events jdk.ExecutionSample --stack-depth 64 target/bench-platform-log-on.jfr > "$WORK/samples.txt"
  echo; echo "JFR (log-on standalone, whole run): CPU samples by where they fall"
  awk '/jdk.ExecutionSample/ {if (s != "") emit(); s = ""; next} {s = s "\n" $0}
       function emit() { n++; if (s ~ /tukaani|[Ff]lyway|embedded/) {st++; return}
         if (s ~ /BatchEventProcessor/) bg++; else if (s ~ /disruptor|logging[.]log4j/) lg++
         if (s ~ /HttpObservation/) obs++; if (s ~ /HttpMetrics|micrometer/) met++ }
       END {emit(); m = n - st; printf "  %d samples (%d at startup): logging thread %.0f%%, logging on request threads %.0f%%, HttpObservation (metrics, span, access line) %.0f%%, metrics %.0f%%\n", n, st, 100*bg/m, 100*lg/m, 100*obs/m, 100*met/m}' "$WORK/samples.txt"
  echo "  top frames:"
  awk '/stackTrace = \[/ {getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); top[$0]++; n++} END {for (f in top) printf "%6.1f%%  %s\n", 100*top[f]/n, f}' \
    "$WORK/samples.txt" | sort -rn | head -15
fi
