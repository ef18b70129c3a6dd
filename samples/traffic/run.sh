#!/usr/bin/env bash
# Champion, challenger and shadow, end to end: serves the sample Titanic MLP as version 1 and the
# sample random forest as version 2 of one model, with a config file that splits the requests
# 90/10 and runs version 2 as a shadow of version 1; sends the 329 held-out passengers under their
# own ids, posts each one's true outcome, and prints what each version answered and its quality
# measured on the same requests. Loopback only; the server is stopped at the end.
#
# Usage (from the repository root, after `mvn -DskipTests package`): samples/traffic/run.sh [port]
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT="${1:-18480}"
JAR=server-adapter/target/augur-server.jar
[ -f "$JAR" ] || { echo "build the server first: mvn -q -DskipTests package" >&2; exit 1; }
WORK="$(mktemp -d)"
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

# one model, two versions
mkdir -p "$WORK/models/titanic/1" "$WORK/models/titanic/2"
cp samples/models/titanic/1/model.json samples/models/titanic/1/model.pt samples/models/titanic/1/profile.json \
  "$WORK/models/titanic/1/"
cp samples/models/titanic_forest/1/model.onnx "$WORK/models/titanic/2/"
sed -e 's/"name": "titanic_forest"/"name": "titanic"/' -e 's/"version": "1"/"version": "2"/' \
  samples/models/titanic_forest/1/model.json > "$WORK/models/titanic/2/model.json"

cat > "$WORK/augur.json" <<JSON
{"models": {"titanic": {"default_version": "1", "traffic": {"1": 90, "2": 10}, "shadow": "2"}}}
JSON

java -jar "$JAR" --models "$WORK/models" --config "$WORK/augur.json" --port "$PORT" --host 127.0.0.1 \
  --data-dir "$WORK/data" --access-log off > "$WORK/server.log" 2>&1 &
SERVER=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 120); do
  curl -sf "$BASE/health/ready" > /dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.5
done

# every held-out passenger under its own id, then its true outcome
python3 - "$BASE" samples/models/titanic/1/test.csv "$WORK/v1" <<'PY'
import csv, json, sys, urllib.request
base, path = sys.argv[1], sys.argv[2]
def call(method, url, body):
    req = urllib.request.Request(base + url, data=json.dumps(body).encode(), method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
answered = {}
with open(path, newline="") as fh:
    for i, row in enumerate(csv.DictReader(fh)):
        truth = row.pop("target")
        obs = {k: (None if v == "" else float(v) if k in ("age", "fare", "sibsp", "parch") else v)
               for k, v in row.items()}
        p = call("POST", "/models/titanic/predict", {"id": f"passenger-{i}", "observation": obs})
        answered[p["version"]] = answered.get(p["version"], 0) + 1
        call("PUT", f"/models/titanic/predictions/passenger-{i}/outcome", {"outcome": truth})
print("answered by version:", json.dumps(answered, sort_keys=True))
with open(sys.argv[3], "w") as fh:
    fh.write(str(answered.get("1", 0)))
PY

# the shadow (version 2) predicts what version 1 answered, off the request path: give it a moment
V1=$(cat "$WORK/v1")
for _ in $(seq 60); do
  n=$(curl -s "$BASE/models/titanic/predictions?n=1000&shadow=true" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
  [ "$n" -ge "$V1" ] && break
  sleep 0.5
done
echo "shadow predictions recorded: $n"
for v in 1 2; do
  echo "quality of version $v: $(curl -s "$BASE/models/titanic/quality?version=$v" | python3 -c \
    'import json,sys; q=json.load(sys.stdin); m=q["metrics"]; print("labelled", q["labelled"], "accuracy", round(m["accuracy"], 3), "brier", round(m["brier"], 3))')"
done
curl -s "$BASE/metrics" | grep '^augur_shadow_predictions_total' || true
