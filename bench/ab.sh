#!/usr/bin/env bash
# Two builds of the standalone jar side by side in one run: POST /models/titanic/predict with the
# tutorial body and unique ids (bench/peers/ids.lua), wrk over loopback, 64 connections. Each side
# is warmed 60 s, then both are measured in turn for 15 s, twice. Loopback only; bounded; both
# servers are stopped at the end.
#
# Usage: bench/ab.sh OLD.jar NEW.jar     (build one: git worktree add /tmp/old REV && cd /tmp/old &&
#                                          mvn -q -DskipTests package; the jar is
#                                          server-adapter/target/augur-server.jar; copy it aside)
# Run it with nothing else busy on the machine: only ratios within one run compare.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1"); new=$(realpath "$2")
work=$(mktemp -d)
root=$(pwd)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['example']))" \
  samples/models/titanic/1/model.json > "$work/observation.json"
start() { # jar port
  mkdir -p "$work/$2"
  (cd "$work/$2" && exec java -Dai.djl.offline=true -jar "$1" --models "$root/samples/models" \
    --default-model titanic --port "$2" > "$work/$2/log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 120); do
    curl -sf "localhost:$2/health/ready" > /dev/null && return
    sleep 1
  done
  echo "the server on port $2 did not get ready: $work/$2/log" >&2
  exit 1
}
start "$old" 18501
start "$new" 18502
run=0
measure() { # port seconds
  run=$((run + 1))
  wrk -t2 -c64 -d"$2"s --timeout 10s --latency -s bench/peers/ids.lua \
    "http://127.0.0.1:$1/models/titanic/predict" -- $((run * 100000000000)) "$work/observation.json"
}
for port in 18501 18502; do measure $port 60 > /dev/null; done
for round in 1 2; do
  for side in old new; do
    port=$([ $side = old ] && echo 18501 || echo 18502)
    printf '%s (round %d): ' $side $round
    measure $port 15 | awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2}
      /Non-2xx/ {bad=$NF} END {printf "%s req/s, p50 %s, p99 %s, non-2xx %s\n", rps, p50, p99, bad+0}'
  done
done
