"""Handwritten digits, 8x8 pictures (multiclass image classification), like the MNIST Flask app
(seed 003) but on scikit-learn's small "digits" set so the sample stays tiny.

The `image` feature takes a nested [8][8] array of the 0..16 pixel counts (or an 8x8 PNG whose
grey values are the same counts; a larger picture is resized to 8x8), scales by 1/16 and
normalises with the training mean and std. A small CNN; held-out accuracy vs the majority class.

    /usr/bin/python3 samples/train/train_digits.py
"""
import os

import numpy as np
import torch

from common import DATA, copy_data, enc_image, export, r6, read_csv, seed_everything, write_csv

NAME = "digits"
SEED = 42
LABELS = [str(i) for i in range(10)]


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = torch.nn.Conv2d(16, 32, 3, padding=1)
        self.fc = torch.nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = torch.relu(self.c1(x))
        x = torch.max_pool2d(torch.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


def main():
    seed_everything(SEED)
    copy_data(NAME, ["digits.csv"])
    rows = read_csv(os.path.join(DATA, NAME, "digits.csv"))
    px_cols = [f"px{i}" for i in range(64)]
    pixels = np.asarray([[int(r[c]) for c in px_cols] for r in rows], dtype=np.float64)
    y = np.asarray([int(r["label"]) for r in rows])

    # stratified 75/25 split with a fixed seed
    rng = np.random.RandomState(SEED)
    test_idx = []
    for c in range(10):
        idx = np.flatnonzero(y == c)
        rng.shuffle(idx)
        test_idx.extend(idx[: round(len(idx) * 0.25)].tolist())
    is_test = np.zeros(len(rows), dtype=bool)
    is_test[test_idx] = True

    scaled = pixels[~is_test] / 16.0
    feature = {"name": "image", "type": "image", "width": 8, "height": 8, "channels": 1,
               "scale": 1 / 16, "mean": [r6(scaled.mean())], "std": [r6(scaled.std())]}

    def tensors(mask):
        return torch.tensor(np.stack([enc_image(feature, p.reshape(8, 8)) for p in pixels[mask]]),
                            dtype=torch.float32)

    x_train, x_test = tensors(~is_test), tensors(is_test)
    y_train, y_test = torch.from_numpy(y[~is_test]).long(), y[is_test]

    model = Cnn()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(SEED)
    for _ in range(25):
        perm = torch.randperm(len(x_train), generator=gen)
        model.train()
        for b in range(0, len(perm), 64):
            idx = perm[b: b + 64]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x_train[idx]), y_train[idx]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(x_test).argmax(1).numpy()
    acc = float((pred == y_test).mean())
    majority = int(np.bincount(y[~is_test]).argmax())
    baseline = float((y_test == majority).mean())
    print(f"digits: test accuracy {acc:.4f}; baseline majority '{majority}' {baseline:.4f}; "
          f"{len(y_test)} test rows")

    example = {"image": pixels[is_test][0].astype(int).reshape(8, 8).tolist()}
    metrics = {"test_metric": "accuracy", "model": r6(acc), "baseline": r6(baseline),
               "baseline_kind": f"majority class ({majority})", "test_rows": int(is_test.sum()),
               "train_rows": int((~is_test).sum()), "test_split": "test.csv"}
    manifest = {
        "task": "multiclass_classification",
        "description": "Handwritten digit in an 8x8 picture (pixel values 0..16; small CNN)",
        "inputs": [feature],
        "output": {"labels": LABELS, "activation": "softmax"},
        "batching": {"max_batch_size": 32, "max_delay_ms": 2},
        "training": {"dataset": "digits.csv (scikit-learn digits / UCI optdigits, BSD-3-Clause); "
                                "stratified 75/25 split, seed 42",
                     "script": "samples/train/train_digits.py",
                     "metrics": {"test_accuracy": r6(acc), "baseline_majority_accuracy": r6(baseline)}},
        "example": example,
    }
    d = export(NAME, manifest, model, torch.zeros(1, 1, 8, 8), metrics)
    write_csv(os.path.join(d, "test.csv"), px_cols + ["target"],
              [[str(int(v)) for v in p] + [str(t)] for p, t in zip(pixels[is_test], y_test)])


if __name__ == "__main__":
    main()
