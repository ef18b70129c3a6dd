#!/usr/bin/env bash
# Retention benchmark (SQLite and the PostgreSQL of AUGUR_TEST_POSTGRES): purge 1M old rows while 16
# writers record. Usage: bench/retention.sh [rows] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -pl core,persistence test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
CP="persistence/target/test-classes:persistence/target/classes:core/target/classes:$(cat persistence/target/test-cp.txt)"
java -Dlogback.configurationFile=core/src/test/resources/logback-test.xml -cp "$CP" dev.augur.persistence.bench.RetentionBenchMain "$@" 2>&1 | grep -E '^\|'
