"""Tests of augur_export.py (standard library, numpy and scikit-learn only).

    /usr/bin/python3 tools/test_augur_export.py

Run in `mvn verify` by samples/src/test/java/dev/augur/samples/AugurExportTest.java.
"""
import json
import os
import sys
import tempfile
import unittest

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augur_export  # noqa: E402

NAMES = ["gender", "age", "fare", "class", "sibsp"]


def rows(n=200, seed=3):
    rng = np.random.RandomState(seed)
    out = np.empty((n, len(NAMES)), dtype=object)
    for i in range(n):
        out[i] = [["male", "female"][rng.randint(2)],
                  np.nan if rng.rand() < 0.1 else float(rng.randint(1, 80)),
                  float(np.round(rng.gamma(2, 15), 2)),
                  ["1st", "2nd", "3rd"][rng.randint(3)],
                  float(rng.randint(0, 5))]
    return out


def fitted(x):
    ct = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]),
         [1, 2]),
        ("cat", OneHotEncoder(handle_unknown="ignore"), [0, 3]),
        ("raw", "passthrough", [4]),
    ])
    return ct.fit(x)


EXAMPLE = {"gender": "male", "age": 22, "fare": 7.25, "class": "3rd", "sibsp": 1}


class ManifestTest(unittest.TestCase):
    def setUp(self):
        self.x = rows()
        self.ct = fitted(self.x)
        self.m = augur_export.manifest(self.ct, "titanic", "binary_classification", EXAMPLE,
                                       labels=["died", "survived"], tensor="probabilities",
                                       feature_names=NAMES, integers=["sibsp"])

    def test_the_fitted_constants_become_feature_options_in_output_order(self):
        f = {i["name"]: i for i in self.m["inputs"]}
        self.assertEqual([i["name"] for i in self.m["inputs"]], ["age", "fare", "gender", "class", "sibsp"])
        imputer = self.ct.named_transformers_["num"].named_steps["impute"]
        scaler = self.ct.named_transformers_["num"].named_steps["scale"]
        self.assertEqual(f["age"]["impute"], float(imputer.statistics_[0]))
        self.assertTrue(f["age"]["nullable"])
        self.assertEqual(f["fare"]["scale"], {"mean": float(scaler.mean_[1]), "std": float(scaler.scale_[1])})
        self.assertEqual(f["gender"], {"name": "gender", "type": "category",
                                       "categories": ["female", "male"], "nullable": True})
        self.assertEqual(f["sibsp"], {"name": "sibsp", "type": "integer"})
        self.assertEqual(self.m["output"], {"labels": ["died", "survived"], "positive": "survived",
                                            "activation": "none", "tensor": "probabilities"})
        self.assertEqual(self.m["example"], EXAMPLE)

    def test_augurs_encoding_of_every_row_equals_the_transformer(self):
        self.assertEqual(augur_export.check_round_trip(self.ct, self.m, self.x, NAMES), len(self.x))

    def test_a_wrong_constant_is_caught_naming_the_column(self):
        self.m["inputs"][1]["scale"]["mean"] += 0.5
        with self.assertRaisesRegex(augur_export.ExportError, r"column 1 \(fare\)"):
            augur_export.check_round_trip(self.ct, self.m, self.x, NAMES)

    def test_an_example_outside_the_schema_is_refused(self):
        with self.assertRaisesRegex(augur_export.ExportError, "unknown category 'crew'"):
            augur_export.manifest(self.ct, "t", "binary_classification", dict(EXAMPLE, **{"class": "crew"}),
                                  labels=["a", "b"], feature_names=NAMES)

    def test_an_imputer_in_front_of_the_one_hot_encoder_has_no_form(self):
        ct = ColumnTransformer([
            ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                              ("onehot", OneHotEncoder(handle_unknown="ignore"))]), [0, 3])]).fit(self.x)
        with self.assertRaisesRegex(augur_export.ExportError, "no imputation or scaling for categories"):
            augur_export.manifest(ct, "t", "binary_classification", EXAMPLE, labels=["a", "b"],
                                  feature_names=NAMES)

    def test_writes_model_json_and_the_command_line_does_the_same(self):
        import joblib
        with tempfile.TemporaryDirectory() as d:
            path = augur_export.write(os.path.join(d, "titanic", "1"), self.m)
            with open(path, encoding="utf-8") as fh:
                self.assertEqual(json.load(fh), self.m)
            joblib.dump(self.ct, os.path.join(d, "pre.joblib"))
            augur_export.main([os.path.join(d, "pre.joblib"), "--name", "titanic", "--task",
                               "binary_classification", "--labels", "died,survived", "--tensor",
                               "probabilities", "--feature-names", ",".join(NAMES), "--integers", "sibsp",
                               "--example", json.dumps(EXAMPLE), "--out", os.path.join(d, "cli", "1")])
            with open(os.path.join(d, "cli", "1", "model.json"), encoding="utf-8") as fh:
                self.assertEqual(json.load(fh), self.m)


if __name__ == "__main__":
    unittest.main(verbosity=2)
