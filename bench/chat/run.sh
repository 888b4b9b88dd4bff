#!/usr/bin/env bash
# Chat benchmark: two chat servers on one embedded PostgreSQL, 2,000 WebSocket clients in groups
# of 20, a fixed publish rate; then the plain JDBC INSERT+NOTIFY ceiling on the same database.
# Usage: bench/chat/run.sh [-Dconnections=2000] [-DgroupSize=20] [-Drate=500] [-Dseconds=30] [-Dwarmup=5] [-Dbody=100]
#        [-Dpool=10] [-DserverHeap=768m] [-DserverGc=Z|G1|Parallel] (env CLIENT_JAVA_OPTS for the driver JVM, default -XX:+UseZGC) [-DconnectConcurrency=16]
# Prints the report at the end; server logs go to a temp folder named in the output.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -B -o -q -pl modules/chat,modules/standalone -am package -DskipTests
fi
# The driver runs from source on standalone's classpath (embedded PostgreSQL, pgjdbc, nimbus).
exec "$JAVA_HOME/bin/java" -Xmx1g ${CLIENT_JAVA_OPTS:--XX:+UseZGC} -cp "modules/standalone/target/libs/*" "$@" bench/chat/ChatBench.java
