"""A reference implementation of Augur's drift PSI (DESIGN.md "Drift"), written from the spec
alone, in plain Python: PsiReferenceTest checks the Java values against it to 1e-9.

Usage: python3 psi_reference.py psi_cases.json  -> {"case": psi, ...} on stdout
"""
import json
import math
import sys

FLOOR = 0.0001


def quantile(sorted_values, p):
    # numpy's default ("linear", type 7)
    h = (len(sorted_values) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def psi(ref, cur):
    return sum((max(c, FLOOR) - max(r, FLOOR)) * math.log(max(c, FLOOR) / max(r, FLOOR))
               for r, c in zip(ref, cur))


def numeric_shares(values, edges):
    shares = [0.0] * (len(edges) + 2)  # the bins, then null
    for v in values:
        if v is None:
            shares[-1] += 1
        else:
            shares[sum(1 for e in edges if e <= v)] += 1
    return [s / len(values) for s in shares] if values else shares


def numeric_psi(reference, current):
    present = sorted(v for v in reference if v is not None)
    edges = []
    if present:
        for i in range(1, 10):
            e = quantile(present, i / 10)
            if not edges or e > edges[-1]:
                edges.append(e)
    return psi(numeric_shares(reference, edges), numeric_shares(current, edges))


def key(v):
    return None if v is None else ("true" if v is True else "false" if v is False else str(v))


def categorical_psi(reference, current):
    keys = sorted({key(v) for v in reference + current}, key=lambda k: (k is None, k or ""))
    def shares(values):
        return [sum(1 for v in values if key(v) == k) / len(values) for k in keys]
    return psi(shares(reference), shares(current))


cases = json.load(open(sys.argv[1]))
out = {}
for name, case in cases.items():
    f = numeric_psi if case["numeric"] else categorical_psi
    out[name] = f(case["reference"], case["current"])
print(json.dumps(out))
