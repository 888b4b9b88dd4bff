#!/usr/bin/env bash
# Plaza recommend: offline evaluation on the demo month, and the speed run at ~10,000 products / ~1,000,000 events.
# Usage: [SKIP_BUILD=1] bench/recommend/run.sh [-Dmode=quality|speed] [-Dcopies=17 -Dshoppers=17000 -Dseconds=10]
# The machine is shared: the speed run takes a few minutes and ~3 GB of heap.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ -z "${SKIP_BUILD:-}" ] || [ ! -f modules/standalone/target/recommend-bench.classpath ]; then
    # One reactor build: the modules resolve to this worktree's classes, not the shared local repository.
    ./mvnw -B -q -o -pl modules/standalone -am compile dependency:build-classpath -DskipTests \
        -Dmdep.outputFile=target/recommend-bench.classpath >/dev/null
fi
CP="modules/recommend/target/classes:modules/events/target/classes:modules/catalog/target/classes:modules/recipe/target/classes:modules/platform/target/classes:$(cat modules/standalone/target/recommend-bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx3g "$@" -cp "$CP" bench/recommend/RecommendBench.java
