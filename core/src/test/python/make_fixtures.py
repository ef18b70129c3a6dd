"""Makes the TorchScript test fixtures of augur-core and their reference outputs.

Run from the repository root with Debian's python3 (python3-torch):
    /usr/bin/python3 core/src/test/python/make_fixtures.py

For every model it writes fixtures/models/NAME/1/{model.json, model.pt[, vocab.txt]} and
fixtures/reference/NAME.json with cases: an observation, the input tensors computed here from the
documented preprocessing rules (independently of the Java code), and the decoded outputs.
"""
import base64
import io
import json
import math
import os
import shutil
from datetime import datetime, timezone, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import torch
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")
torch.manual_seed(7)
np.random.seed(7)


# ---------------------------------------------------------------- encoding (the documented rules)

def num(v):
    if isinstance(v, str):
        return float(v)
    return float(v)


def enc_number(f, v):
    x = f["impute"] if v is None else num(v)
    if "scale" in f:
        x = (x - f["scale"]["mean"]) / f["scale"]["std"]
    return [x]


def enc_boolean(f, v):
    if isinstance(v, str):
        v = v.lower() in ("true", "1")
    return [1.0 if v else 0.0]


def cat_key(v):
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        d = float(v)
        return str(int(d)) if d == int(d) else repr(d)
    return v


def enc_category(f, v):
    out = [0.0] * len(f["categories"])
    if v is not None:
        keys = [cat_key(c) for c in f["categories"]]
        out[keys.index(cat_key(v))] = 1.0
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
    if v is None:
        return [0.0] * len(f["parts"])
    t = parse_dt(v, zone)
    parts = {
        "year": t.year, "month": t.month, "dayofmonth": t.day, "dayofweek": t.weekday(),
        "dayofyear": t.timetuple().tm_yday, "hour": t.hour, "minute": t.minute,
    }
    return [float(parts[p]) for p in f["parts"]]


def tokenize(f, text, model_dir):
    tk = f["tokenizer"]
    vocab = {}
    with open(os.path.join(model_dir, tk["vocabulary"]), encoding="utf-8") as fh:
        for i, line in enumerate(fh.read().split("\n")):
            if line != "" or i == 0:
                vocab.setdefault(line, i)
    s = text.lower() if tk.get("lowercase", True) else text
    words, cur = [], []
    for ch in s:
        if ch.isalpha() or ch.isdigit():
            cur.append(ch)
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    ids = [vocab.get(w, tk["unknown_id"]) for w in words][: tk["max_length"]]
    return ids + [tk["pad_id"]] * (tk["max_length"] - len(ids))


def image_pixels(f, v):
    """Raw pixel values [C][H][W] (before scale/normalisation)."""
    C, H, W = f.get("channels", 1), f["height"], f["width"]
    if isinstance(v, str):
        img = Image.open(io.BytesIO(base64.b64decode(v)))
        assert img.size == (W, H), "fixtures use pictures of the feature's size"
        if img.mode == "L":
            g = np.asarray(img, dtype=np.float64)
            arr = np.stack([g] * C) if C == 3 else g[None]
        else:
            rgb = np.asarray(img.convert("RGB"), dtype=np.float64)
            if C == 1:
                arr = (0.299 * rgb[:, :, 0] + 0.587 * rgb[:, :, 1] + 0.114 * rgb[:, :, 2])[None]
            else:
                arr = rgb.transpose(2, 0, 1)
        return arr
    a = np.asarray(v, dtype=np.float64)
    if a.ndim == 2:
        return a[None]
    return a.transpose(2, 0, 1)


def enc_image(f, v):
    px = image_pixels(f, v) * f.get("scale", 1.0)
    mean, std = f.get("mean"), f.get("std")
    for c in range(px.shape[0]):
        m = mean[c] if mean else 0.0
        s = std[c] if std else 1.0
        px[c] = (px[c] - m) / s
    return px


def enc_series(f, v):
    w = np.asarray([float(x) for x in v][-f["window"]:], dtype=np.float64)
    t = f.get("transform", "none")
    offset, scale = 0.0, 1.0
    if t == "relative":
        scale = w[-1]
    elif t == "standardize":
        offset = w.mean()
        sd = w.std()
        scale = sd if sd > 0 else 1.0
    return (w - offset) / scale, offset, scale


TABULAR = {"number": enc_number, "integer": enc_number, "boolean": enc_boolean,
           "category": enc_category, "datetime": enc_datetime}


def encode(manifest, obs, model_dir):
    """The model inputs for one observation: (list of (np array, dtype)), series constants."""
    tab, tensors, series = [], [], None
    for f in manifest["inputs"]:
        v = obs.get(f["name"])
        if f["type"] in TABULAR:
            tab.extend(TABULAR[f["type"]](f, v))
        elif f["type"] == "text":
            tensors.append((np.asarray([tokenize(f, v, model_dir)], dtype=np.int64), "int64"))
        elif f["type"] == "image":
            tensors.append((enc_image(f, v)[None].astype(np.float32), "float32"))
        elif f["type"] == "series":
            w, off, sc = enc_series(f, v)
            tensors.append((w[None].astype(np.float32), "float32"))
            if series is None:
                series = (off, sc)
    out = []
    if tab:
        out.append((np.asarray([tab], dtype=np.float32), "float32"))
    return out + tensors, series


def decode(manifest, y, series):
    o = manifest["output"]
    task = manifest["task"]
    y = [float(v) for v in y]
    if task in ("binary_classification", "multiclass_classification"):
        act = o.get("activation", "softmax")
        labels = o["labels"]
        if act == "sigmoid":
            p = 1 / (1 + math.exp(-y[0]))
            pos = labels.index(o["positive"])
            probs = [0.0, 0.0]
            probs[pos] = p
            probs[1 - pos] = 1 - p
        elif act == "softmax":
            m = max(y)
            e = [math.exp(v - m) for v in y]
            probs = [v / sum(e) for v in e]
        else:
            probs = y
        best = max(range(len(probs)), key=lambda i: (probs[i], -i))
        out = {"label": labels[best], "probabilities": dict(zip(labels, probs))}
        if task == "binary_classification":
            out["proba"] = probs[labels.index(o["positive"])]
        return out
    if task == "regression":
        v = y[0]
        if "scale" in o:
            v = v * o["scale"]["std"] + o["scale"]["mean"]
        return {"value": v}
    off, sc = series
    return {"values": [v * sc + off for v in y]}


# ---------------------------------------------------------------- models

class Tabular(torch.nn.Module):
    def __init__(self, n_in, n_out, hidden=64, gain=3.0, final_softmax=False):
        super().__init__()
        self.l1 = torch.nn.Linear(n_in, hidden)
        self.l2 = torch.nn.Linear(hidden, n_out)
        with torch.no_grad():
            self.l2.weight.mul_(gain)
        self.final_softmax = final_softmax

    def forward(self, x):
        y = self.l2(torch.relu(self.l1(x)))
        return torch.softmax(y, dim=1) if self.final_softmax else y


class TextModel(torch.nn.Module):
    def __init__(self, vocab, n_tab, dim=8):
        super().__init__()
        self.emb = torch.nn.Embedding(vocab, dim)
        self.out = torch.nn.Linear(dim + n_tab, 2)
        with torch.no_grad():
            self.out.weight.mul_(4.0)

    def forward(self, tab, ids):
        mask = (ids != 0).float().unsqueeze(2)
        e = (self.emb(ids) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.out(torch.cat([tab, e], dim=1))


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 8, 3, padding=1)
        self.c2 = torch.nn.Conv2d(8, 16, 3, padding=1)
        self.fc = torch.nn.Linear(16 * 7 * 7, 10)
        with torch.no_grad():
            self.fc.weight.mul_(8.0)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.c1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


class SeriesModel(torch.nn.Module):
    def __init__(self, window, horizon):
        super().__init__()
        self.lin = torch.nn.Linear(window, horizon)
        with torch.no_grad():
            self.lin.weight.mul_(0.1)
            self.lin.weight[:, -1] += 1.0

    def forward(self, x):
        return self.lin(x)


class Mixed(torch.nn.Module):
    def __init__(self, vocab, n_tab, window):
        super().__init__()
        self.emb = torch.nn.Embedding(vocab, 4)
        self.out = torch.nn.Linear(n_tab + 4 + window, 2)
        with torch.no_grad():
            self.out.weight.mul_(3.0)

    def forward(self, tab, ids, hist):
        e = self.emb(ids).mean(1)
        return self.out(torch.cat([tab, e, hist], dim=1))


VOCAB = ["<pad>", "<unk>", "the", "a", "good", "bad", "great", "terrible", "movie", "food", "phone",
         "love", "hate", "not", "very", "service", "battery", "plot", "acting", "café", "don", "t",
         "excellent", "awful", "boring", "fun", "works", "broke", "and", "it", "was", "is", "i",
         "this", "best", "worst", "ever", "recommend", "slow", "fast", "nice", "poor", "quality",
         "price", "cheap", "again", "never", "always", "2", "10"]


def tabular_width(inputs):
    n = 0
    for f in inputs:
        t = f["type"]
        if t in ("number", "integer", "boolean"):
            n += 1
        elif t == "category":
            n += len(f["categories"])
        elif t == "datetime":
            n += len(f["parts"])
    return n


def png_b64(arr, mode):
    img = Image.fromarray(np.asarray(arr, dtype=np.uint8), mode)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def jpeg_b64(arr):
    img = Image.fromarray(np.asarray(arr, dtype=np.uint8), "L")
    buf = io.BytesIO()
    img.save(buf, format="JPEG")
    return base64.b64encode(buf.getvalue()).decode()


def save(name, manifest, module, example_inputs, cases, extra_files=()):
    d = os.path.join(OUT, "models", name, "1")
    os.makedirs(d, exist_ok=True)
    for fname, content in extra_files:
        with open(os.path.join(d, fname), "w", encoding="utf-8") as fh:
            fh.write(content)
    module.eval()
    traced = torch.jit.trace(module, example_inputs)
    traced.save(os.path.join(d, "model.pt"))
    manifest = dict(name=name, version="1", engine="PyTorch", artifact="model.pt", **manifest)
    with open(os.path.join(d, "model.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, ensure_ascii=False)
    loaded = torch.jit.load(os.path.join(d, "model.pt"))
    ref_cases = []
    for c in cases:
        shape_only = c.pop("shape_only", False)
        tensors, series = encode(manifest, c["observation"], d)
        with torch.no_grad():
            y = loaded(*[torch.from_numpy(t) for t, _ in tensors])
        case = {"observation": c["observation"]}
        if shape_only:
            case["shape_only"] = True
        case["tensors"] = [{"shape": list(t.shape), "dtype": dt, "data": t.flatten().tolist()} for t, dt in tensors]
        case["expected"] = decode(manifest, y[0].tolist(), series)
        ref_cases.append(case)
    os.makedirs(os.path.join(OUT, "reference"), exist_ok=True)
    with open(os.path.join(OUT, "reference", name + ".json"), "w", encoding="utf-8") as fh:
        json.dump({"model": name, "cases": ref_cases}, fh, ensure_ascii=False)
    labels = {json.dumps(c["expected"].get("label")) for c in ref_cases}
    print(f"{name}: {len(ref_cases)} cases, labels {sorted(labels)}")


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)

    # 1. every tabular type, softmax
    inputs = [
        {"name": "Age", "type": "number", "nullable": True, "impute": 28.0, "scale": {"mean": 29.7, "std": 14.5}},
        {"name": "Fare", "type": "number", "min": 0},
        {"name": "Sex", "type": "category", "categories": ["male", "female"]},
        {"name": "Embarked", "type": "category", "categories": ["C", "Q", "S"], "nullable": True},
        {"name": "Pclass", "type": "integer", "min": 1, "max": 3},
        {"name": "Alone", "type": "boolean"},
        {"name": "Boarded", "type": "datetime", "timezone": "Europe/London",
         "parts": ["hour", "dayofweek", "month", "year", "dayofmonth", "dayofyear", "minute"]},
    ]
    n = tabular_width(inputs)
    example = {"Age": 22.0, "Fare": 7.25, "Sex": "male", "Embarked": "S", "Pclass": 3, "Alone": False,
               "Boarded": "1912-04-10T12:00:00Z"}
    cases = [
        {"observation": example},
        {"observation": {"Age": None, "Fare": 71.3, "Sex": "female", "Embarked": "C", "Pclass": 1, "Alone": True, "Boarded": "1912-04-10T09:30:00Z"}},
        {"observation": {"Age": 4, "Fare": 16.7, "Sex": "female", "Embarked": None, "Pclass": 2, "Alone": "false", "Boarded": "2009-06-15T17:26:21Z"}},
        {"observation": {"Age": "22.5", "Fare": "8.05", "Sex": "male", "Embarked": "Q", "Pclass": 2.0, "Alone": 1, "Boarded": "2009-06-15T17:26:21+02:00"}},
        {"observation": {"Age": 71, "Fare": 0, "Sex": "male", "Embarked": "S", "Pclass": 1, "Alone": "true", "Boarded": "2009-06-15 17:26:21 UTC"}},
        {"observation": {"Age": 38, "Fare": 512.3, "Sex": "female", "Embarked": "C", "Pclass": "1", "Alone": 0, "Boarded": "2021-12-31T23:59:00-05:00", "Cabin": "C85"}},
        {"observation": {"Age": 0.42, "Fare": 8.5, "Sex": "male", "Pclass": 3, "Alone": True, "Boarded": "2024-03-31T01:30:00Z", "Embarked": "S"}},
        {"observation": {"Age": 50, "Fare": 26, "Sex": "female", "Embarked": "Q", "Pclass": 3, "Alone": False, "Boarded": "2024-10-27T00:59:00Z"}},
    ]
    save("tab_binary_softmax",
         {"task": "binary_classification", "description": "Every tabular feature type; softmax over two logits",
          "inputs": inputs, "output": {"labels": ["died", "survived"], "positive": "survived", "activation": "softmax"},
          "batching": {"max_batch_size": 32, "max_delay_ms": 2}, "example": example},
         Tabular(n, 2, gain=6.0), torch.zeros(1, n), cases)

    # 2. sigmoid
    inputs = [{"name": "x1", "type": "number", "scale": {"mean": 10, "std": 5}},
              {"name": "x2", "type": "number"}, {"name": "x3", "type": "number"}]
    cases = [{"observation": {"x1": a, "x2": b, "x3": c}} for a, b, c in
             [(10, 0, 0), (20, 1, -1), (0, -2, 3), (13.5, 0.5, 0.25), (-4, 4, 4)]]
    save("tab_binary_sigmoid",
         {"task": "binary_classification", "inputs": inputs,
          "output": {"labels": ["no", "yes"], "positive": "yes", "activation": "sigmoid"},
          "example": cases[0]["observation"]},
         Tabular(3, 1, gain=4.0), torch.zeros(1, 3), cases)

    # 3. multiclass, probabilities from the model, numeric categories
    inputs = [{"name": "bill", "type": "number", "scale": {"mean": 44, "std": 5.5}},
              {"name": "flipper", "type": "integer", "nullable": True, "impute": 200},
              {"name": "year", "type": "category", "categories": [2007, 2008, 2009]}]
    cases = [{"observation": o} for o in [
        {"bill": 39.1, "flipper": 181, "year": 2007}, {"bill": 46.5, "flipper": None, "year": "2008"},
        {"bill": 50.0, "flipper": 230, "year": 2009.0}, {"bill": 44, "flipper": 200, "year": "2009"}]]
    save("tab_multiclass_none",
         {"task": "multiclass_classification", "inputs": inputs,
          "output": {"labels": ["Adelie", "Chinstrap", "Gentoo"], "activation": "none"},
          "batching": {"max_batch_size": 16, "max_delay_ms": 1}},
         Tabular(5, 3, gain=20.0, final_softmax=True), torch.zeros(1, 5), cases)

    # 4. regression with output scale and a datetime
    inputs = [{"name": "date", "type": "datetime", "parts": ["hour", "dayofweek", "month"]},
              {"name": "origin", "type": "category", "categories": ["SFO", "LAX", "ORD"]},
              {"name": "distance", "type": "number", "scale": {"mean": 800, "std": 600}}]
    cases = [{"observation": o} for o in [
        {"date": "2001-01-01T00:47:00Z", "origin": "SFO", "distance": 337},
        {"date": "2001-03-31T22:27:00Z", "origin": "ORD", "distance": 1846},
        {"date": "2001-02-14T13:05:00+01:00", "origin": "LAX", "distance": 2475}]]
    save("regression_scaled",
         {"task": "regression", "inputs": inputs, "output": {"scale": {"mean": 7.7, "std": 31.3}, "activation": "none"},
          "example": cases[0]["observation"]},
         Tabular(7, 1, gain=2.0), torch.zeros(1, 7), cases)

    # 5. text after a number
    inputs = [{"name": "Stars", "type": "number", "scale": {"mean": 3, "std": 1.2}},
              {"name": "Text", "type": "text", "tokenizer": {"type": "word", "vocabulary": "vocab.txt", "lowercase": True,
                                                           "max_length": 16, "pad_id": 0, "unknown_id": 1}}]
    cases = [{"observation": o} for o in [
        {"Stars": 5, "Text": "Great movie, I LOVE it!"},
        {"Stars": 1, "Text": "Terrible service and the food was awful."},
        {"Stars": 3, "Text": "The Café don't recommend: très bizarre — 10/10?"},
        {"Stars": 2, "Text": "boring boring boring plot, bad acting, the worst movie ever, never again, not fun at all, slow"},
        {"Stars": 4, "Text": ""}]]
    save("text_sentiment",
         {"task": "binary_classification", "inputs": inputs,
          "output": {"labels": ["negative", "positive"], "positive": "positive", "activation": "softmax"},
          "batching": {"max_batch_size": 32, "max_delay_ms": 2}, "example": cases[0]["observation"]},
         TextModel(len(VOCAB), 1), (torch.zeros(1, 1), torch.ones(1, 16, dtype=torch.long)), cases,
         extra_files=[("vocab.txt", "\n".join(VOCAB) + "\n")])

    # 6. image CNN
    rng = np.random.RandomState(3)
    digit = np.zeros((28, 28), dtype=np.int64)
    digit[6:22, 12:16] = 255
    digit[6:9, 9:16] = 200
    noisy = rng.randint(0, 256, size=(28, 28))
    rgb = rng.randint(0, 256, size=(28, 28, 3))
    inputs = [{"name": "Image", "type": "image", "width": 28, "height": 28, "channels": 1,
               "scale": 1 / 255, "mean": [0.1307], "std": [0.3081]}]
    cases = [{"observation": {"Image": digit.tolist()}},
             {"observation": {"Image": noisy[:, :, None].tolist()}},
             {"observation": {"Image": png_b64(noisy, "L")}},
             {"observation": {"Image": png_b64(rgb, "RGB")}},
             {"observation": {"Image": jpeg_b64(digit)}, "shape_only": True}]
    save("image_digits",
         {"task": "multiclass_classification", "inputs": inputs,
          "output": {"labels": [str(i) for i in range(10)], "activation": "softmax"},
          "batching": {"max_batch_size": 32, "max_delay_ms": 2}, "example": {"Image": digit.tolist()}},
         Cnn(), torch.zeros(1, 1, 28, 28), cases)

    # 7-9. series
    closes = [5000 + 40 * math.sin(i / 3) + 3 * i for i in range(45)]
    for name, window, horizon, transform in [("series_relative", 30, 14, "relative"),
                                             ("series_standardize", 10, 5, "standardize"),
                                             ("series_none", 5, 3, "none")]:
        inputs = [{"name": "Closes", "type": "series", "window": window, "transform": transform}]
        cases = [{"observation": {"Closes": closes[:window]}}, {"observation": {"Closes": closes}},
                 {"observation": {"Closes": [float(i % 7) + 1 for i in range(window + 3)]}}]
        save(name, {"task": "forecast", "inputs": inputs, "output": {"horizon": horizon, "activation": "none"},
                    "batching": {"max_batch_size": 16, "max_delay_ms": 2}, "example": cases[0]["observation"]},
             SeriesModel(window, horizon), torch.zeros(1, window), cases)

    # 10. tensor order with interleaved feature types
    inputs = [{"name": "A", "type": "number"},
              {"name": "Words", "type": "text", "tokenizer": {"type": "word", "vocabulary": "vocab.txt", "lowercase": True,
                                                            "max_length": 6, "pad_id": 0, "unknown_id": 1}},
              {"name": "B", "type": "category", "categories": ["x", "y"]},
              {"name": "Hist", "type": "series", "window": 4, "transform": "none"},
              {"name": "C", "type": "boolean"}]
    cases = [{"observation": o} for o in [
        {"A": 1.5, "Words": "good phone", "B": "x", "Hist": [1, 2, 3, 4], "C": True},
        {"A": -2, "Words": "bad battery broke", "B": "y", "Hist": [9, 8, 7, 6, 5], "C": False}]]
    save("mixed_order", {"task": "binary_classification", "inputs": inputs,
                         "output": {"labels": ["no", "yes"], "positive": "yes", "activation": "softmax"},
                         "example": cases[0]["observation"]},
         Mixed(len(VOCAB), 4, 4),
         (torch.zeros(1, 4), torch.ones(1, 6, dtype=torch.long), torch.zeros(1, 4)), cases,
         extra_files=[("vocab.txt", "\n".join(VOCAB) + "\n")])


if __name__ == "__main__":
    main()
