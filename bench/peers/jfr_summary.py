"""Summarises a JFR recording: where the CPU goes (Java samples by top frame and by any frame, native
samples) and what allocates (sampled bytes by top application frame and by class).
Usage: python3 jfr_summary.py RECORDING.jfr [TOP=25]"""
import collections
import json
import subprocess
import sys

rec = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(
    ["jfr", "print", "--json", "--stack-depth", "96", "--events",
     "jdk.ExecutionSample,jdk.NativeMethodSample,jdk.ObjectAllocationSample", rec],
    check=True, capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]


def frames(e):
    st = e["values"].get("stackTrace") or {}
    for f in st.get("frames") or []:
        m = f["method"]
        yield m["type"]["name"] + "." + m["name"]


def boring(name):
    return name.startswith(("java.", "jdk.", "sun.", "org.xnio.", "io.undertow.server.protocol",
                            "com.fasterxml.", "ch.qos."))


cpu_self, cpu_any, native, alloc_site, alloc_class = (collections.Counter() for _ in range(5))
threads = collections.Counter()
n_cpu = n_native = 0
for e in events:
    t = e["type"]
    fs = list(frames(e))
    if t == "jdk.ExecutionSample":
        n_cpu += 1
        if fs:
            cpu_self[fs[0]] += 1
        for f in set(fs):
            cpu_any[f] += 1
        th = (e["values"].get("sampledThread") or {}).get("javaName") or "?"
        threads[th.rstrip("0123456789")] += 1
    elif t == "jdk.NativeMethodSample":
        n_native += 1
        if fs:
            native[fs[0]] += 1
    elif t == "jdk.ObjectAllocationSample":
        w = e["values"].get("weight", 0)
        cls = (e["values"].get("objectClass") or {}).get("name", "?")
        alloc_class[cls] += w
        site = next((f for f in fs if not boring(f)), fs[0] if fs else "?")
        alloc_site[site] += w


def show(title, counter, total, unit="%"):
    print(f"== {title}")
    for k, v in counter.most_common(top):
        if unit == "%":
            print(f"{100.0 * v / max(total, 1):6.1f}%  {k}")
        else:
            print(f"{v / 1048576:9.1f} MiB  {k}")


print(f"JFR {rec}: {n_cpu} Java CPU samples, {n_native} native samples")
show("Java CPU samples by thread", threads, n_cpu)
show("Java CPU: top frame (self)", cpu_self, n_cpu)
show("Java CPU: any frame (inclusive)", cpu_any, n_cpu)
show("native samples: top Java frame (threads in native code, running or waiting)", native, n_native)
total = sum(alloc_class.values())
print(f"== allocation: {total / 1048576:.0f} MiB sampled weight")
show("allocation by first application frame", alloc_site, total, unit="MiB")
show("allocation by class", alloc_class, total, unit="MiB")
