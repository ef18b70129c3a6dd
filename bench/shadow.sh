#!/usr/bin/env bash
# Shadow benchmark: the answers' p50/p99 with and without a shadow version (two versions of the
# sample Titanic model, durable SQLite history, closed-loop clients over loopback, rounds
# alternating off, on without yielding to the answers, and on). Usage: bench/shadow.sh [seconds per round] [rounds] [clients,...]
# Run it with nothing else busy on the machine: only ratios within one run compare.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  mvn -q -o -Dspotless.check.skip=true -pl server-adapter -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-deps.txt -Dmdep.includeScope=test >/dev/null
fi
CP="server-adapter/target/test-classes:server-adapter/target/classes:core/target/classes:charts/target/classes:persistence/target/classes:$(cat server-adapter/target/bench-deps.txt)"
java -Dai.djl.offline=true -Dlogback.configurationFile=core/src/test/resources/logback-test.xml \
  -cp "$CP" dev.augur.server.bench.ShadowBenchMain "$@" 2>&1 | grep -E '^\|'
