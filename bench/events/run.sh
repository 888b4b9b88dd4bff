#!/usr/bin/env bash
# Plaza events ingestion benchmark, one run on one embedded PostgreSQL:
#   1. events/s through HTTP: CONNECTIONS clients POST /events/batch with BATCH events each, for SECONDS
#   2. events/s of plain COPY (CopyManager, CSV) of the same rows into the same `events` table
#   3. single-event POST /events/track paced at RATE events/s for SECONDS: p50/p99/max latency
# Usage: [SKIP_BUILD=1] bench/events/run.sh [-Dconnections=64 -Dbatch=100 -Dseconds=10 -Drate=2000]
# The machine is shared: keep -Dseconds short. Server, clients and PostgreSQL share this machine's cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ -z "${SKIP_BUILD:-}" ] || [ ! -f modules/events/target/events-bench.classpath ]; then
    # One reactor build: platform and testing resolve to this worktree's modules, not the shared local repository.
    ./mvnw -B -q -o -pl modules/events -am test-compile dependency:build-classpath -DskipTests \
        -Dmdep.includeScope=test -Dmdep.outputFile=target/events-bench.classpath >/dev/null
fi
CP="modules/events/target/classes:modules/platform/target/classes:modules/testing/target/classes:$(cat modules/events/target/events-bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx1g "$@" -cp "$CP" bench/events/EventsBench.java
