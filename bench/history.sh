#!/usr/bin/env bash
# History store benchmark (SQLite and the PostgreSQL on 127.0.0.1:5432). Usage: bench/history.sh [seconds] [rows]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -pl core,persistence test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
CP="persistence/target/test-classes:persistence/target/classes:core/target/classes:$(cat persistence/target/test-cp.txt)"
java -Dlogback.configurationFile=core/src/test/resources/logback-test.xml -cp "$CP" dev.augur.persistence.bench.HistoryBenchMain "$@" 2>&1 | grep -E '^\|'
