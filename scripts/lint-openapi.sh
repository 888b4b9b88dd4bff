#!/usr/bin/env bash
# Lints the OpenAPI descriptions every Plaza server serves (each service's and standalone's merged one), and the
# AsyncAPI 3.0 documents of the two WebSocket protocols (served as written at /asyncapi/<service>), with Redocly
# CLI's recommended rules (Redocly checks AsyncAPI 3.0's structure too): zero errors required (warnings are printed). Needs the built standalone
# (./mvnw package) for the class path; Redocly comes from npm into .tools/node. Offline and not installed:
# says so and exits 0, unless PLAZA_REQUIRE_REDOCLY=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
REDOCLY_VERSION=2.77.0
REDOCLY="$ROOT/.tools/node/node_modules/.bin/redocly"
OUT="$ROOT/.tools/out/openapi"

if [[ ! -x "$REDOCLY" ]] || ! "$REDOCLY" --version 2>/dev/null | grep -q "$REDOCLY_VERSION"; then
  mkdir -p "$ROOT/.tools/node"
  if ! npm install --prefix "$ROOT/.tools/node" --no-audit --no-fund --silent "@redocly/cli@$REDOCLY_VERSION" >/dev/null 2>&1; then
    if [[ "${PLAZA_REQUIRE_REDOCLY:-0}" == 1 ]]; then
      echo "lint-openapi: could not install @redocly/cli@$REDOCLY_VERSION from npm" >&2; exit 1
    fi
    echo "lint-openapi: SKIPPED (@redocly/cli not installed and npm not reachable)"; exit 0
  fi
fi

JAR=modules/standalone/target/plaza-standalone.jar
[[ -f "$JAR" ]] || { echo "lint-openapi: build first (./mvnw package -DskipTests): no $JAR" >&2; exit 1; }
rm -rf "$OUT"
java -cp "$JAR:modules/standalone/target/libs/*" plaza.platform.openapi.ApiDescriptions "$OUT" auth chat assistant catalog recipe events

for service in chat assistant; do
  cp "modules/$service/src/main/resources/META-INF/asyncapi/$service.yaml" "$OUT/asyncapi-$service.yaml"
done

status=0
for f in "$OUT"/*.yaml; do
  if "$REDOCLY" lint --config "$ROOT/redocly.yaml" --format=stylish "$f" >"$f.lint" 2>&1; then
    echo "lint-openapi: $(basename "$f") ok ($(grep -c 'warning ' "$f.lint" || true) warnings)"
  else
    echo "lint-openapi: $(basename "$f") FAILED"; grep -E ' error ' "$f.lint" | sed 's/^/    /'; status=1
  fi
done
exit $status
