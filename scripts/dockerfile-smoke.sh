#!/usr/bin/env bash
# No Docker engine here: run the Dockerfile's own build commands and entrypoint on the host and check that
# they give a runnable service (the jar's manifest finds its libs/, the main class starts).
#   scripts/dockerfile-smoke.sh [SERVICE...]   (default: every modules/<s> the Dockerfile can build)
# Skips (exit 0) a service whose module does not exist yet. Ends with "N passed, M failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x "$JAVA_HOME/bin/java" ]] || JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export JAVA_HOME
PASSED=0; FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }

services=("$@")
if (( ${#services[@]} == 0 )); then
  for d in modules/*/; do s=$(basename "$d"); [[ -f "$d/src/main/java/plaza/$s/Main.java" ]] && services+=("$s"); done
fi
if (( ${#services[@]} == 0 )); then echo "dockerfile-smoke: SKIPPED — no service module yet"; echo "0 passed, 0 failed"; exit 0; fi

# The build stage's commands, as the Dockerfile writes them: the `mvn … package` RUN and its copies into /app.
build_cmd=$(awk '/^RUN /{b=""; r=1} r{b=b" "$0} r&&!/\\$/{r=0; if (b ~ /mvn .* package/) print b}' Dockerfile \
  | sed -e 's/\\$//' -e 's/ \\ / /g' -e 's/^ *RUN *//' -e 's/--mount=[^ ]* *//g')
entry=$(sed -n 's/^ENTRYPOINT \[\(.*\)\]/\1/p' Dockerfile | tr -d '"' | tr ',' ' ')
jto=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' Dockerfile)
[[ -n "${SMOKE_DEBUG:-}" ]] && { echo "build: $build_cmd"; echo "entry: $entry"; echo "jto: $jto"; }
[[ -n "$build_cmd" && -n "$entry" ]] || { fail "parse Dockerfile (build command / ENTRYPOINT)"; echo "$PASSED passed, $FAILED failed"; exit 1; }

for s in "${services[@]}"; do
  [[ -d "modules/$s" ]] || { echo "SKIP $s: modules/$s does not exist yet"; continue; }
  work=$(mktemp -d /tmp/plaza-smoke.XXXXXX)
  git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work"        # the build context, committed files only
  cmd=${build_cmd//mvn /.\/mvnw }; cmd=${cmd// \/app/ $work\/app}; cmd=${cmd//\$\{SERVICE\}/$s}
  if (cd "$work" && bash -c "$cmd") >"$work/build.log" 2>&1; then pass "$s: Dockerfile build commands"; else
    fail "$s: Dockerfile build commands"; tail -n 20 "$work/build.log"; rm -rf "$work"; continue; fi
  run=${entry// \/app/ $work\/app}
  (cd "$work/app" && env -i PATH="$JAVA_HOME/bin:/usr/bin:/bin" JAVA_TOOL_OPTIONS="$jto" PORT=18580 PLAZA_OBSERVE_PORT=18581 \
     DB_URL="jdbc:postgresql://127.0.0.1:1/none" $run) >"$work/run.log" 2>&1 &
  pid=$!
  ok=0
  for _ in $(seq 1 20); do
    curl -fsS -o /dev/null http://127.0.0.1:18580/health 2>/dev/null && { ok=1; break; }
    kill -0 $pid 2>/dev/null || break
    sleep 1
  done
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  if grep -qE 'ClassNotFoundException|NoClassDefFoundError|Could not find or load main class|no main manifest attribute' "$work/run.log"; then
    fail "$s: the image's entrypoint starts the service"; head -n 20 "$work/run.log"
  elif (( ok )) || grep -q "$s" "$work/run.log"; then
    pass "$s: the image's entrypoint starts the service$( ((ok)) || echo ' (no database here: started, then stopped on its DB)')"
  else
    fail "$s: the image's entrypoint starts the service"; head -n 20 "$work/run.log"
  fi
  rm -rf "$work"
done
echo "$PASSED passed, $FAILED failed"
(( FAILED == 0 ))
