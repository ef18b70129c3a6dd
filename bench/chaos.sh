#!/usr/bin/env bash
# PostgreSQL chaos under load: a throwaway cluster of the installed binaries (initdb, pg_ctl; as the
# postgres user when run as root) in a temporary folder on a free loopback port, an Augur server on
# its history, and N clients sending predictions with unique ids (a new id after a 503). Scenarios:
# a fast restart, a crash (stop -m immediate, then start with crash recovery), a stop of S seconds.
# Prints per scenario the requests, 503s, 500s, other failures, how long the database was down, how
# long after it was back every client had a 200 again, and readiness; then acknowledged ids vs rows
# (lost, rows never acknowledged). Nothing shared is touched; the cluster is deleted at the end.
#
# Usage: bench/chaos.sh [clients=16] [stop-seconds=10]      (AUGUR_PG_BIN names another bin folder)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then  # BENCH_SKIP_BUILD=1 when the test classes are built
  mvn -q -o -Dspotless.check.skip=true -pl server-adapter -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/chaos-deps.txt -Dmdep.includeScope=test >/dev/null
fi
CP="server-adapter/target/test-classes:server-adapter/target/classes:core/target/test-classes:core/target/classes"
CP="$CP:charts/target/classes:persistence/target/test-classes:persistence/target/classes"
CP="$CP:$(cat server-adapter/target/chaos-deps.txt)"
java -Dai.djl.offline=true -Dlogback.configurationFile=core/src/test/resources/logback-test.xml \
  -cp "$CP" dev.augur.server.PostgresChaos "$@" 2>&1 | grep -E '^\||^acknowledged|^  '
