#!/usr/bin/env bash
# Offline validation of the Helm chart, the Dockerfile and k8s/ (no cluster, no Docker engine needed):
#   1. helm lint --strict for the defaults and every helm/plaza/ci/*-values.yaml
#   2. helm template (Kubernetes 1.35, with the Gateway API and Prometheus operator APIs)
#   3. every core object validated against the Kubernetes 1.35 models (client-java-api), chart rules
#      asserted on the rendered objects (tools/chart-check), custom resources validated with kubernetes-models
#   4. promtool check rules + promtool test rules on the PrometheusRule
#   5. the Dockerfile linted (dockerfile-utils) and its build commands + entrypoint run on the host
#      (scripts/dockerfile-smoke.sh; CHECK_CHART_SMOKE=0 skips that part)
#   6. k8s/plaza.yaml equals a fresh render; k8s/ examples parse
# Prints PASS/FAIL lines and ends with "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CHART=helm/plaza
OUT="$ROOT/.tools/out"
KUBE_VERSION=1.35.0
API_VERSIONS=(--api-versions monitoring.coreos.com/v1 --api-versions gateway.networking.k8s.io/v1)
export JAVA_HOME="${JAVA_HOME:-}"
if [[ -z "$JAVA_HOME" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    [[ -x "$j/bin/java" ]] && { JAVA_HOME="$j"; break; }
  done
fi
JAVA="$JAVA_HOME/bin/java"

PASSED=0; FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
# count the PASS/FAIL lines a sub-check printed (its own summary line is shown, not counted)
absorb() {
  local log="$1" p f
  p=$(grep -c '^PASS' "$log" || true); f=$(grep -c '^FAIL' "$log" || true)
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  grep '^FAIL' "$log" || true
}
finish() {
  echo
  echo "chart-check: $PASSED passed, $FAILED failed"
  echo "$PASSED passed, $FAILED failed"
  [[ "$FAILED" == 0 ]]
  exit $?
}
started=$(date +%s)

echo "== tools"
scripts/install-k8s-tools.sh >/dev/null || { fail "install-k8s-tools.sh"; finish; }
HELM="$ROOT/.tools/bin/helm"
NODE_MODULES="$ROOT/.tools/node/node_modules"
rm -rf "$OUT"; mkdir -p "$OUT/render"

echo "== helm lint --strict"
variants=(default)
for f in "$CHART"/ci/*-values.yaml; do variants+=("$(basename "$f" -values.yaml)"); done
vargs() { [[ "$1" == default ]] || echo "-f $CHART/ci/$1-values.yaml"; }
for v in "${variants[@]}"; do
  # shellcheck disable=SC2046
  if "$HELM" lint --strict "$CHART" $(vargs "$v") --kube-version "$KUBE_VERSION" >"$OUT/lint-$v.log" 2>&1; then
    pass "helm lint --strict ($v)"
  else
    fail "helm lint --strict ($v)"; sed 's/^/    /' "$OUT/lint-$v.log"
  fi
done
# the schema must reject unknown keys and plain secrets
if "$HELM" lint --strict "$CHART" --set services.chat.replicsa=2 >/dev/null 2>&1; then
  fail "values.schema.json rejects an unknown key"; else pass "values.schema.json rejects an unknown key"; fi
if "$HELM" lint --strict "$CHART" --set services.chat.env.DB_PASSWORD=x >/dev/null 2>&1; then
  fail "values.schema.json rejects a secret in plain env"; else pass "values.schema.json rejects a secret in plain env"; fi

echo "== helm template"
for v in "${variants[@]}"; do
  # shellcheck disable=SC2046
  if "$HELM" template plaza "$CHART" -n plaza $(vargs "$v") --kube-version "$KUBE_VERSION" "${API_VERSIONS[@]}" \
      >"$OUT/render/$v.yaml" 2>"$OUT/template-$v.log"; then
    pass "helm template ($v)"
  else
    fail "helm template ($v)"; sed 's/^/    /' "$OUT/template-$v.log"
  fi
done
# without the operator CRDs no ServiceMonitor is rendered and the annotations take over
"$HELM" template plaza "$CHART" -f "$CHART/ci/monitoring-values.yaml" --kube-version "$KUBE_VERSION" >"$OUT/nocrd.yaml" 2>&1
if ! grep -q '^kind: ServiceMonitor' "$OUT/nocrd.yaml" && grep -q 'prometheus.io/scrape' "$OUT/nocrd.yaml"; then
  pass "no monitoring CRDs: scrape annotations instead of a ServiceMonitor"
else
  fail "no monitoring CRDs: scrape annotations instead of a ServiceMonitor"
fi

# mail links and the sign-in page point at the ingress host (https with TLS), the issuer with them
if grep -q 'AUTH_PUBLIC_URL: "https://plaza.example.com"' "$OUT/render/ingress.yaml" \
   && grep -q 'PLAZA_JWT_ISSUER: "https://plaza.example.com"' "$OUT/render/ingress.yaml"; then
  pass "auth's public URL and issuer are the ingress host"
else
  fail "auth's public URL and issuer are the ingress host"
fi

echo "== schema validation and rules on the rendered objects"
if [[ ! -x "$JAVA" ]]; then
  fail "a JDK 21+ for tools/chart-check (set JAVA_HOME)"
elif ! JAVA_HOME="$JAVA_HOME" ./mvnw -q -B -f tools/chart-check/pom.xml compile dependency:build-classpath \
      -Dmdep.outputFile=target/cp.txt >"$OUT/mvn.log" 2>&1; then
  fail "build tools/chart-check"; tail -n 30 "$OUT/mvn.log"
else
  CP="$ROOT/tools/chart-check/target/classes:$(cat tools/chart-check/target/cp.txt)"
  "$JAVA" -cp "$CP" plaza.chartcheck.ChartCheck validate "$OUT/objects" "$OUT"/render/*.yaml >"$OUT/java.log" 2>&1
  absorb "$OUT/java.log"; tail -n1 "$OUT/java.log"
  PLAZA_NODE_MODULES="$NODE_MODULES" node tools/chart-check/validate-crds.mjs "$OUT"/objects/*.crds.json >"$OUT/crds.log" 2>&1
  absorb "$OUT/crds.log"; tail -n1 "$OUT/crds.log"
fi

echo "== promtool"
if ! command -v promtool >/dev/null; then
  fail "promtool installed"
elif [[ ! -s "$OUT/objects/monitoring.rules.yaml" ]]; then
  fail "PrometheusRule rendered in the monitoring variant"
else
  cp "$OUT/objects/monitoring.rules.yaml" "$OUT/objects/rules.yaml"
  cp tools/chart-check/alerts-test.yaml "$OUT/objects/alerts-test.yaml"
  if promtool check rules "$OUT/objects/rules.yaml" >"$OUT/promtool-check.log" 2>&1; then
    pass "promtool check rules"; else fail "promtool check rules"; cat "$OUT/promtool-check.log"; fi
  if (cd "$OUT/objects" && promtool test rules alerts-test.yaml) >"$OUT/promtool-test.log" 2>&1; then
    pass "promtool test rules"; else fail "promtool test rules"; cat "$OUT/promtool-test.log"; fi
fi

echo "== Dockerfile"
if [[ -f Dockerfile ]]; then
  if PLAZA_NODE_MODULES="$NODE_MODULES" node tools/chart-check/lint-dockerfile.mjs Dockerfile >"$OUT/dockerfile.log" 2>&1; then
    absorb "$OUT/dockerfile.log"
  else
    absorb "$OUT/dockerfile.log"; grep -q '^FAIL' "$OUT/dockerfile.log" || { fail "Dockerfile lint"; cat "$OUT/dockerfile.log"; }
  fi
  [[ -f .dockerignore ]] && pass ".dockerignore exists" || fail ".dockerignore exists"
  # the Dockerfile's build commands and entrypoint, run on the host (skips services that do not exist yet)
  if [[ "${CHECK_CHART_SMOKE:-1}" == 1 ]]; then
    scripts/dockerfile-smoke.sh >"$OUT/smoke.log" 2>&1
    absorb "$OUT/smoke.log"; grep -E '^SKIP|SKIPPED' "$OUT/smoke.log" || true
  fi
else
  fail "Dockerfile exists"
fi

echo "== k8s/"
if [[ -f k8s/plaza.yaml ]]; then
  if scripts/render-k8s.sh --check >"$OUT/k8s.log" 2>&1; then
    pass "k8s/plaza.yaml equals a fresh render (scripts/render-k8s.sh)"
  else
    fail "k8s/plaza.yaml equals a fresh render: run scripts/render-k8s.sh"; head -n 20 "$OUT/k8s.log"
  fi
  "$JAVA" -cp "$CP" plaza.chartcheck.ChartCheck validate "$OUT/objects-k8s" k8s/plaza.yaml >"$OUT/k8s-java.log" 2>&1
  absorb "$OUT/k8s-java.log"
  for f in k8s/kind-config.yaml k8s/prometheus-scrape.yaml; do
    if [[ -f "$f" ]] && "$JAVA" -cp "$CP" plaza.chartcheck.ChartCheck parse "$f" >/dev/null 2>&1; then
      pass "$f parses"; else fail "$f parses"; fi
  done
  if command -v promtool >/dev/null && [[ -f k8s/prometheus-scrape.yaml ]]; then
    # Debian's promtool is built without Kubernetes service discovery: check the rest of the config
    # (relabel rules, regexes) with the discovery block swapped for a static target
    sed -e 's/^\( *\)kubernetes_sd_configs:/\1static_configs:/' -e 's/^\( *\)- role: pod/\1- targets: ["127.0.0.1:8081"]/' \
      k8s/prometheus-scrape.yaml >"$OUT/prometheus-scrape.yaml"
    if promtool check config --syntax-only "$OUT/prometheus-scrape.yaml" >"$OUT/promcfg.log" 2>&1; then
      pass "promtool check config k8s/prometheus-scrape.yaml (static discovery)"; else fail "promtool check config k8s/prometheus-scrape.yaml"; cat "$OUT/promcfg.log"; fi
  fi
else
  fail "k8s/plaza.yaml exists"
fi

echo "== took $(( $(date +%s) - started )) s"
finish
