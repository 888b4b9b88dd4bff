#!/usr/bin/env bash
# Soak: bench/load's mixed journeys at a steady rate for a long time against a fresh standalone, sampling every
# 10 s its RSS, heap after GC (G1 old generation in use, which only changes at collections), threads, open file
# descriptors, the connection pools' connections (= the databases' connections from Plaza) and each embedded
# database's size on disk. Passes when, after the settling time, no series grows by more than 10 % and no request
# failed. Writes samples.csv and soak.png (XChart) to target/bench-soak/.
#   bench/soak/run.sh [journeys/s (default 7: about 70 % of the knee bench/load found)] [seconds (default 1800)]
#   SETTLE=300 (s not judged: JIT, caches, pools filling)   e.g. a try: SETTLE=60 bench/soak/run.sh 7 180
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE="${1:-7}"; DURATION="${2:-1800}"; SETTLE="${SETTLE:-300}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"; export JAVA_HOME; JAVA="$JAVA_HOME/bin/java"
OUT="$PWD/target/bench-soak"; rm -rf "$OUT"; mkdir -p "$OUT"
PORT="${PORT:-18380}"
cleanup() {
  set +e
  [[ -n "${LOAD_PID:-}" ]] && kill "$LOAD_PID" 2>/dev/null
  [[ -n "${PLAZA_PID:-}" ]] && { kill "$PLAZA_PID"; wait "$PLAZA_PID" 2>/dev/null; }
}
trap cleanup EXIT

XCHART="$HOME/.m2/repository/org/knowm/xchart/xchart/3.8.8/xchart-3.8.8.jar"
[[ -f "$XCHART" ]] || ./mvnw -q -B org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get -Dartifact=org.knowm.xchart:xchart:3.8.8
JAR=modules/standalone/target/plaza-standalone.jar
[[ -f "$JAR" ]] || ./mvnw -q -B package -DskipTests
STANDALONE_DATA_DIR="$OUT/data" PORT=$PORT AUTH_RATE_LIMIT_ENABLED=false \
  ASSISTANT_QUOTA_DAILY_TOKENS=0 ASSISTANT_QUOTA_MONTHLY_TOKENS=0 \
  "$JAVA" -jar "$JAR" > "$OUT/plaza.log" 2>&1 &
PLAZA_PID=$!
for _ in $(seq 1 900); do
  grep -q "Plaza is ready in" "$OUT/plaza.log" 2>/dev/null && break
  kill -0 "$PLAZA_PID" 2>/dev/null || { cat "$OUT/plaza.log"; exit 1; }
  sleep 0.2
done
echo "standalone ready (pid $PLAZA_PID); $RATE journeys/s for $DURATION s, settling $SETTLE s"

./mvnw -q -B -f bench/load/pom.xml gatling:test -Dbase="http://127.0.0.1:$PORT" -Drate="$RATE" -Dduration="$DURATION" \
  > "$OUT/gatling.log" 2>&1 &
LOAD_PID=$!

metric() { # sum of a Prometheus metric's series
  awk -v m="$1" '$1 ~ "^"m"[{ ]" || $1 == m {s += $2} END {print s + 0}' "$OUT/metrics.txt"
}
echo "seconds,rss_mb,heap_after_gc_mb,threads,open_files,pool_connections,postgres_mb,mariadb_mb" > "$OUT/samples.csv"
START=$(date +%s)
while kill -0 "$LOAD_PID" 2>/dev/null; do
  t=$(( $(date +%s) - START ))
  rss=$(awk '/VmRSS/ {print $2 / 1024}' /proc/$PLAZA_PID/status)
  threads=$(awk '/Threads/ {print $2}' /proc/$PLAZA_PID/status)
  fds=$(ls /proc/$PLAZA_PID/fd | wc -l)
  old=$("$JAVA_HOME/bin/jstat" -gc "$PLAZA_PID" | awk 'NR == 2 {print $10 / 1024}') # OU: old generation used, KB
  curl -s "http://127.0.0.1:$PORT/observe/metrics" > "$OUT/metrics.txt" || true
  pool=$(( $(metric db_pool_connections_active | cut -d. -f1) + $(metric db_pool_connections_idle | cut -d. -f1) ))
  pg=$(du -sk "$OUT/data/postgres" 2>/dev/null | awk '{print $1 / 1024}')
  maria=$(du -sk "$OUT/data/mariadb" 2>/dev/null | awk '{print $1 / 1024}')
  echo "$t,$rss,$old,$threads,$fds,$pool,$pg,$maria" >> "$OUT/samples.csv"
  sleep 10
done
wait "$LOAD_PID" || true
report=$(ls -td bench/load/target/gatling/shopsimulation-*/ | head -1)
failed=$(grep -oE 'count of failed events is [0-9.]+' "$OUT/gatling.log" | grep -oE '[0-9.]+$' || echo "?")
echo "requests failed: ${failed} (Gatling report: $report/index.html)"
verdict=0
"$JAVA" -cp "$XCHART" bench/soak/Plot.java "$OUT/samples.csv" "$OUT/soak.png" "$SETTLE" || verdict=1
[[ "$failed" == 0 || "$failed" == 0.0 ]] || verdict=1
echo "samples: $OUT/samples.csv"
[[ $verdict == 0 ]] && echo "PASS" || echo "FAIL"
exit $verdict
