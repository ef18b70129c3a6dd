"""14-day forecast of daily closes from the last 30 (forecast task), as in the stock-picker tutorial
(seed 000). One model serves every symbol: the series feature uses the `relative` transform (the
window divided by its last value), so the model sees and predicts ratios to the last close and
Augur maps the forecast back by multiplying with that close.

Data: the 10 SPI sector indices of spi_sectors.csv (long format: symbol, date, close). The split is
chronological: windows whose 14 target days end before 2007-01-01 train the model, windows whose
forecast starts on or after 2007-01-01 test it (every 5th origin per symbol, to keep test.csv
small). Baseline: the last close repeated 14 times ("random walk"), which is hard to beat.

    /usr/bin/python3 samples/train/train_stocks.py
"""
import json
import os

import numpy as np
import torch

from common import (MODELS, DATA, copy_data, enc_series, export, r6, read_csv,
                    seed_everything, write_csv)

NAME = "stocks"
SEED = 42
WINDOW = 30
HORIZON = 14
TEST_START = "2007-01-01"
TEST_STRIDE = 5


class Forecaster(torch.nn.Module):
    """Ratios to the last close: 1 + a small MLP of the relative window minus 1, without drift
    (a flat window forecasts a flat line), so the model learns shapes, not the trend of 2000-2006."""

    def __init__(self, window, horizon, hidden=32):
        super().__init__()
        self.l1 = torch.nn.Linear(window, hidden)
        self.l2 = torch.nn.Linear(hidden, horizon, bias=False)

    def forward(self, x):
        h = torch.tanh(self.l1((x - 1.0) * 10.0))
        flat = torch.tanh(self.l1(torch.zeros_like(x)))
        return 1.0 + (self.l2(h) - self.l2(flat)) * 0.1


def series_by_symbol(rows):
    out = {}
    for r in rows:
        out.setdefault(r["symbol"], []).append((r["date"], float(r["close"])))
    for s in out.values():
        s.sort()
    return out


def main():
    seed_everything(SEED)
    data_dir = copy_data(NAME, ["spi_sectors.csv"])
    series = series_by_symbol(read_csv(os.path.join(DATA, NAME, "spi_sectors.csv")))
    feature = {"name": "closes", "type": "series", "window": WINDOW, "transform": "relative"}

    xs, ys, test = [], [], []
    for sym in sorted(series):
        dates = [d for d, _ in series[sym]]
        closes = [c for _, c in series[sym]]
        k = 0
        for i in range(WINDOW - 1, len(closes) - HORIZON):
            x, _, last = enc_series(feature, closes[i - WINDOW + 1: i + 1])
            target = closes[i + 1: i + 1 + HORIZON]
            if dates[i + HORIZON] < TEST_START:
                xs.append(x)
                ys.append(np.asarray(target) / last)
            elif dates[i + 1] >= TEST_START:
                if k % TEST_STRIDE == 0:
                    test.append((sym, dates[i], closes[i - WINDOW + 1: i + 1], target))
                k += 1
    x_train = torch.tensor(np.asarray(xs), dtype=torch.float32)
    y_train = torch.tensor(np.asarray(ys), dtype=torch.float32)

    model = Forecaster(WINDOW, HORIZON)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-3)
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(8):
        perm = torch.randperm(len(x_train), generator=gen)
        for b in range(0, len(perm), 256):
            idx = perm[b: b + 256]
            opt.zero_grad()
            loss = torch.nn.functional.l1_loss(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
    model.eval()

    # held-out MAE in index points, every step of every test window
    x_test = torch.tensor(np.asarray([enc_series(feature, w)[0] for _, _, w, _ in test]), dtype=torch.float32)
    with torch.no_grad():
        ratios = model(x_test).double().numpy()
    last = np.asarray([w[-1] for _, _, w, _ in test])
    target = np.asarray([t for _, _, _, t in test])
    pred = ratios * last[:, None]
    mae = float(np.abs(pred - target).mean())
    base = float(np.abs(last[:, None] - target).mean())
    print(f"stocks: test MAE {mae:.4f} vs last-value baseline {base:.4f}; {len(test)} test windows, "
          f"{len(x_train)} train windows")

    example_window = series["SPI"][-WINDOW:]
    example = {"closes": [c for _, c in example_window]}
    metrics = {"test_metric": "mae", "model": r6(mae), "baseline": r6(base),
               "baseline_kind": "last close repeated", "test_rows": len(test),
               "train_rows": len(x_train), "test_split": "test.csv", "test_start": TEST_START,
               "window": WINDOW, "horizon": HORIZON}
    manifest = {
        "task": "forecast",
        "description": "Next 14 daily closes of a stock index from its last 30 (one model for every "
                       "symbol: relative transform)",
        "inputs": [feature],
        "output": {"horizon": HORIZON, "activation": "none"},
        "batching": {"max_batch_size": 16, "max_delay_ms": 2},
        "training": {"dataset": "spi_sectors.csv (r-cran-fportfolio SPISECTOR, GPL>=2), 10 symbols; "
                                "train: targets before " + TEST_START + ", test: forecasts from " + TEST_START,
                     "script": "samples/train/train_stocks.py",
                     "metrics": {"test_mae": r6(mae), "baseline_last_value_mae": r6(base)}},
        "example": example,
    }
    d = export(NAME, manifest, model, torch.ones(1, WINDOW), metrics)
    write_csv(os.path.join(d, "test.csv"), ["symbol", "origin", "closes", "target"],
              [[s, o, ",".join(repr(v) for v in w), ",".join(repr(v) for v in t)] for s, o, w, t in test])
    sources = {"sources": [{"name": "stocks", "type": "csv",
                            "path": os.path.relpath(os.path.join(data_dir, "spi_sectors.csv"), MODELS),
                            "key": "symbol", "time": "date", "value": "close"}]}
    with open(os.path.join(MODELS, "sources.json"), "w", encoding="utf-8") as fh:
        json.dump(sources, fh, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    main()
