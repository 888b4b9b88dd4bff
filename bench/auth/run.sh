#!/usr/bin/env bash
# auth benchmark: login throughput vs the raw Argon2id hash rate, and GET /users/me vs GET /health.
# Usage: bench/auth/run.sh [seconds-per-phase, default 10]   (SKIP_BUILD=1 to reuse the last build)
# Starts standalone Plaza on 127.0.0.1:${BENCH_PORT:-18480} with a throw-away data directory and rate limits
# off, runs AuthBench.java against it, then stops it. BENCH_JAVA_OPTS adds JVM options to the server.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
SECS=${1:-10}
PORT=${BENCH_PORT:-18480}
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -o -pl modules/standalone -am package -DskipTests
fi
DATA=$(mktemp -d /tmp/plaza-auth-bench.XXXXXX)
"$JAVA" --enable-native-access=ALL-UNNAMED \
  -Dserver.port="$PORT" -Dserver.host=127.0.0.1 -Dstandalone.data-dir="$DATA" \
  -Dplaza.access-log.enabled=false -Dauth.rate-limit.enabled=false ${BENCH_JAVA_OPTS:-} \
  -jar modules/standalone/target/plaza-standalone.jar >"$DATA/server.log" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 240); do
  if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$PID" 2>/dev/null; then cat "$DATA/server.log"; exit 1; fi
  sleep 0.5
done
# The service's processes: the JVM and the embedded MariaDB it started (for CPU-normalised rates).
PIDS="$PID,$(pgrep -d, -P "$PID" mariadbd || true)"
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "modules/standalone/target/libs/*" bench/auth/AuthBench.java "http://127.0.0.1:$PORT" "$SECS" "$PIDS"
