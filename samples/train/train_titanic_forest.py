"""Titanic survival with a scikit-learn random forest, served through ONNX (seed 004's own model).

The tutorial's workflow: a ColumnTransformer (median imputation and scaling of the numbers,
one-hot categories) in front of a RandomForestClassifier, on the same passengers and the same
stratified 75/25 split (seed 42) as the PyTorch `titanic` sample, so the two can be compared.
Augur applies the ColumnTransformer from model.json (written by tools/augur_export.py, round trip
checked) and ONNX Runtime runs the forest (tools/sklearn_onnx.py, the graph skl2onnx writes with
ZipMap off: outputs `label` then `probabilities`).

    /usr/bin/python3 samples/train/train_titanic_forest.py      (python3-sklearn, python3-onnx, python3-pandas)
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from onnx import save_model
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from common import (DATA, copy_data, model_dir, r6, read_csv, stratified_test_indices, write_csv)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import augur_export  # noqa: E402
from sklearn_onnx import to_onnx  # noqa: E402

NAME = "titanic_forest"
SEED = 42
NUMBERS = ["age", "fare", "sibsp", "parch"]
CATEGORIES = ["gender", "class", "embarked"]
FIELDS = ["gender", "age", "class", "embarked", "fare", "sibsp", "parch"]


def frame(rows):
    df = pd.DataFrame([{f: r[f] for f in FIELDS} for r in rows])
    for f in NUMBERS:
        df[f] = pd.to_numeric(df[f].replace("", np.nan))
    return df


def main():
    np.random.seed(SEED)
    copy_data("titanic", ["titanic.csv"])
    rows = [r for r in read_csv(os.path.join(DATA, "titanic", "titanic.csv"))
            if r["class"] in ("1st", "2nd", "3rd")]
    y_all = np.asarray([1 if r["survived"] == "yes" else 0 for r in rows])
    test_set = set(stratified_test_indices(y_all, SEED))
    train = [r for i, r in enumerate(rows) if i not in test_set]
    test = [r for i, r in enumerate(rows) if i in test_set]
    label = np.asarray(["died", "survived"])
    y_train = label[[1 if r["survived"] == "yes" else 0 for r in train]]
    y_test = label[[1 if r["survived"] == "yes" else 0 for r in test]]

    pre = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]),
         NUMBERS),
        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORIES),
    ])
    x_train = pre.fit_transform(frame(train)).astype(np.float32)
    x_test = pre.transform(frame(test)).astype(np.float32)
    forest = RandomForestClassifier(n_estimators=60, max_depth=6, min_samples_leaf=3,
                                    random_state=SEED).fit(x_train.astype(np.float64), y_train)
    acc = float((forest.predict(x_test.astype(np.float64)) == y_test).mean())
    train_acc = float((forest.predict(x_train.astype(np.float64)) == y_train).mean())
    values, counts = np.unique(y_train, return_counts=True)
    majority = str(values[counts.argmax()])
    baseline = float((y_test == majority).mean())
    print(f"{NAME}: test accuracy {acc:.4f} (train {train_acc:.4f}); "
          f"baseline majority '{majority}' {baseline:.4f}; {len(test)} test rows")

    example = {"gender": "male", "age": 22.0, "class": "3rd", "embarked": "S", "fare": 7.25,
               "sibsp": 1, "parch": 0}
    manifest = augur_export.manifest(
        pre, NAME, "binary_classification", example, labels=list(forest.classes_),
        positive="survived", tensor="probabilities", engine="OnnxRuntime", artifact="model.onnx",
        integers=["sibsp", "parch"],
        description="Survival of a Titanic passenger (scikit-learn random forest through ONNX; "
                    "passengers of 1st-3rd class)",
        batching={"max_batch_size": 32, "max_delay_ms": 2},
        training={"dataset": "titanic.csv (r-cran-stablelearner, GPL-2|GPL-3), passengers only; "
                             "stratified 75/25 split, seed 42 (as the titanic sample)",
                  "script": "samples/train/train_titanic_forest.py",
                  "estimator": "RandomForestClassifier(n_estimators=60, max_depth=6, min_samples_leaf=3)",
                  "metrics": {"test_accuracy": r6(acc), "baseline_majority_accuracy": r6(baseline)}})
    checked = augur_export.check_round_trip(pre, manifest, frame(train))
    d = model_dir(NAME)
    save_model(to_onnx(forest, x_train.shape[1], name=NAME), os.path.join(d, "model.onnx"))
    augur_export.write(d, manifest)
    metrics = {"test_metric": "accuracy", "model": r6(acc), "baseline": r6(baseline),
               "baseline_kind": f"majority class ({majority})", "test_rows": len(test),
               "train_rows": len(train), "test_split": "test.csv"}
    with open(os.path.join(d, "metrics.json"), "w", encoding="utf-8") as fh:
        json.dump(metrics, fh, indent=2)
        fh.write("\n")
    write_csv(os.path.join(d, "test.csv"), FIELDS + ["target"],
              [[r[f] for f in FIELDS] + ["survived" if r["survived"] == "yes" else "died"] for r in test])
    print(f"{NAME}: wrote {d} ({os.path.getsize(os.path.join(d, 'model.onnx'))} bytes model.onnx; "
          f"round trip checked on {checked} rows)")


if __name__ == "__main__":
    main()
