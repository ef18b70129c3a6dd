"""Shared helpers of the sample training scripts.

The encoders below implement the documented preprocessing rules of docs/model-package.md
("Feature types and exact preprocessing"), so the tensors a model is trained on are the tensors
Augur builds from the same raw fields at serving time. Every script trains on the output of
`encode_rows(manifest_inputs, rows)`, i.e. on exactly what the manifest it writes describes.
"""
import csv
import json
import os
import random
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.dirname(HERE)
MODELS = os.path.join(SAMPLES, "models")
DATA = os.path.join(SAMPLES, "data")
# Where the original data sets live, to refresh samples/data from (optional): the scripts train on
# the copies in samples/data, so they run from any clone.
SOURCE_DATA = os.environ.get("AUGUR_SOURCE_DATA")


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def copy_data(name, files, extra_readme=""):
    """The folder samples/data/NAME holding the data set's files, relative to this repository.

    With AUGUR_SOURCE_DATA set (a folder of data sets, NAME/FILE with NAME/README.md), the files and
    their README with the licence are first copied from there, refreshing the repository's copies.
    """
    dst = os.path.join(DATA, name)
    if SOURCE_DATA:
        src = os.path.join(SOURCE_DATA, name)
        os.makedirs(dst, exist_ok=True)
        for f in list(files) + ["README.md"]:
            shutil.copyfile(os.path.join(src, f), os.path.join(dst, f))
            os.chmod(os.path.join(dst, f), 0o644)
        if extra_readme:
            with open(os.path.join(dst, "README.md"), "a", encoding="utf-8") as fh:
                fh.write("\n" + extra_readme)
    missing = [f for f in files if not os.path.isfile(os.path.join(dst, f))]
    if missing:
        raise SystemExit(f"{dst} lacks {missing}: the repository's copy is incomplete "
                         "(set AUGUR_SOURCE_DATA to a folder of the original data sets)")
    return dst


def stratified_test_indices(y, seed, share=0.25):
    """The held-out rows: `share` of each class of y, drawn with a fixed seed (the titanic samples)."""
    rng = np.random.RandomState(seed)
    test_idx = []
    for c in (0, 1):
        idx = np.flatnonzero(y == c)
        rng.shuffle(idx)
        test_idx.extend(idx[: round(len(idx) * share)].tolist())
    return test_idx


def model_dir(name, version="1"):
    d = os.path.join(MODELS, name, version)
    os.makedirs(d, exist_ok=True)
    return d


# ---------------------------------------------------------------- the documented encoders

def _num(v):
    return float(v)


def enc_number(f, v):
    x = f["impute"] if v is None or v == "" else _num(v)
    if "scale" in f:
        x = (x - f["scale"]["mean"]) / f["scale"]["std"]
    return [x]


def enc_boolean(f, v):
    if isinstance(v, str):
        v = v.lower() in ("true", "1")
    return [1.0 if v else 0.0]


def _cat_key(v):
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        d = float(v)
        return str(int(d)) if d == int(d) else repr(d)
    return v


def enc_category(f, v):
    out = [0.0] * len(f["categories"])
    if v is not None and v != "":
        keys = [_cat_key(c) for c in f["categories"]]
        out[keys.index(_cat_key(v))] = 1.0
    return out


def parse_dt(s, zone):
    s = s.strip()
    if s.endswith(" UTC"):
        s = s[:-4].replace(" ", "T") + "+00:00"
    s = s.replace("Z", "+00:00")
    if len(s) > 10 and s[10] == " ":
        s = s[:10] + "T" + s[11:]
    t = datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=zone)
    return t.astimezone(zone)


def enc_datetime(f, v):
    zone = ZoneInfo(f.get("timezone", "UTC"))
    t = parse_dt(v, zone)
    parts = {
        "year": t.year, "month": t.month, "dayofmonth": t.day, "dayofweek": t.weekday(),
        "dayofyear": t.timetuple().tm_yday, "hour": t.hour, "minute": t.minute,
    }
    return [float(parts[p]) for p in f["parts"]]


TABULAR = {"number": enc_number, "integer": enc_number, "boolean": enc_boolean,
           "category": enc_category, "datetime": enc_datetime}


def words(text, lowercase=True):
    """Lower-case when asked, split on every character that is not a letter or digit."""
    s = text.lower() if lowercase else text
    out, cur = [], []
    for ch in s:
        if ch.isalpha() or ch.isdigit():
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def token_ids(tokenizer, vocab_index, text):
    ids = [vocab_index.get(w, tokenizer["unknown_id"]) for w in words(text, tokenizer.get("lowercase", True))]
    ids = ids[: tokenizer["max_length"]]
    return ids + [tokenizer["pad_id"]] * (tokenizer["max_length"] - len(ids))


def enc_image(f, pixels_hw):
    """A [H][W] array (channels 1) -> [1, H, W] after scale, mean and std."""
    px = np.asarray(pixels_hw, dtype=np.float64)[None] * f.get("scale", 1.0)
    mean, std = f.get("mean"), f.get("std")
    if mean:
        px = (px - mean[0]) / std[0]
    return px


def enc_series(f, values):
    """The last `window` values after the transform, and (offset, scale) to map a forecast back."""
    w = np.asarray([float(x) for x in values][-f["window"]:], dtype=np.float64)
    t = f.get("transform", "none")
    offset, scale = 0.0, 1.0
    if t == "relative":
        scale = w[-1]
    elif t == "standardize":
        offset = w.mean()
        sd = w.std()
        scale = sd if sd > 0 else 1.0
    return (w - offset) / scale, offset, scale


def encode_tabular(inputs, rows):
    """float32 [len(rows), n] of the tabular features of raw rows (dicts of strings or values)."""
    out = []
    for r in rows:
        x = []
        for f in inputs:
            if f["type"] in TABULAR:
                x.extend(TABULAR[f["type"]](f, r.get(f["name"])))
        out.append(x)
    return np.asarray(out, dtype=np.float32)


# ---------------------------------------------------------------- export

def export(name, manifest, module, example_inputs, metrics, extra_files=(), version="1"):
    """Traces the module, writes model.pt, model.json and metrics.json; returns the folder."""
    d = model_dir(name, version)
    for fname, content in extra_files:
        with open(os.path.join(d, fname), "w", encoding="utf-8") as fh:
            fh.write(content)
    module.eval()
    with torch.no_grad():
        traced = torch.jit.trace(module, example_inputs)
    traced.save(os.path.join(d, "model.pt"))
    full = {"name": name, "version": version, "engine": "PyTorch", "artifact": "model.pt"}
    full.update(manifest)
    with open(os.path.join(d, "model.json"), "w", encoding="utf-8") as fh:
        json.dump(full, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    with open(os.path.join(d, "metrics.json"), "w", encoding="utf-8") as fh:
        json.dump(metrics, fh, indent=2)
        fh.write("\n")
    print(f"{name}: wrote {d} ({os.path.getsize(os.path.join(d, 'model.pt'))} bytes model.pt)")
    return d


def r6(x):
    return float(round(float(x), 6))
