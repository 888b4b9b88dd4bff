#!/usr/bin/env bash
# Mixed load of user journeys (ShopSimulation, Gatling Java DSL) against a fresh standalone, at one or more
# arrival rates; prints per step req/s, p50/p95/p99 and errors from Gatling's own report, and the knee: the
# highest rate at which every step's p99 < 100 ms with no errors (the streamed assistant reply, which lasts as
# long as the model writes, on errors only).
#   bench/load/run.sh [rates, journeys/s (default "5 10 20 40")] [seconds per rate (default 60)]
#   WARMUP=30 (s at the first rate, not reported)   BASE=http://host:port (use a running Plaza instead: standalone or the topology's gateway; rate limits and
#   assistant quotas must then be off there as below)   KEEP=1 (leave the standalone running)
# One client address stands in for many shoppers, so standalone runs with auth's per-IP rate limits and the
# assistant's token quotas off. Gatling's HTML reports: bench/load/target/gatling/shopsimulation-*/index.html.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATES="${1:-5 10 20 40}"; DURATION="${2:-60}"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"; export JAVA_HOME; JAVA="$JAVA_HOME/bin/java"
WORK="$(mktemp -d /tmp/plaza-bench-load.XXXXXX)"
PORT="${PORT:-18280}"
cleanup() {
  set +e
  [[ -n "${PLAZA_PID:-}" && "${KEEP:-0}" != 1 ]] && { kill "$PLAZA_PID"; wait "$PLAZA_PID" 2>/dev/null; }
  [[ -n "${SAMPLER_PID:-}" ]] && kill "$SAMPLER_PID" 2>/dev/null
}
trap cleanup EXIT

if [[ -z "${BASE:-}" ]]; then
  JAR=modules/standalone/target/plaza-standalone.jar
  [[ -f "$JAR" ]] || ./mvnw -q -B package -DskipTests
  STANDALONE_DATA_DIR="$WORK/data" PORT=$PORT AUTH_RATE_LIMIT_ENABLED=false \
    ASSISTANT_QUOTA_DAILY_TOKENS=0 ASSISTANT_QUOTA_MONTHLY_TOKENS=0 \
    "$JAVA" -jar "$JAR" > "$WORK/plaza.log" 2>&1 &
  PLAZA_PID=$!
  for _ in $(seq 1 900); do
    grep -q "Plaza is ready in" "$WORK/plaza.log" 2>/dev/null && break
    kill -0 "$PLAZA_PID" 2>/dev/null || { cat "$WORK/plaza.log"; exit 1; }
    sleep 0.2
  done
  BASE="http://127.0.0.1:$PORT"
  echo "standalone ready at $BASE (log: $WORK/plaza.log)"
fi

summary() { # report's js/stats.js, rate -> table; exit status 0 when within the knee's limits
  python3 - "$1" "$2" <<'PY'
import json, re, sys
# Gatling 3.13 writes its figures as a JavaScript object literal (unquoted keys, numbers as strings).
text = open(sys.argv[1]).read(); text = text[text.index("{"):]; depth = 0
for i, c in enumerate(text):
    depth += {"{": 1, "}": -1}.get(c, 0)
    if depth == 0:
        text = text[:i + 1]; break
def numbers(o):
    if isinstance(o, dict): return {k: numbers(v) for k, v in o.items()}
    if isinstance(o, str) and re.fullmatch(r"-?[0-9.]+", o): return float(o) if "." in o else int(o)
    return 0 if o == "-" else o
stats = numbers(json.loads(re.sub(r'(?m)^(\s*)([A-Za-z_][A-Za-z0-9_]*):', r'\1"\2":', text))); rate = sys.argv[2]
rows, ok = [], True
for r in stats["contents"].values():
    s = r["stats"]
    p99 = s["percentiles4"]["total"]; ko = s["numberOfRequests"]["ko"]
    rows.append((r["name"], s["meanNumberOfRequestsPerSecond"]["total"], s["percentiles1"]["total"],
                 s["percentiles3"]["total"], p99, s["numberOfRequests"]["total"], ko))
    # A streamed assistant reply lasts as long as the model takes to write it: judged on errors only.
    ok = ok and ko == 0 and (p99 < 100 or r["name"] == "assistant: streamed reply")
print(f"\nrate {rate} journeys/s{'' if ok else '   (over the knee: a p99 >= 100 ms or errors)'}")
print(f"  {'step':34} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'count':>7} {'errors':>7}")
for n, rps, p50, p95, p99, count, ko in sorted(rows):
    print(f"  {n:34} {rps:7.1f} {p50:7} {p95:7} {p99:7} {count:7} {ko:7}")
a = stats["stats"]
print(f"  {'all':34} {a['meanNumberOfRequestsPerSecond']['total']:7.1f} {a['percentiles1']['total']:7} "
      f"{a['percentiles3']['total']:7} {a['percentiles4']['total']:7} {a['numberOfRequests']['total']:7} {a['numberOfRequests']['ko']:7}")
sys.exit(0 if ok else 1)
PY
}

# Warm-up (not reported): JIT, connection pools, the databases' caches.
echo "warm-up: ${WARMUP:-30} s at $(echo $RATES | cut -d' ' -f1) journeys/s"
./mvnw -q -B -f bench/load/pom.xml gatling:test -Dbase="$BASE" -Drate="$(echo $RATES | cut -d' ' -f1)" -Dduration="${WARMUP:-30}" \
  > "$WORK/gatling-warmup.log" 2>&1 || true

KNEE=none
for rate in $RATES; do
  if [[ -n "${PLAZA_PID:-}" ]]; then # standalone's CPU ticks (user + system) and the machine's load, every 5 s
    ( while sleep 5; do echo "$(date +%s.%N) $(awk '{print $14 + $15}' /proc/$PLAZA_PID/stat) $(cut -d' ' -f1 /proc/loadavg)"; done ) \
      > "$WORK/cpu-$rate.txt" &
    SAMPLER_PID=$!
  fi
  ./mvnw -q -B -f bench/load/pom.xml gatling:test -Dbase="$BASE" -Drate="$rate" -Dduration="$DURATION" \
    > "$WORK/gatling-$rate.log" 2>&1 || true
  [[ -n "${SAMPLER_PID:-}" ]] && { kill "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""; }
  report=$(ls -td bench/load/target/gatling/shopsimulation-*/ 2>/dev/null | head -1)
  if [[ -z "$report" || ! -f "$report/js/stats.js" ]]; then tail -30 "$WORK/gatling-$rate.log"; exit 1; fi
  if summary "$report/js/stats.js" "$rate"; then KNEE=$rate; fi
  [[ -f "$WORK/cpu-$rate.txt" ]] && awk -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" \
    'NR == 1 {t0 = $1; c0 = $2} {t = $1; c = $2; l += $3; n++}
     END {if (n > 1) printf "  standalone CPU %.0f%% of one core while the rate ran (of %d%%), machine load %.1f\n", 100*(c-c0)/hz/(t-t0), 100*cores, l/n}' \
    "$WORK/cpu-$rate.txt"
  echo "  report: $report/index.html"
done
echo
echo "knee (highest rate tried with every step's p99 < 100 ms and no errors): $KNEE journeys/s"
