#!/usr/bin/env bash
# Overload: the standalone server as the README starts it (the sample models, a durable SQLite
# history in a temporary folder, default limits) in a JVM of its own, flooded over loopback by
# CONNECTIONS keep-alive connections posting titanic predictions back to back for SECONDS, while
# one more connection asks /health/live every 50 ms on the main port and one on the probe port
# (--probe-port) (dev.augur.server.OverloadMain, one selector
# thread, as wrk drives its connections). Prints the accepted requests' latency (p50/p99/max), the
# 503s and whether each had Retry-After, any other status, and the liveness latency.
#
# Usage: bench/overload.sh [CONNECTIONS=1024] [SECONDS=20] [HEAP=768m]
# Loopback only, bounded (SECONDS of load, 30 s read timeout); the server is stopped at the end.
# Needs about 2*CONNECTIONS+512 open files (ulimit -n); run it with the machine to itself.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-1024}
SECONDS_=${2:-20}
HEAP=${3:-768m}
if [ "$(ulimit -n)" -lt $((2 * CONNECTIONS + 512)) ]; then
  ulimit -n $((2 * CONNECTIONS + 512)) || { echo "raise ulimit -n to $((2 * CONNECTIONS + 512))"; exit 1; }
fi
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then  # BENCH_SKIP_BUILD=1 when the jar and test classes are built
  mvn -q -DskipTests -Dspotless.check.skip=true -pl core,charts,persistence,server-adapter -am package >/dev/null
  mvn -q -Dspotless.check.skip=true -pl server-adapter -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/fuzz-deps.txt -Dmdep.includeScope=test >/dev/null
fi
CP="server-adapter/target/test-classes:server-adapter/target/classes:core/target/classes:charts/target/classes:persistence/target/classes:$(cat server-adapter/target/fuzz-deps.txt)"
DATA=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port)
PROBE_PORT=$(free_port)
java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -Dai.djl.offline=true -jar server-adapter/target/augur-server.jar \
  --models samples/models --default-model titanic --host 127.0.0.1 --port "$PORT" --probe-port "$PROBE_PORT" --data-dir "$DATA" \
  --access-log off >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 240); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break
  kill -0 $SERVER 2>/dev/null || { cat "$DATA/server.log"; exit 1; }
  sleep 0.5
done
BODY='{"gender": "female", "age": 29, "class": "1st", "embarked": "S", "fare": 211}'
# warm-up: a few seconds at a load the server takes in full
java -Xmx256m -cp "$CP" dev.augur.server.OverloadMain "$PORT" 16 5 /models/titanic/predict "$BODY" >/dev/null || true
echo "server pid $SERVER on 127.0.0.1:$PORT, heap $HEAP; $CONNECTIONS connections for $SECONDS_ s"
STATUS=0
java -Xmx512m -cp "$CP" dev.augur.server.OverloadMain "$PORT" "$CONNECTIONS" "$SECONDS_" \
  /models/titanic/predict "$BODY" "$PROBE_PORT" || STATUS=$?
kill -0 $SERVER 2>/dev/null && echo "server alive" || { echo "server died"; STATUS=1; }
echo "logged unexpected failures: $(grep -c 'unexpected failure' "$DATA/server.log" || true)"
exit $STATUS
