#!/usr/bin/env bash
# The benchmark users would run (the headline of bench/): the standalone jar started as the README
# starts it (access log on, durable SQLite history, client ids, POST /predict with the tutorial
# body), with its peers side by side in one run: the same jar with the access log off, a bare
# Undertow handler running one DJL forward per request with no database, the tutorials' Flask +
# peewee + SQLite app under gunicorn with the same TorchScript model, and R ggplot2 drawing the same
# forecast chart. Each side is timed to ready and measured cold, then warmed 60 s, then measured.
# Loopback only; every run is bounded; the servers are stopped at the end.
#
# Usage: bench/server.sh [--sides augur,augur-nolog,bare,flask] [--cold 10] [--warmup 60]
#          [--seconds 10] [--connections 16,64] [--rounds 1] [--charts true] [--soak 0]
#          [--port 18400] [--java java] [--jvm-opts "..."]   (the last two apply to Augur's sides)
# Run it with nothing else busy on the machine: only ratios within one run compare.
set -euo pipefail
cd "$(dirname "$0")/.."
bench/peers/install.sh
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then  # BENCH_SKIP_BUILD=1 when the jar and test classes are built
  mvn -q -DskipTests -Dspotless.check.skip=true -pl core,charts,persistence,server-adapter -am package >/dev/null
  mvn -q -Dspotless.check.skip=true -pl server-adapter -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-deps.txt -Dmdep.includeScope=test >/dev/null
fi
echo "server-adapter/target/test-classes:server-adapter/target/classes:core/target/classes:charts/target/classes:persistence/target/classes:$(cat server-adapter/target/bench-deps.txt)" \
  > server-adapter/target/bench-classpath.txt
exec java -Dai.djl.offline=true \
  -Dlogback.configurationFile=server-adapter/src/main/resources/dev/augur/server/logback-text.xml -cp "$(cat server-adapter/target/bench-classpath.txt)" \
  dev.augur.server.bench.ServerBenchMain "$@"
