#!/usr/bin/env bash
# Topology test: the cluster on one machine. Every service runs as its own JVM with the env the chart gives
# it (read from a `helm template` render), against real PostgreSQL and MariaDB (Debian packages) initialised
# by the chart's own init scripts, behind an nginx that routes the Ingress's paths (REST + WebSocket),
# with two chat replicas and a real Prometheus scraping every observe port.
#   scripts/topology-test.sh              run it (skips, exit 0, when no service jar is built yet)
#   scripts/topology-test.sh --infra-only databases, nginx and Prometheus only (tests this harness)
# Env: KEEP=1 keeps the work dir; TOPOLOGY_BASE_PORT (default 18000).
# Ends with "N passed, M failed"; stops everything it started.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
INFRA_ONLY=0; [[ "${1:-}" == "--infra-only" ]] && INFRA_ONLY=1
BASE=${TOPOLOGY_BASE_PORT:-18000}
PROXY_PORT=$((BASE + 80)); PG_PORT=$((BASE + 432)); MY_PORT=$((BASE + 306)); PROM_PORT=$((BASE + 90))
ORIGIN="http://127.0.0.1:$PROXY_PORT"
SERVICES=(auth chat assistant catalog recipe events recommend web)
declare -A REPLICAS=([chat]=2)

PASSED=0; FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
log() { echo "[topology] $*" >&2; }

# --- which services exist --------------------------------------------------------------------
declare -A HAVE=()
for s in "${SERVICES[@]}"; do
  jar="modules/$s/target/plaza-$s.jar"
  if [[ -f "$jar" && -d "modules/$s/target/libs" ]]; then HAVE[$s]=1
  elif [[ -d "modules/$s" ]]; then log "SKIP $s: $jar not built (./mvnw -DskipTests package)"
  fi
done
if [[ $INFRA_ONLY == 0 && -z "${HAVE[auth]:-}" ]]; then
  echo "topology-test: SKIPPED — the auth service jar is not built (every flow needs its tokens); built: ${!HAVE[*]:-none}"
  exit 0
fi

# --- tools ---------------------------------------------------------------------------------
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x "$JAVA_HOME/bin/java" ]] || JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
JAVA="$JAVA_HOME/bin/java"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
need=()
[[ -n "$PG_BIN" && -x "$PG_BIN/postgres" ]] || need+=(postgresql)
command -v mariadbd >/dev/null || need+=(mariadb-server)
command -v nginx >/dev/null || need+=(nginx-light)
command -v prometheus >/dev/null || need+=(prometheus)
if (( ${#need[@]} )); then
  [[ $(id -u) == 0 ]] || { echo "topology-test: needs ${need[*]} (run as root to apt-get install them)"; exit 1; }
  log "apt-get install ${need[*]}"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 || exit 1
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi
scripts/install-k8s-tools.sh --no-promtool >/dev/null || exit 1
JAVA_HOME="$JAVA_HOME" ./mvnw -q -B -f tools/chart-check/pom.xml compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null 2>&1 \
  || { echo "topology-test: cannot build tools/chart-check"; exit 1; }
CC() { "$JAVA" -cp "$ROOT/tools/chart-check/target/classes:$(cat "$ROOT/tools/chart-check/target/cp.txt")" plaza.chartcheck.ChartCheck "$@" 2>/dev/null; }

# --- work dir, cleanup ----------------------------------------------------------------------
WORK=$(mktemp -d /tmp/plaza-topology.XXXXXX); chmod 755 "$WORK"; mkdir -p "$WORK/logs"
PIDS=()
cleanup() {
  log "stopping"
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do kill "${PIDS[$i]}" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
  done
  [[ -f "$WORK/pg/data/postmaster.pid" ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
started=$(date +%s)
wait_http() { # url seconds
  for _ in $(seq 1 "$2"); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 1; done; return 1
}

# --- render: the env and routes the chart gives (chat with REPLICAS[chat] replicas) ---------------
render="$WORK/render.yaml"
enable=()
for s in "${!HAVE[@]}"; do enable+=(--set "services.$s.enabled=true"); done
.tools/bin/helm template plaza helm/plaza -n plaza --set ingress.enabled=true --set "config.allowedOrigins=$ORIGIN" \
  -f helm/plaza/ci/ingress-values.yaml --set services.chat.autoscaling.enabled=false \
  >"$render" || { fail "helm template"; exit 1; }
PG_PASSWORD=$(openssl rand -hex 16); MY_PASSWORD=$(openssl rand -hex 16); MY_ROOT_PASSWORD=$(openssl rand -hex 16)
ADMIN_PASSWORD=$(openssl rand -hex 12); RECOMMEND_SECRET=$(openssl rand -hex 32)

# --- PostgreSQL, initialised by the chart's init script ------------------------------------------
mkdir -p "$WORK/pg/run"; chown -R postgres "$WORK/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >"$WORK/logs/initdb.log" 2>&1
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/postgresql.log" -w \
  -o "-p $PG_PORT -k $WORK/pg/run -c listen_addresses=127.0.0.1" start >/dev/null
check "PostgreSQL started" test -f "$WORK/pg/data/postmaster.pid"
CC configmap "$render" plaza-postgresql-init 10-plaza-databases.sh >"$WORK/pg-init.sh"; chmod 755 "$WORK/pg-init.sh"
pg_dbs=$(CC env "$render" postgresql | sed -n 's/^PLAZA_DATABASES=//p')
check "PostgreSQL init script of the chart" runuser -u postgres -- env POSTGRES_USER=postgres PLAZA_DB_USER=plaza \
  PLAZA_DB_PASSWORD="$PG_PASSWORD" PLAZA_DATABASES="$pg_dbs" PGHOST="$WORK/pg/run" PGPORT="$PG_PORT" "$WORK/pg-init.sh"

# --- MariaDB, initialised like the official image + the chart's init script --------------------------
mkdir -p "$WORK/my/data"; chown -R mysql "$WORK/my" 2>/dev/null || true
mariadb-install-db --user=mysql --datadir="$WORK/my/data" --auth-root-authentication-method=socket >"$WORK/logs/mariadb-install.log" 2>&1
mariadbd --user=mysql --datadir="$WORK/my/data" --socket="$WORK/my/mysqld.sock" --port="$MY_PORT" --bind-address=127.0.0.1 \
  --pid-file="$WORK/my/mysqld.pid" --skip-log-bin >"$WORK/logs/mariadb.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do [[ -S "$WORK/my/mysqld.sock" ]] && break; sleep 0.5; done
check "MariaDB started" mariadb --socket="$WORK/my/mysqld.sock" -uroot -e "SELECT 1" -s
# like the official image: root gets MARIADB_ROOT_PASSWORD, MARIADB_USER is created before the init scripts run
mariadb --socket="$WORK/my/mysqld.sock" -uroot -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$MY_ROOT_PASSWORD');"
mariadb --socket="$WORK/my/mysqld.sock" -uroot -e "CREATE USER IF NOT EXISTS 'plaza'@'%' IDENTIFIED BY '$MY_PASSWORD'; CREATE USER IF NOT EXISTS 'plaza'@'localhost' IDENTIFIED BY '$MY_PASSWORD';"
CC configmap "$render" plaza-mariadb-init 10-plaza-databases.sh >"$WORK/my-init.sh"; chmod 755 "$WORK/my-init.sh"
my_dbs=$(CC env "$render" mariadb | sed -n 's/^PLAZA_DATABASES=//p')
printf '[client]\nsocket=%s\n' "$WORK/my/mysqld.sock" >"$WORK/my/.my.cnf"   # the client ignores MYSQL_UNIX_PORT under Debian's config
check "MariaDB init script of the chart" env HOME="$WORK/my" MARIADB_ROOT_PASSWORD="$MY_ROOT_PASSWORD" \
  MARIADB_USER=plaza PLAZA_DATABASES="$my_dbs" sh -c "'$WORK/my-init.sh' >'$WORK/logs/my-init.log' 2>&1" || cat "$WORK/logs/my-init.log"
mariadb --socket="$WORK/my/mysqld.sock" -uroot -e "GRANT ALL PRIVILEGES ON \`plaza\\_%\`.* TO 'plaza'@'localhost'" 2>/dev/null
for db in $pg_dbs; do check "PostgreSQL database $db" sh -c "PGPASSWORD='$PG_PASSWORD' psql -h 127.0.0.1 -p $PG_PORT -U plaza -d $db -tAc 'select 1' | grep -q 1"; done
for db in $my_dbs; do check "MariaDB database $db" mariadb -h 127.0.0.1 -P "$MY_PORT" -uplaza -p"$MY_PASSWORD" -D "$db" -e "SELECT 1" -s; done

# --- the services ------------------------------------------------------------------------------
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/signing-key.pem" 2>/dev/null
declare -A INSTANCES=()   # service -> "http:observe http:observe"
next_port=$((BASE + 100))
for s in "${SERVICES[@]}"; do
  [[ -n "${HAVE[$s]:-}" && $INFRA_ONLY == 0 ]] || continue
  for r in $(seq 1 "${REPLICAS[$s]:-1}"); do
    http=$next_port; observe=$((next_port + 1)); next_port=$((next_port + 2))
    INSTANCES[$s]="${INSTANCES[$s]:-} $http:$observe"
    envfile="$WORK/$s-$r.env"
    CC env "$render" "$s" | grep -v '^#' | sed \
      -e "s#^PORT=.*#PORT=$http#" -e "s#^PLAZA_OBSERVE_PORT=.*#PLAZA_OBSERVE_PORT=$observe#" \
      -e "s#jdbc:postgresql://[^/]*/#jdbc:postgresql://127.0.0.1:$PG_PORT/#" \
      -e "s#jdbc:mariadb://[^/]*/#jdbc:mariadb://127.0.0.1:$MY_PORT/#" \
      -e "s#^PLAZA_JWT_JWKS_URI=http://[^/]*/#PLAZA_JWT_JWKS_URI=http://127.0.0.1:$((BASE + 100))/#" \
      -e "s#^AUTH_SIGNING_KEY_FILE=.*#AUTH_SIGNING_KEY_FILE=$WORK/signing-key.pem#" \
      -e "s#^JAVA_TOOL_OPTIONS=.*#&  -Xmx256m -Djava.io.tmpdir=$WORK#" \
      | sed -E "s/'/'\\\\''/g; s/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/\\1='\\2'/" >"$envfile" # values with spaces and <> are sourced below
    case "$(grep '^DB_URL=' "$envfile")" in
      *postgresql*) echo "DB_PASSWORD=$PG_PASSWORD" >>"$envfile" ;;
      *mariadb*) echo "DB_PASSWORD=$MY_PASSWORD" >>"$envfile" ;;
    esac
    [[ $s == auth ]] && echo "AUTH_ADMIN_PASSWORD=$ADMIN_PASSWORD" >>"$envfile"
    # recommend's OAuth client: the chart puts one secret into auth's and recommend's env from its Secret
    [[ $s == auth ]] && echo "AUTH_OAUTH_CLIENTS_9_SECRET=$RECOMMEND_SECRET" >>"$envfile"
    [[ $s == recommend ]] && echo "RECOMMEND_CLIENT_SECRET=$RECOMMEND_SECRET" >>"$envfile"
    [[ $s == assistant ]] && { echo "ASSISTANT_PROVIDER_BASE_URL=http://127.0.0.1:$PROXY_PORT/_provider"; echo "ASSISTANT_PROVIDER_API_KEY=topology"; } >>"$envfile"
    log "start $s#$r on $http (observe $observe)"
    ( set -a; . "$envfile"; set +a; exec "$JAVA" -jar "modules/$s/target/plaza-$s.jar" ) >"$WORK/logs/$s-$r.log" 2>&1 &
    PIDS+=($!)
  done
  # auth first: the others fetch its JWKS
  if [[ $s == auth ]]; then wait_http "http://127.0.0.1:$((BASE + 101))/observe/health/ready" 120; fi
done
for s in "${!INSTANCES[@]}"; do
  for inst in ${INSTANCES[$s]}; do
    check "$s on ${inst%%:*} ready (/observe/health/ready on ${inst##*:})" wait_http "http://127.0.0.1:${inst##*:}/observe/health/ready" 180 \
      || tail -n 30 "$WORK/logs/$s-"*.log
  done
done

# --- nginx with the Ingress's routes ---------------------------------------------------------------
{
  echo "worker_processes 1; pid $WORK/nginx.pid; error_log $WORK/logs/nginx-error.log;"
  echo "events { worker_connections 1024; }"
  echo "http {"
  echo "  access_log $WORK/logs/nginx-access.log combined;"
  echo "  log_format upstream '\$request_uri \$status \$upstream_addr';"
  echo "  access_log $WORK/logs/nginx-upstream.log upstream;"
  echo "  client_body_temp_path $WORK/nginx-body; proxy_temp_path $WORK/nginx-proxy;"
  echo "  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }"
  for s in "${!INSTANCES[@]}"; do
    echo "  upstream plaza-$s {"; for inst in ${INSTANCES[$s]}; do echo "    server 127.0.0.1:${inst%%:*};"; done; echo "  }"
  done
  echo "  server {"
  echo "    listen 127.0.0.1:$PROXY_PORT;"
  echo "    proxy_http_version 1.1; proxy_set_header Upgrade \$http_upgrade; proxy_set_header Connection \$connection_upgrade;"
  echo "    proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
  echo "    proxy_read_timeout 3600s; proxy_send_timeout 3600s;"
  echo "    location = /_provider/chat/completions { default_type application/json; return 200 '{\"id\":\"t\",\"object\":\"chat.completion\",\"model\":\"topology\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello from the topology stub\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":5,\"total_tokens\":6}}'; }"
  CC routes "$render" | while read -r path svc _port; do
    comp=${svc#plaza-}
    [[ -n "${INSTANCES[$comp]:-}" ]] || continue
    echo "    location $path { proxy_pass http://$svc; }"
  done
  [[ -n "${INSTANCES[web]:-}" ]] || echo "    location / { return 404; }"   # with web, "/" is its route
  echo "  }"
  echo "}"
} >"$WORK/nginx.conf"
nginx -t -c "$WORK/nginx.conf" -p "$WORK" >"$WORK/logs/nginx-t.log" 2>&1; check "nginx config from the Ingress routes" test $? = 0 || cat "$WORK/logs/nginx-t.log"
nginx -c "$WORK/nginx.conf" -p "$WORK" -g 'daemon off;' >"$WORK/logs/nginx.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 20); do curl -s -o /dev/null "http://127.0.0.1:$PROXY_PORT/" && break; sleep 0.3; done
check "nginx answers on $PROXY_PORT" sh -c "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PROXY_PORT/kok/nowhere | grep -q 404"

# --- Prometheus scraping every observe port ----------------------------------------------------------
{
  echo "global: {scrape_interval: 2s, evaluation_interval: 2s}"
  echo "scrape_configs:"
  echo "  - job_name: prometheus"
  echo "    static_configs: [{targets: ['127.0.0.1:$PROM_PORT']}]"
  for s in "${!INSTANCES[@]}"; do
    echo "  - job_name: plaza-$s"
    echo "    metrics_path: /observe/metrics"
    echo "    static_configs:"
    echo "      - labels: {plaza_service: $s, namespace: topology}"
    echo -n "        targets: ["; sep=""; for inst in ${INSTANCES[$s]}; do echo -n "$sep'127.0.0.1:${inst##*:}'"; sep=", "; done; echo "]"
  done
} >"$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" --web.listen-address="127.0.0.1:$PROM_PORT" \
  >"$WORK/logs/prometheus.log" 2>&1 &
PIDS+=($!)
check "Prometheus ready" wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 60

# --- flows through the proxy -----------------------------------------------------------------------
P="http://127.0.0.1:$PROXY_PORT"
json_token() { sed -nE 's/.*"(access_token|accessToken|token)"[[:space:]]*:[[:space:]]*"([^"]+)".*/\2/p'; }
if [[ $INFRA_ONLY == 0 ]]; then
  check "GET /health through the proxy" sh -c "curl -fsS $P/health | grep -q ok"
  check "GET /api/v1/echo through the proxy" sh -c "curl -fsS '$P/api/v1/echo?q=topology' | grep -q topology"
  TOKENS=()
  for u in alice bob; do
    email="$u-$RANDOM@plaza.test"; pw="Topology-$RANDOM-pass!"
    body="{\"email\":\"$email\",\"password\":\"$pw\",\"name\":\"$u\",\"username\":\"$u$RANDOM\"}"
    check "register $u" sh -c "curl -fsS -o /dev/null -H 'Content-Type: application/json' -H 'Origin: $ORIGIN' -d '$body' $P/auth/register"
    t=$(curl -fsS -H 'Content-Type: application/json' -H "Origin: $ORIGIN" -d "{\"email\":\"$email\",\"password\":\"$pw\"}" "$P/auth/login" | json_token)
    check "log in $u" test -n "$t"
    TOKENS+=("$t")
  done
  if [[ -n "${INSTANCES[chat]:-}" && ${#TOKENS[@]} == 2 ]]; then
    check "chat between two WebSocket clients through the proxy" "$JAVA" tools/topology/WsChat.java "ws://127.0.0.1:$PROXY_PORT/chat/ws" "${TOKENS[0]}" "${TOKENS[1]}" "$ORIGIN"
    n=$(grep '^/chat/ws' "$WORK/logs/nginx-upstream.log" | awk '{print $3}' | sort -u | wc -l)
    check "the two chat clients landed on the two chat replicas ($n distinct upstreams)" test "$n" -ge 2
  fi
  if [[ -n "${INSTANCES[assistant]:-}" ]]; then
    AUTHZ="Authorization: Bearer ${TOKENS[0]:-}"
    cid=$(curl -fsS -H "$AUTHZ" -H 'Content-Type: application/json' -d '{"title":"topology"}' "$P/ai/conversations" \
          | sed -nE 's/.*"id":"([^"]+)".*/\1/p')
    check "AI conversation created through the proxy" test -n "$cid"
    check "AI message answered through the proxy (OpenAI-compatible stub provider behind nginx)" sh -c "curl -fsS -H '$AUTHZ' -H 'Content-Type: application/json' \
      -d '{\"content\":\"hello from the topology test\"}' $P/ai/conversations/$cid/messages | grep -q '\"output_tokens\"'"
  fi
  if [[ -n "${INSTANCES[events]:-}" && -n "${TOKENS[0]:-}" ]]; then
    AUTHZ="Authorization: Bearer ${TOKENS[0]}"
    mid="topology-$RANDOM$RANDOM"
    check "events: track through the proxy (committed: 200)" sh -c "curl -fsS -H '$AUTHZ' -H 'Content-Type: application/json' -H 'Origin: $ORIGIN' \
      -d '{\"messageId\":\"$mid\",\"event\":\"Topology Checked\",\"properties\":{\"via\":\"nginx\"}}' $P/events/v1/track | grep -q '\"success\":true'"
    check "events: the track is in /events/me through the proxy" sh -c "curl -fsS -H '$AUTHZ' '$P/events/me?event=Topology%20Checked' | grep -q '$mid'"
    check "events: anonymous page through the proxy" sh -c "curl -fsS -H 'Content-Type: application/json' \
      -d '{\"anonymousId\":\"topology-anon\",\"name\":\"Home\"}' $P/events/page | grep -q '\"success\":true'"
  fi
  if [[ -n "${INSTANCES[web]:-}" ]]; then
    check "web: / through the proxy is the app, under its CSP" sh -c "curl -fsS -D '$WORK/web-headers.txt' $P/ | grep -q '<html lang=' \
      && grep -qi '^content-security-policy:.*frame-ancestors' '$WORK/web-headers.txt'"
    asset=$(curl -fsS "$P/" | grep -oE '/app/[^"]+\.js' | head -n1)
    check "web: its script $asset through the proxy" sh -c "test -n '$asset' && curl -fsS -o /dev/null $P$asset"
  fi
  if [[ -n "${INSTANCES[recommend]:-}" ]]; then
    check "recommend: trending through the proxy (a recommId, from its own model)" sh -c "curl -fsS '$P/recommend/trending' | grep -q '\"recommId\"'"
  fi
  if [[ -n "${INSTANCES[catalog]:-}" ]]; then
    # demo data is off by default in the chart, so the answer may be empty; it must still be a search result
    check "catalog search through the proxy" sh -c "curl -fsS '$P/kok/products?q=%EA%B9%80%EC%B9%98&sort=popular' | grep -q '\"total\"'"
  fi
fi

# --- Prometheus: every target up, HTTP metrics present ----------------------------------------------
sleep 5
q() { curl -fsS --get "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1"; }
expected=1; for s in "${!INSTANCES[@]}"; do for _ in ${INSTANCES[$s]}; do expected=$((expected + 1)); done; done
for _ in $(seq 1 15); do q 'count(up == 1)' | grep -q "\"$expected\"\]" && break; sleep 1; done
check "Prometheus: all $expected targets up" sh -c "curl -fsS --get http://127.0.0.1:$PROM_PORT/api/v1/query --data-urlencode 'query=count(up == 1)' | grep -q '\"$expected\"\\]'"
if [[ $INFRA_ONLY == 0 ]]; then
  check "Prometheus: http_server_requests_total scraped" sh -c "curl -fsS --get http://127.0.0.1:$PROM_PORT/api/v1/query --data-urlencode 'query=count(http_server_requests_total)' | grep -q '\"result\":\\[{'"
  check "Prometheus: http_server_request_duration_seconds_bucket scraped" sh -c "curl -fsS --get http://127.0.0.1:$PROM_PORT/api/v1/query --data-urlencode 'query=count(http_server_request_duration_seconds_bucket)' | grep -q '\"result\":\\[{'"
  [[ -n "${INSTANCES[chat]:-}" ]] && check "Prometheus: chat_websocket_connections scraped" sh -c "curl -fsS --get http://127.0.0.1:$PROM_PORT/api/v1/query --data-urlencode 'query=count(chat_websocket_connections)' | grep -q '\"result\":\\[{'"
  # Every instance's exposition as Prometheus' linter reads it (snake_case, no quantiles, _count only on histograms).
  for s in "${!INSTANCES[@]}"; do
    for inst in ${INSTANCES[$s]}; do
      lint="$WORK/promtool-$s-${inst#*:}"
      check "promtool check metrics: $s on ${inst#*:}" sh -c "curl -fsS -o '$lint.txt' http://127.0.0.1:${inst#*:}/observe/metrics \
        && promtool check metrics <'$lint.txt' >'$lint.log' 2>&1 && ! grep -q . '$lint.log' || { cat '$lint.log' >&2; exit 1; }"
    done
  done
  [[ -n "${INSTANCES[events]:-}" ]] && check "Prometheus: events_stored_total scraped" sh -c "curl -fsS --get http://127.0.0.1:$PROM_PORT/api/v1/query --data-urlencode 'query=count(events_stored_total)' | grep -q '\"result\":\\[{'"
fi
if [[ $INFRA_ONLY == 0 ]]; then
  # What the chart deploys logs like this too: one JSON object per line, the access log with the request's trace.
  check "service logs: JSON lines, access log with trace ids (auth)" \
    grep -q '^{"ts":.*"logger":"plaza.access".*"trace_id":"[0-9a-f]\{32\}"' "$WORK"/logs/auth-*.log
fi
(( FAILED )) && for f in "$WORK"/logs/*.log "$WORK"/pg/*.log; do echo "--- $f"; tail -n 15 "$f"; done | head -n 200
echo "topology-test took $(( $(date +%s) - started )) s"
echo "$PASSED passed, $FAILED failed"
(( FAILED == 0 ))
