#!/usr/bin/env bash
# HTTP benchmark over loopback with wrk (apt-get install wrk): Augur with its durable SQLite history
# against two bare Undertow baselines, side by side in one run. Bounded: every run lasts SECONDS.
# Usage: bench/http.sh [SECONDS=15] [CONNECTIONS=16,64]
# BENCH_JAVA_OPTS=-Daugur.bench.history=false runs Augur without its history, to see what recording costs.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
mvn -q -pl core,charts,persistence,server-adapter test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/server-test-cp.txt -Dmdep.includeScope=test >/dev/null
CP="server-adapter/target/test-classes:server-adapter/target/classes:core/target/classes:charts/target/classes:persistence/target/classes:$(cat server-adapter/target/server-test-cp.txt)"
exec java ${BENCH_JAVA_OPTS:-} -Dai.djl.offline=true -Djava.awt.headless=true \
  -Dlogback.configurationFile=server-adapter/src/main/resources/dev/augur/server/logback-text.xml \
  -cp "$CP" dev.augur.server.bench.HttpBenchMain "${1:-15}" "${2:-16,64}"
