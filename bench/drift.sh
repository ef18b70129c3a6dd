#!/usr/bin/env bash
# Drift benchmark (SQLite and the PostgreSQL of AUGUR_TEST_POSTGRES): drift over 1M recorded
# predictions of the sample Titanic model. Usage: bench/drift.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -pl core,persistence test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
CP="persistence/target/test-classes:persistence/target/classes:core/target/classes:$(cat persistence/target/test-cp.txt)"
java -Dlogback.configurationFile=core/src/test/resources/logback-test.xml -cp "$CP" dev.augur.persistence.bench.DriftBenchMain "$@" 2>&1 | grep -E '^\|'
