"""Sentiment of a short review sentence (binary text classification), as in the sentiment analyser
tutorial (seed 002). Data: UCI "Sentiment Labelled Sentences" (amazon, imdb, yelp; 3000 rows).

The `text` feature uses Augur's word tokenizer: lower-case, split on every character that is not a
letter or digit, look words up in vocab.txt (the training words seen at least twice; id = line
number, 0 = padding, 1 = unknown), truncate / pad to 64 ids. The model is an embedding bag: the
mean of the word vectors of the non-padding ids, then a linear layer to two logits.

    /usr/bin/python3 samples/train/train_sentiment.py
"""
import collections
import os

import numpy as np
import torch

from common import (DATA, copy_data, export, r6, read_csv, seed_everything, token_ids, words,
                    write_csv)

NAME = "sentiment"
SEED = 42
LABELS = ["negative", "positive"]
MAX_LENGTH = 64
DIM = 32


class EmbeddingBag(torch.nn.Module):
    def __init__(self, vocab_size, dim):
        super().__init__()
        self.emb = torch.nn.Embedding(vocab_size, dim, padding_idx=0)
        self.drop = torch.nn.Dropout(0.3)
        self.out = torch.nn.Linear(dim, 2)

    def forward(self, ids):
        mask = (ids != 0).float().unsqueeze(2)
        mean = (self.emb(ids) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.out(self.drop(mean))


def main():
    seed_everything(SEED)
    copy_data(NAME, ["sentiment_sentences.csv"])
    rows = read_csv(os.path.join(DATA, NAME, "sentiment_sentences.csv"))
    y = np.asarray([LABELS.index(r["sentiment"]) for r in rows])

    # 80/20 split stratified by source and label, fixed seed
    rng = np.random.RandomState(SEED)
    groups = collections.defaultdict(list)
    for i, r in enumerate(rows):
        groups[(r["source"], r["sentiment"])].append(i)
    test_idx = set()
    for key in sorted(groups):
        idx = np.asarray(groups[key])
        rng.shuffle(idx)
        test_idx.update(idx[: round(len(idx) * 0.2)].tolist())
    train = [i for i in range(len(rows)) if i not in test_idx]
    test = sorted(test_idx)

    counts = collections.Counter(w for i in train for w in words(rows[i]["text"]))
    vocab = ["<pad>", "<unk>"] + sorted((w for w, c in counts.items() if c >= 2),
                                        key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    tokenizer = {"type": "word", "vocabulary": "vocab.txt", "lowercase": True,
                 "max_length": MAX_LENGTH, "pad_id": 0, "unknown_id": 1}

    def ids(sel):
        return torch.tensor([token_ids(tokenizer, index, rows[i]["text"]) for i in sel], dtype=torch.long)

    x_train, x_test = ids(train), ids(test)
    y_train, y_test = torch.from_numpy(y[train]).long(), y[test]

    model = EmbeddingBag(len(vocab), DIM)
    opt = torch.optim.Adam(model.parameters(), lr=5e-3, weight_decay=1e-5)
    gen = torch.Generator().manual_seed(SEED)
    for _ in range(20):
        model.train()
        perm = torch.randperm(len(x_train), generator=gen)
        for b in range(0, len(perm), 32):
            idx = perm[b: b + 32]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x_train[idx]), y_train[idx]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(x_test).argmax(1).numpy()
    acc = float((pred == y_test).mean())
    majority = int(np.bincount(y[train]).argmax())
    baseline = float((y_test == majority).mean())
    print(f"sentiment: test accuracy {acc:.4f}; baseline majority '{LABELS[majority]}' {baseline:.4f}; "
          f"{len(test)} test rows, vocabulary {len(vocab)}")

    feature = {"name": "text", "type": "text", "tokenizer": tokenizer, "max_chars": 5000}
    metrics = {"test_metric": "accuracy", "model": r6(acc), "baseline": r6(baseline),
               "baseline_kind": f"majority class ({LABELS[majority]})", "test_rows": len(test),
               "train_rows": len(train), "test_split": "test.csv"}
    manifest = {
        "task": "binary_classification",
        "description": "Sentiment of a short English review sentence (embedding bag over words)",
        "inputs": [feature],
        "output": {"labels": LABELS, "positive": "positive", "activation": "softmax"},
        "batching": {"max_batch_size": 32, "max_delay_ms": 2},
        "training": {"dataset": "sentiment_sentences.csv (UCI Sentiment Labelled Sentences, Kotzias et al. "
                                "2015, CC BY 4.0); 80/20 split stratified by source and label, seed 42",
                     "script": "samples/train/train_sentiment.py",
                     "metrics": {"test_accuracy": r6(acc), "baseline_majority_accuracy": r6(baseline)}},
        "example": {"text": "Great phone, the battery lasts for days. I love it!"},
    }
    d = export(NAME, manifest, model, torch.ones(1, MAX_LENGTH, dtype=torch.long), metrics,
               extra_files=[("vocab.txt", "\n".join(vocab) + "\n")])
    write_csv(os.path.join(d, "test.csv"), ["text", "target"],
              [[rows[i]["text"], rows[i]["sentiment"]] for i in test])


if __name__ == "__main__":
    main()
