#!/usr/bin/env bash
# Profiles the standalone server as the README starts it, under the headline load (POST /predict
# with unique client ids, wrk -t2 -c64 over loopback): JFR with the 'profile' settings (CPU samples,
# allocation samples, locks) over RECORD seconds after WARMUP seconds of load, plus per-thread CPU
# from /proc over the same window. Prints the hottest methods (self and inclusive), the allocation
# sites, and the threads' CPU. Loopback only, bounded, the server is stopped at the end.
# Usage: bench/profile.sh [WARMUP=60] [RECORD=20] [CONNECTIONS=64] [-- extra server options]
# BENCH_AUGUR_OPTS adds JVM options. WARMUP=0 profiles the first RECORD seconds after ready (the
# cold start of issue 21: how much of the CPU the JIT compilers take then); BENCH_JFR=0 leaves JFR
# out (its start costs CPU of its own in a cold window), keeping the per-thread CPU.
# Run it with nothing else busy on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
warmup=${1:-60}; record=${2:-20}; conns=${3:-64}
shift $(( $# < 3 ? $# : 3 )); [ "${1:-}" = "--" ] && shift
bench/peers/install.sh
[ -f server-adapter/target/augur-server.jar ] || \
  mvn -q -DskipTests -Dspotless.check.skip=true -pl core,charts,persistence,server-adapter -am package
port=${BENCH_PORT:-18450}
dir=$(mktemp -d /tmp/augur-profile.XXXXXX)
python3 -c "import json; print(json.dumps(json.load(open('samples/models/titanic/1/model.json'))['example']))" > "$dir/observation.json"
jfr="$dir/server.jfr"
# the profile settings, with Java sampled every 2 ms instead of 10 ms (more samples on 2 cores)
jfr configure --input profile --output "$dir/profile.jfc" jdk.ExecutionSample#period=2ms >/dev/null
java ${BENCH_AUGUR_OPTS:-} -jar server-adapter/target/augur-server.jar --models samples/models --default-model titanic \
  --host 127.0.0.1 --port "$port" --data-dir "$dir/data" "$@" > "$dir/stdout.log" 2> "$dir/stderr.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -fs "127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done
# CPU ticks of each thread (utime + stime, after the parenthesised name) and its name
threads() { for t in /proc/$pid/task/*; do
  s=$(cat "$t/stat" 2>/dev/null) || continue
  echo "$(echo "${s##*) }" | awk '{print $12 + $13}') $(cat "$t/comm" 2>/dev/null)"; done; }
load() { wrk -t2 -c"$conns" -d"${1}s" --timeout 10s --latency -s bench/peers/ids.lua \
  "http://127.0.0.1:$port/predict" -- "$2" "$dir/observation.json"; }
[ "$warmup" -gt 0 ] && load "$warmup" 0 > "$dir/warmup.txt"
jfr_on=${BENCH_JFR:-1}
[ "$jfr_on" = 1 ] && jcmd $pid JFR.start name=bench settings="$dir/profile.jfc" filename="$jfr" >/dev/null
threads > "$dir/threads.0"
load "$record" 100000000000 > "$dir/wrk.txt"
threads > "$dir/threads.1"
[ "$jfr_on" = 1 ] && jcmd $pid JFR.stop name=bench filename="$jfr" >/dev/null
kill $pid; wait $pid || true
trap - EXIT
echo "== wrk during the recording ($record s, c=$conns, after $warmup s of load)"
grep -E "Requests/sec|99%|50%|Non-2xx" "$dir/wrk.txt" || true
echo "== CPU by thread over the recording ($record s; % of one core; threads grouped by name; 200% = both cores)"
python3 - "$dir/threads.0" "$dir/threads.1" "$record" <<'PY'
import re, sys, collections
def read(p):
    d = {}
    for line in open(p):
        parts = line.split(" ", 1)
        if len(parts) == 2 and parts[0].isdigit():
            d.setdefault(parts[1].strip(), []).append(int(parts[0]))
    return d
a, b, secs = read(sys.argv[1]), read(sys.argv[2]), float(sys.argv[3])
groups = collections.Counter()
for name, ticks in b.items():
    before = sum(a.get(name, []))
    groups[re.sub(r"[-#]?\d+$", "-N", name)] += max(0, sum(ticks) - before)
print(f"{sum(groups.values()) / secs:6.1f}%  (the whole process)")
for name, t in groups.most_common(15):
    print(f"{100.0 * t / 100 / secs:6.1f}%  {name}")
PY
if [ "$jfr_on" = 1 ]; then
  python3 bench/peers/jfr_summary.py "$jfr"
  echo "(recording: $jfr)"
fi
