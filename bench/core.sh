#!/usr/bin/env bash
# Runs the core benchmarks: JMH (overhead vs raw DJL, 64-caller throughput), model load time and
# memory, and the 1,000,000-prediction soak. Usage: bench/core.sh [jmh|load|soak|all] [jmh args...]
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}; shift || true
mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/core-test-cp.txt -Dmdep.includeScope=test >/dev/null
CP="core/target/test-classes:core/target/classes:$(cat core/target/core-test-cp.txt)"
JAVA="java -Dai.djl.offline=true -Dlogback.configurationFile=core/src/test/resources/logback-test.xml"
case $what in
  jmh)  $JAVA -cp "$CP" org.openjdk.jmh.Main "$@" ;;
  load) $JAVA -cp "$CP" dev.augur.core.bench.LoadMain "$@" ;;
  soak) $JAVA -Xmx256m -cp "$CP" dev.augur.core.bench.SoakMain "$@" ;;
  all)
    $JAVA -cp "$CP" org.openjdk.jmh.Main OverheadBenchmark ThroughputBenchmark "$@"
    $JAVA -cp "$CP" dev.augur.core.bench.LoadMain
    $JAVA -Xmx256m -cp "$CP" dev.augur.core.bench.SoakMain 1000000 ;;
esac
