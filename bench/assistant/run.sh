#!/usr/bin/env bash
# Plaza assistant streaming benchmark: added latency vs. calling the fake upstream directly, same run.
# Usage: [SKIP_BUILD=1] bench/assistant/run.sh [-Dconcurrency=50 -Drounds=10 -Dwarmup=20 -DperUser=3 -Dtokens=20 -DtokenMs=10 -Dusers=1]
# SKIP_BUILD=1 reuses the classes and classpath of the last build. Plaza runs in a child JVM
# (its log: modules/assistant/target/assistant-bench-plaza.log); -DplazaJvmArgs="..." adds options to it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ -z "${SKIP_BUILD:-}" ] || [ ! -f modules/assistant/target/assistant-bench.classpath ]; then
    # One reactor build: platform and testing resolve to this worktree's modules and their
    # dependencies, never to whatever snapshot is in the shared local repository.
    ./mvnw -B -q -o -pl modules/assistant -am test-compile dependency:build-classpath -DskipTests \
        -Dmdep.includeScope=test -Dmdep.outputFile=target/assistant-bench.classpath >/dev/null
fi
CP="modules/assistant/target/classes:modules/platform/target/classes:modules/testing/target/classes:$(cat modules/assistant/target/assistant-bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx1g "$@" -cp "$CP" bench/assistant/AssistantBench.java
