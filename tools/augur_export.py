"""Writes an Augur model.json from a fitted scikit-learn ColumnTransformer, and checks it.

Needs only the standard library, numpy and scikit-learn. The ColumnTransformer's fitted constants
become the manifest's feature options (docs/export.md, "The ColumnTransformer's constants"):

    SimpleImputer (median, mean, constant) on a number -> "nullable": true, "impute": statistics_[i]
    StandardScaler on a number                         -> "scale": {"mean": mean_[i], "std": scale_[i]}
    OneHotEncoder on a column                          -> "type": "category", "categories": categories_[i]
    "passthrough" (or nothing) on a number             -> "type": "number" / "integer"

so that Augur's encoding of a raw row is exactly ct.transform(row); check_round_trip() proves it on
rows you give (the training rows, say) before you ship the package.

In a training script:

    import augur_export
    m = augur_export.manifest(pre, name="titanic_forest", task="binary_classification",
                              labels=list(forest.classes_), positive="survived",
                              engine="OnnxRuntime", artifact="model.onnx", tensor="probabilities",
                              example={"gender": "male", "age": 22, ...})
    augur_export.check_round_trip(pre, m, x_train)        # raises naming the first column that differs
    augur_export.write("models/titanic_forest/1", m)
    augur_export.write_profile("models/titanic_forest/1",            # profile.json, for drift
                               augur_export.profile(m, x_train, forest.predict_proba(x_train)[:, 1]))

From the command line, for a joblib file holding a fitted ColumnTransformer (or a Pipeline whose
first step is one):

    python3 tools/augur_export.py pipeline.joblib --name titanic --task binary_classification \\
        --labels died,survived --example '{"gender": "male", "age": 22}' --out models/titanic/1 \\
        --profile train.csv      # optional: profile.json from the training rows (no predictions)
"""
import argparse
import json
import math
import os
import sys

import numpy as np

TASKS = ("binary_classification", "multiclass_classification", "regression", "forecast")


class ExportError(ValueError):
    """The fitted transformer holds something model.json cannot express; the message says what."""


def manifest(ct, name, task, example, labels=None, positive=None, activation=None, tensor=None,
             engine="OnnxRuntime", artifact="model.onnx", version="1", feature_names=None,
             integers=(), description="", batching=None, training=None):
    """The model.json of a model fed ct.transform(rows): a dict, ready for write()."""
    if task not in TASKS:
        raise ExportError(f"task must be one of {TASKS}, not {task!r}")
    inputs = features(ct, feature_names, integers)
    output = {}
    if task in ("binary_classification", "multiclass_classification"):
        if not labels or len(labels) < 2:
            raise ExportError("a classifier needs its labels, in the model's output order (classes_)")
        output["labels"] = [_plain(v) for v in labels]
        if task == "binary_classification":
            if len(labels) != 2:
                raise ExportError("binary_classification takes exactly two labels")
            output["positive"] = _plain(positive if positive is not None else labels[1])
        output["activation"] = activation or "none"
    elif activation:
        output["activation"] = activation
    if tensor is not None:
        output["tensor"] = tensor
    m = {"name": name, "version": str(version), "task": task, "engine": engine, "artifact": artifact}
    if description:
        m["description"] = description
    m["inputs"] = inputs
    m["output"] = output
    if batching:
        m["batching"] = batching
    if training:
        m["training"] = training
    names = {f["name"] for f in inputs}
    unknown = sorted(set(example) - names)
    missing = sorted(f["name"] for f in inputs if f["name"] not in example and not f.get("nullable"))
    if missing:
        raise ExportError(f"the example lacks {missing}")
    m["example"] = {k: _plain(v) for k, v in example.items()}
    if unknown:
        print(f"augur_export: the example's fields {unknown} are not model inputs "
              "(Augur keeps them in the history only)", file=sys.stderr)
    encode(m, m["example"])  # the example must pass the schema
    return m


def features(ct, feature_names=None, integers=()):
    """The manifest's inputs, in the order of ct's output columns."""
    if not hasattr(ct, "transformers_"):
        raise ExportError("the ColumnTransformer is not fitted (call fit first)")
    names = _input_names(ct, feature_names)
    out = []
    for label, step, columns in ct.transformers_:
        if step == "drop" or label == "remainder" and step == "drop":
            continue
        cols = [names[c] if isinstance(c, (int, np.integer)) else c for c in _columns(columns, names)]
        if not cols:
            continue
        chain = list(step.steps) if hasattr(step, "steps") else [(label, step)]
        kinds = [type(s).__name__ if s != "passthrough" else "passthrough" for _, s in chain]
        if "OneHotEncoder" in kinds:
            out.extend(_categories(label, chain, kinds, cols))
        else:
            out.extend(_numbers(label, chain, kinds, cols, integers))
    return out


def _input_names(ct, feature_names):
    if feature_names is not None:
        return list(feature_names)
    if hasattr(ct, "feature_names_in_"):
        return [str(n) for n in ct.feature_names_in_]
    raise ExportError("give feature_names: the transformer was fitted on an array without column names")


def _columns(columns, names):
    if isinstance(columns, slice) or callable(columns):
        raise ExportError("select columns by name or index, not by slice or callable")
    if isinstance(columns, (str, int, np.integer)):
        return [columns]
    cols = list(columns)
    if cols and isinstance(cols[0], (bool, np.bool_)):
        return [names[i] for i, keep in enumerate(cols) if keep]
    return cols


def _numbers(label, chain, kinds, cols, integers):
    unknown = [k for k in kinds if k not in ("SimpleImputer", "StandardScaler", "passthrough")]
    if unknown:
        raise ExportError(f"transformer {label!r}: {unknown} have no model.json form; Augur takes "
                          "SimpleImputer, StandardScaler or passthrough on numbers, OneHotEncoder on categories")
    if kinds.count("SimpleImputer") > 1 or kinds.count("StandardScaler") > 1:
        raise ExportError(f"transformer {label!r}: one imputer and one scaler at most")
    if "SimpleImputer" in kinds and "StandardScaler" in kinds and \
            kinds.index("StandardScaler") < kinds.index("SimpleImputer"):
        raise ExportError(f"transformer {label!r}: Augur imputes, then scales; put the imputer first")
    imputer = next((s for n, s in chain if type(s).__name__ == "SimpleImputer"), None)
    scaler = next((s for n, s in chain if type(s).__name__ == "StandardScaler"), None)
    if imputer is not None:
        if imputer.strategy not in ("median", "mean", "constant"):
            raise ExportError(f"transformer {label!r}: SimpleImputer(strategy={imputer.strategy!r}) "
                              "on numbers: use median, mean or constant")
        if getattr(imputer, "add_indicator", False):
            raise ExportError(f"transformer {label!r}: SimpleImputer(add_indicator=True) has no model.json form")
    out = []
    for i, col in enumerate(cols):
        f = {"name": col, "type": "integer" if col in integers else "number"}
        if imputer is not None:
            f["nullable"] = True
            f["impute"] = _num(imputer.statistics_[i])
        if scaler is not None:
            mean = _num(scaler.mean_[i]) if scaler.with_mean else 0.0
            std = _num(scaler.scale_[i]) if scaler.with_std else 1.0
            f["scale"] = {"mean": mean, "std": std}
        out.append(f)
    return out


def _categories(label, chain, kinds, cols):
    if kinds != ["OneHotEncoder"]:
        raise ExportError(
            f"transformer {label!r}: {kinds}: Augur has no imputation or scaling for categories; "
            "use OneHotEncoder(handle_unknown='ignore') alone (a null category is all zeros, "
            "as 'ignore' gives a value it never saw) and mark the feature nullable")
    enc = chain[0][1]
    if enc.drop is not None:
        raise ExportError(f"transformer {label!r}: OneHotEncoder(drop=...) has no model.json form")
    if getattr(enc, "sparse_output", getattr(enc, "sparse", False)) is True and \
            getattr(enc, "infrequent_categories_", None):
        raise ExportError(f"transformer {label!r}: infrequent categories have no model.json form")
    out = []
    for i, col in enumerate(cols):
        cats = [_plain(c) for c in enc.categories_[i]]
        if any(c is None or isinstance(c, float) and math.isnan(c) for c in cats):
            raise ExportError(f"feature {col!r}: a missing value is one of the categories; drop it "
                              "and let handle_unknown='ignore' encode missing values as all zeros")
        f = {"name": col, "type": "category", "categories": cats}
        if enc.handle_unknown == "ignore":
            f["nullable"] = True
        out.append(f)
    return out


def _num(v):
    return float(np.float64(v))


def _plain(v):
    if isinstance(v, np.generic):
        return v.item()
    return v


def encode(m, row):
    """Augur's encoding of one raw row (a dict) into the tabular tensor's row, by the documented rules."""
    out = []
    for f in m["inputs"]:
        v = row.get(f["name"])
        if isinstance(v, float) and math.isnan(v):
            v = None
        if v is None and not f.get("nullable"):
            raise ExportError(f"{f['name']}: is required")
        t = f["type"]
        if t in ("number", "integer"):
            x = f["impute"] if v is None else float(v)
            if "scale" in f:
                x = (x - f["scale"]["mean"]) / f["scale"]["std"]
            out.append(x)
        elif t == "category":
            one = [0.0] * len(f["categories"])
            if v is not None:
                key = _key(v)
                keys = [_key(c) for c in f["categories"]]
                if key not in keys:
                    raise ExportError(f"{f['name']}: unknown category {v!r}; expected one of {f['categories']}")
                one[keys.index(key)] = 1.0
            out.extend(one)
        elif t == "boolean":
            out.append(1.0 if v in (True, 1, "true", "1") else 0.0)
        else:
            raise ExportError(f"{f['name']}: {t} features are not tabular")
    return np.asarray(out, dtype=np.float64)


def _key(v):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v)).lower()
    if isinstance(v, (int, float, np.integer, np.floating)):
        d = float(v)
        return str(int(d)) if d == int(d) else repr(d)
    return str(v)


def check_round_trip(ct, m, rows, feature_names=None, atol=1e-6):
    """Checks that Augur's encoding of each row equals ct.transform(row); returns how many rows.

    rows: what ct was fitted on (a pandas DataFrame, or an array with feature_names)."""
    expected = ct.transform(rows)
    if hasattr(expected, "toarray"):
        expected = expected.toarray()
    expected = np.asarray(expected, dtype=np.float64)
    records = _records(rows, feature_names or _input_names(ct, None))
    width = sum(len(f["categories"]) if f["type"] == "category" else 1 for f in m["inputs"])
    if expected.shape[1] != width:
        raise ExportError(f"the transformer makes {expected.shape[1]} columns, model.json {width}")
    for r, rec in enumerate(records):
        got = encode(m, rec)
        bad = np.flatnonzero(np.abs(got - expected[r]) > atol * np.maximum(1.0, np.abs(expected[r])))
        if bad.size:
            c = int(bad[0])
            raise ExportError(f"row {r}: column {c} ({_column_name(m, c)}) is {got[c]!r} from model.json "
                              f"but {expected[r][c]!r} from the transformer")
    return len(records)


def _column_name(m, c):
    for f in m["inputs"]:
        n = len(f["categories"]) if f["type"] == "category" else 1
        if c < n:
            return f["name"] + (f"={f['categories'][c]}" if f["type"] == "category" else "")
        c -= n
    return "?"


def _records(rows, names):
    if hasattr(rows, "to_dict"):
        return rows.to_dict(orient="records")
    arr = np.asarray(rows, dtype=object)
    return [{n: arr[i][j] for j, n in enumerate(names)} for i in range(arr.shape[0])]


def write(directory, m):
    """Writes directory/model.json (creating the folder); returns its path."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "model.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(m, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return path


_NUMERIC = ("number", "integer", "datetime")
_TABULAR = ("number", "integer", "boolean", "category", "datetime")


def _profile_number(v):
    """A value as drift bins it: a float, or None for a missing or unreadable one."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, str):
        t = v.strip()
        try:
            x = float(t)
            return x if math.isfinite(x) else None
        except ValueError:
            import datetime
            try:
                d = datetime.datetime.fromisoformat(t.replace("Z", "+00:00"))
            except ValueError:
                return None
            if d.tzinfo is None:
                d = d.replace(tzinfo=datetime.timezone.utc)
            return float(int(d.timestamp()))
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _profile_category(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and v == ""):
        return None
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    return str(v)


def _profile_column(values, numeric):
    total = len(values)
    if numeric:
        xs = [x for x in (_profile_number(v) for v in values) if x is not None]
        nulls = total - len(xs)
        edges = []
        if xs:
            # numpy's default (linear) quantiles at the deciles, duplicates removed: Augur's own
            for e in np.quantile(np.asarray(xs, dtype=float), [i / 10 for i in range(1, 10)]):
                if not edges or e > edges[-1]:
                    edges.append(float(e))
        shares = [0.0] * (len(edges) + 1)
        if total:
            counts = np.bincount(np.searchsorted(np.asarray(edges), np.asarray(xs), side="right"),
                                 minlength=len(edges) + 1) if xs else [0] * (len(edges) + 1)
            shares = [int(c) / total for c in counts]
        return {"type": "numeric", "edges": edges, "shares": shares,
                "null": nulls / total if total else 0.0}
    counts = {}
    nulls = 0
    for v in values:
        c = _profile_category(v)
        if c is None:
            nulls += 1
        else:
            counts[c] = counts.get(c, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"type": "categorical", "shares": {k: n / total for k, n in ordered},
            "null": nulls / total if total else 0.0}


def profile(m, rows, predictions=None, feature_names=None):
    """The training profile (profile.json) of a model's training rows, as Augur writes it.

    m: the manifest (from manifest() or a model.json); rows: a DataFrame, a list of dicts, or an
    array (with feature_names); predictions: optionally, the model's prediction of every row in
    order (the positive class probability, the value, or for multiclass models the label; None
    where there is none). Numbers get ten bins at numpy's default deciles (duplicates removed),
    categories a share per value, each feature a null share; shares are fractions of all rows.
    """
    names = feature_names or [f["name"] for f in m["inputs"]]
    records = rows if isinstance(rows, list) and (not rows or isinstance(rows[0], dict)) \
        else _records(rows, names)
    out = {"format": 1, "rows": len(records), "features": {}}
    for f in m["inputs"]:
        if f["type"] not in _TABULAR:
            continue
        values = [r.get(f["name"]) for r in records]
        out["features"][f["name"]] = _profile_column(values, f["type"] in _NUMERIC)
    if predictions is not None:
        predictions = list(predictions)
        if len(predictions) != len(records):
            raise ExportError(f"{len(predictions)} predictions for {len(records)} rows")
        out["prediction"] = _profile_column(
            predictions, m.get("task") != "multiclass_classification")
    return out


def read_csv(path):
    """The rows of a CSV with a header row, as dicts of strings (an empty cell is None)."""
    import csv
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return [{k: (v if v != "" else None) for k, v in r.items()} for r in csv.DictReader(fh)]


def write_profile(directory, p):
    """Writes directory/profile.json (beside model.json); returns its path."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "profile.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(p, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return path


def main(argv=None):
    import joblib  # ships with scikit-learn

    p = argparse.ArgumentParser(description="Writes model.json from a fitted ColumnTransformer.")
    p.add_argument("pipeline", help="joblib file: a fitted ColumnTransformer, or a Pipeline starting with one")
    p.add_argument("--name", required=True)
    p.add_argument("--version", default="1")
    p.add_argument("--task", required=True, choices=TASKS)
    p.add_argument("--labels", help="comma-separated, in the model's output order")
    p.add_argument("--positive")
    p.add_argument("--activation")
    p.add_argument("--tensor", help="output name, or 0-based index")
    p.add_argument("--engine", default="OnnxRuntime")
    p.add_argument("--artifact", default="model.onnx")
    p.add_argument("--feature-names", help="comma-separated, when fitted on an array")
    p.add_argument("--integers", default="", help="comma-separated features that take whole numbers")
    p.add_argument("--example", required=True, help="one raw observation, as JSON")
    p.add_argument("--out", required=True, help="the version folder, e.g. models/titanic/1")
    p.add_argument("--profile", metavar="CSV",
                   help="also write profile.json (for drift) from these training rows")
    a = p.parse_args(argv)
    obj = joblib.load(a.pipeline)
    ct = obj.steps[0][1] if hasattr(obj, "steps") else obj
    tensor = a.tensor if a.tensor is None or not a.tensor.isdigit() else int(a.tensor)
    m = manifest(ct, a.name, a.task, json.loads(a.example),
                 labels=a.labels.split(",") if a.labels else None, positive=a.positive,
                 activation=a.activation, tensor=tensor, engine=a.engine, artifact=a.artifact,
                 version=a.version,
                 feature_names=a.feature_names.split(",") if a.feature_names else None,
                 integers=[s for s in a.integers.split(",") if s])
    print(write(a.out, m))
    if a.profile:
        print(write_profile(a.out, profile(m, read_csv(a.profile))))


if __name__ == "__main__":
    main()
