#!/usr/bin/env bash
# Product search benchmark, each round in one run: (a) the service's SQL over plain JDBC (same pool),
# (b) the in-memory search index in-process (no HTTP), (c) the catalog service over HTTP (wrk).
# Usage: bench/catalog/run.sh [products=10000] [connections=64] [seconds=20] [rounds=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
N=${1:-10000}; C=${2:-64}; S=${3:-20}; R=${4:-2}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
# always repackage: stale jars in target/libs would benchmark old code
./mvnw -B -o -q -pl modules/standalone -am package -DskipTests
DATA=$(mktemp -d)/products.jsonl
python3 tools/demo-data/generate.py --products "$N" --out "$DATA"
"$JAVA_HOME/bin/java" -Xmx1g -Djava.util.logging.config.file=bench/catalog/logging.properties -Dplaza.log.level=WARN \
  -cp "modules/standalone/target/libs/*" bench/catalog/CatalogSearchBench.java "$DATA" "$C" "$S" "$R"
