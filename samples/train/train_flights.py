"""Arrival delay of a US domestic flight in minutes (regression), in the spirit of the taxi-fare API
tutorial (seed 001): a datetime feature plus categories and a number, sent as query parameters.

Inputs: `date` (actual departure, local time, no zone: its parts are read as given), `distance`
(miles) and the coordinates of both airports (`origin_latitude`, `origin_longitude`,
`destination_latitude`, `destination_longitude`), which this script joins from airports.csv: an
Augur schema does not join tables, so the caller sends the coordinates. The IATA codes `origin` and
`destination` may be sent too; they are not schema fields, so they are kept in the history and not
given to the model (one-hot airport categories overfit: held-out MAE 17.0-17.4 vs 16.8 with
coordinates). Augur gives the model the raw datetime parts; the model makes them cyclic itself.
The target is standardised for training and mapped back by the manifest's output `scale`.
Trained with an L1 loss; held-out MAE vs predicting the training mean (and median).

    /usr/bin/python3 samples/train/train_flights.py
"""
import math
import os

import numpy as np
import torch

from common import DATA, copy_data, encode_tabular, export, r6, read_csv, seed_everything, write_csv

NAME = "flights"
SEED = 42
COORDS = ["origin_latitude", "origin_longitude", "destination_latitude", "destination_longitude"]
FIELDS = ["date", "origin", "destination", "distance"] + COORDS
PARTS = ["month", "dayofmonth", "dayofweek", "hour", "minute"]


class DelayModel(torch.nn.Module):
    """Cyclic encodings of the datetime parts, then an MLP over them and the other features."""

    def __init__(self, n_rest, hidden=64):
        super().__init__()
        self.mlp = torch.nn.Sequential(
            torch.nn.Linear(9 + n_rest, hidden), torch.nn.ReLU(), torch.nn.Dropout(0.1),
            torch.nn.Linear(hidden, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))

    def forward(self, x):
        month, day, dow, hour, minute = x[:, 0:1], x[:, 1:2], x[:, 2:3], x[:, 3:4], x[:, 4:5]
        tod = (hour + minute / 60.0) * (2 * math.pi / 24.0)
        week = dow * (2 * math.pi / 7.0)
        year = ((month - 1.0) + (day - 1.0) / 31.0) * (2 * math.pi / 12.0)
        t = torch.cat([torch.sin(tod), torch.cos(tod), torch.sin(week), torch.cos(week),
                       torch.sin(year), torch.cos(year), (month - 2.0), (day - 16.0) / 9.0,
                       (dow - 3.0) / 2.0], dim=1)
        return self.mlp(torch.cat([t, x[:, 5:]], dim=1))


def main():
    seed_everything(SEED)
    copy_data(NAME, ["flights.csv", "airports.csv"])
    rows = read_csv(os.path.join(DATA, NAME, "flights.csv"))
    airports = {r["iata"]: r for r in read_csv(os.path.join(DATA, NAME, "airports.csv"))}
    for r in rows:
        for end in ("origin", "destination"):
            r[end + "_latitude"] = airports[r[end]]["latitude"]
            r[end + "_longitude"] = airports[r[end]]["longitude"]

    rng = np.random.RandomState(SEED)
    perm = rng.permutation(len(rows))
    n_test = len(rows) // 5
    test = [rows[i] for i in sorted(perm[:n_test])]
    train = [rows[i] for i in sorted(perm[n_test:])]
    y_train = np.asarray([float(r["delay"]) for r in train])
    y_test = np.asarray([float(r["delay"]) for r in test])

    def number(field, **bounds):
        v = np.asarray([float(r[field]) for r in train])
        return {"name": field, "type": "number", **bounds, "scale": {"mean": r6(v.mean()), "std": r6(v.std())}}

    inputs = [
        {"name": "date", "type": "datetime", "parts": PARTS},
        number("distance", min=0),
    ] + [number(c, min=-90, max=90) if "latitude" in c else number(c, min=-180, max=180) for c in COORDS]
    out_scale = {"mean": r6(y_train.mean()), "std": r6(y_train.std())}
    x_train = torch.from_numpy(encode_tabular(inputs, train))
    x_test = torch.from_numpy(encode_tabular(inputs, test))
    t_train = torch.tensor((y_train - out_scale["mean"]) / out_scale["std"], dtype=torch.float32)[:, None]
    n = x_train.shape[1]

    model = DelayModel(n - len(PARTS))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-3)
    gen = torch.Generator().manual_seed(SEED)
    for _ in range(30):
        model.train()
        p = torch.randperm(len(x_train), generator=gen)
        for b in range(0, len(p), 128):
            idx = p[b: b + 128]
            opt.zero_grad()
            torch.nn.functional.l1_loss(model(x_train[idx]), t_train[idx]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(x_test)[:, 0].double().numpy() * out_scale["std"] + out_scale["mean"]
    mae = float(np.abs(pred - y_test).mean())
    base = float(np.abs(out_scale["mean"] - y_test).mean())
    base_median = float(np.abs(np.median(y_train) - y_test).mean())
    print(f"flights: test MAE {mae:.4f} min vs mean baseline {base:.4f} (median baseline "
          f"{base_median:.4f}); {len(test)} test rows")

    example = {"date": "2001-03-15T17:30:00", "origin": "ORD", "destination": "LAX", "distance": 1745}
    for end in ("origin", "destination"):
        example[end + "_latitude"] = float(airports[example[end]]["latitude"])
        example[end + "_longitude"] = float(airports[example[end]]["longitude"])
    metrics = {"test_metric": "mae", "model": r6(mae), "baseline": r6(base),
               "baseline_kind": "training mean delay", "baseline_median": r6(base_median),
               "test_rows": len(test), "train_rows": len(train), "test_split": "test.csv"}
    manifest = {
        "task": "regression",
        "description": "Arrival delay in minutes of a US domestic flight (Jan-Mar 2001) from its "
                       "departure time (local), distance and airport coordinates",
        "inputs": inputs,
        "output": {"scale": out_scale, "activation": "none"},
        "batching": {"max_batch_size": 32, "max_delay_ms": 2},
        "training": {"dataset": "flights.csv (vega-datasets flights-20k, U.S. BTS) joined with airports.csv; "
                                "random 80/20 split, seed 42",
                     "script": "samples/train/train_flights.py",
                     "metrics": {"test_mae": r6(mae), "baseline_mean_mae": r6(base),
                                 "baseline_median_mae": r6(base_median)}},
        "example": example,
    }
    d = export(NAME, manifest, model, torch.zeros(1, n), metrics)
    write_csv(os.path.join(d, "test.csv"), FIELDS + ["target"],
              [[r[f] for f in FIELDS] + [r["delay"]] for r in test])


if __name__ == "__main__":
    main()
