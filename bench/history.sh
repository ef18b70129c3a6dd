#!/usr/bin/env bash
# History store benchmark (SQLite and the PostgreSQL of AUGUR_TEST_POSTGRES, default 127.0.0.1:5432/test).
# Usage: bench/history.sh [seconds] [rows, 0: writes only] [sqlite,postgresql]
# BENCH_SKIP_BUILD=1 when the test classes are built; JAVA_OPTS adds JVM options (e.g. a JFR recording).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${BENCH_SKIP_BUILD:-}" ] || mvn -q -pl core,persistence -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
CP="persistence/target/test-classes:persistence/target/classes:core/target/classes:$(cat persistence/target/test-cp.txt)"
java ${JAVA_OPTS:-} -Dlogback.configurationFile=core/src/test/resources/logback-test.xml -cp "$CP" dev.augur.persistence.bench.HistoryBenchMain "$@" 2>&1 | grep -E '^\|'
