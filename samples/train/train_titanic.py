"""Titanic survival (binary classification), as in the scikit-learn pipeline tutorial (seed 004).

Passengers only (class 1st/2nd/3rd). Inputs: gender, age (2 missing: median imputed), class,
embarked, fare (26 missing: median imputed), sibsp and parch (10 missing each: median imputed).
A small MLP over the encoded features; held-out accuracy vs the majority class.

    /usr/bin/python3 samples/train/train_titanic.py
"""
import os

import numpy as np
import torch

from common import (DATA, copy_data, encode_tabular, export, r6, read_csv, seed_everything,
                    stratified_test_indices,
                    write_csv)

NAME = "titanic"
SEED = 42
FIELDS = ["gender", "age", "class", "embarked", "fare", "sibsp", "parch"]
LABELS = ["died", "survived"]


class Mlp(torch.nn.Module):
    def __init__(self, n_in, hidden=16):
        super().__init__()
        self.l1 = torch.nn.Linear(n_in, hidden)
        self.l2 = torch.nn.Linear(hidden, 2)

    def forward(self, x):
        return self.l2(torch.relu(self.l1(x)))


def main():
    seed_everything(SEED)
    copy_data(NAME, ["titanic.csv"])
    rows = [r for r in read_csv(os.path.join(DATA, NAME, "titanic.csv"))
            if r["class"] in ("1st", "2nd", "3rd")]
    y_all = np.asarray([1 if r["survived"] == "yes" else 0 for r in rows])

    # stratified 75/25 split with a fixed seed
    test_set = set(stratified_test_indices(y_all, SEED))
    train = [r for i, r in enumerate(rows) if i not in test_set]
    test = [r for i, r in enumerate(rows) if i in test_set]
    y_train = np.asarray([1 if r["survived"] == "yes" else 0 for r in train])
    y_test = np.asarray([1 if r["survived"] == "yes" else 0 for r in test])

    def fitted_number(field, integer=False):
        vals = np.asarray([float(r[field]) for r in train if r[field] != ""])
        missing = any(r[field] == "" for r in rows)
        f = {"name": field, "type": "integer" if integer else "number", "min": 0}
        if missing:
            f["nullable"] = True
            f["impute"] = r6(np.median(vals))
        filled = np.asarray([float(r[field]) if r[field] != "" else f.get("impute", 0.0) for r in train])
        f["scale"] = {"mean": r6(filled.mean()), "std": r6(filled.std())}
        return f

    inputs = [
        {"name": "gender", "type": "category", "categories": ["male", "female"]},
        fitted_number("age"),
        {"name": "class", "type": "category", "categories": ["1st", "2nd", "3rd"]},
        {"name": "embarked", "type": "category", "categories": sorted({r["embarked"] for r in train})},
        fitted_number("fare"),
        fitted_number("sibsp", integer=True),
        fitted_number("parch", integer=True),
    ]
    x_train = torch.from_numpy(encode_tabular(inputs, train))
    x_test = torch.from_numpy(encode_tabular(inputs, test))
    n = x_train.shape[1]

    model = Mlp(n)
    opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-3)
    yt = torch.from_numpy(y_train).long()
    for _ in range(400):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x_train), yt)
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(x_test).argmax(1).numpy()
        train_acc = float((model(x_train).argmax(1).numpy() == y_train).mean())
    acc = float((pred == y_test).mean())
    majority = int(np.bincount(y_train).argmax())
    baseline = float((y_test == majority).mean())
    print(f"titanic: test accuracy {acc:.4f} (train {train_acc:.4f}); "
          f"baseline majority '{LABELS[majority]}' {baseline:.4f}; {len(test)} test rows")

    example = {"gender": "male", "age": 22.0, "class": "3rd", "embarked": "S", "fare": 7.25,
               "sibsp": 1, "parch": 0}
    metrics = {"test_metric": "accuracy", "model": r6(acc), "baseline": r6(baseline),
               "baseline_kind": "majority class (" + LABELS[majority] + ")", "test_rows": len(test),
               "train_rows": len(train), "test_split": "test.csv"}
    manifest = {
        "task": "binary_classification",
        "description": "Survival of a Titanic passenger (small MLP; passengers of 1st-3rd class)",
        "inputs": inputs,
        "output": {"labels": LABELS, "positive": "survived", "activation": "softmax"},
        "batching": {"max_batch_size": 32, "max_delay_ms": 2},
        "training": {"dataset": "titanic.csv (r-cran-stablelearner, GPL-2|GPL-3), passengers only; "
                                "stratified 75/25 split, seed 42",
                     "script": "samples/train/train_titanic.py",
                     "metrics": {"test_accuracy": r6(acc), "baseline_majority_accuracy": r6(baseline)}},
        "example": example,
    }
    d = export(NAME, manifest, model, torch.zeros(1, n), metrics)
    write_csv(os.path.join(d, "test.csv"), FIELDS + ["target"],
              [[r[f] for f in FIELDS] + [LABELS[1 if r["survived"] == "yes" else 0]] for r in test])


if __name__ == "__main__":
    main()
