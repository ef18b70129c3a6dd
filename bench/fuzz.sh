#!/usr/bin/env bash
# Long fuzzing soak: the standalone server as the README starts it (the six sample models, the
# stocks source, a durable SQLite history in a temporary folder) in a JVM of its own with a bounded
# heap and -XX:+ExitOnOutOfMemoryError, on a free loopback port; FuzzMain sends N hostile requests
# (dev.augur.server.HostileRequests: JSON mutations, V2 tensors, query parameters, headers, sizes,
# encodings, across every route) from THREADS keep-alive connections and prints, per 100,000
# requests, the statuses and the server's RSS. Pass: no 5xx other than 503, the server alive and
# ready at the end, its RSS back within 25% of where it was after the warm-up once the load stops
# (it waits up to 60 s for the heap to be given back).
#
# Usage: bench/fuzz.sh [N=100000] [SEED=20261130] [THREADS=8] [HEAP=768m]
# FUZZ_DEADLINE=<epoch seconds>: stop at the first round of 20,000 ending after it, with the figures
# of what was sent.
# Loopback only, bounded (N requests, a 60 s read timeout each); the server is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SEED=${2:-20261130}
THREADS=${3:-8}
HEAP=${4:-768m}
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then  # BENCH_SKIP_BUILD=1 when the jar and test classes are built
  mvn -q -DskipTests -Dspotless.check.skip=true -pl core,charts,persistence,server-adapter -am package >/dev/null
  mvn -q -Dspotless.check.skip=true -pl server-adapter -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/fuzz-deps.txt -Dmdep.includeScope=test >/dev/null
fi
CP="server-adapter/target/test-classes:server-adapter/target/classes:core/target/classes:charts/target/classes:persistence/target/classes:$(cat server-adapter/target/fuzz-deps.txt)"
DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
# As the container image runs it (Dockerfile): G1's periodic collection gives unused heap back and
# glibc's malloc is trimmed when the load stops, so the RSS can settle. Native memory tracking
# (summary) shows, at the end, which part of the JVM grew. FUZZ_JVM_OPTS adds options.
java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -XX:G1PeriodicGCInterval=5000 -XX:TrimNativeHeapInterval=5000 \
  -XX:NativeMemoryTracking=summary ${FUZZ_JVM_OPTS:-} -Dai.djl.offline=true -jar server-adapter/target/augur-server.jar \
  --models samples/models --default-model titanic --host 127.0.0.1 --port "$PORT" --data-dir "$DATA" \
  --access-log off >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 240); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break
  kill -0 $SERVER 2>/dev/null || { cat "$DATA/server.log"; exit 1; }
  sleep 0.5
done
echo "server pid $SERVER on 127.0.0.1:$PORT, heap $HEAP; $N requests, seed $SEED, $THREADS connections"
jcmd $SERVER VM.native_memory baseline >/dev/null 2>&1 || true
STATUS=0
java -Xmx512m -Dlogback.configurationFile=core/src/test/resources/logback-test.xml -cp "$CP" \
  dev.augur.server.FuzzMain "$PORT" "$N" "$SEED" "$THREADS" "$SERVER" "${FUZZ_DEADLINE:-}" || STATUS=$?
kill -0 $SERVER 2>/dev/null && echo "server alive" || { echo "server died"; STATUS=1; }
echo "native memory against the baseline taken when the server was ready (committed KB):"
jcmd $SERVER VM.native_memory summary.diff 2>/dev/null | grep -E "^(Total|-)|committed=" | grep -E "^Total|^-" || true
echo "logged unexpected failures: $(grep -c 'unexpected failure' "$DATA/server.log" || true)"
kill $SERVER 2>/dev/null || true
wait $SERVER 2>/dev/null || true
rm -rf "$DATA"
trap - EXIT
exit $STATUS
