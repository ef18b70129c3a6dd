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


class ProfileTest(unittest.TestCase):
    M = {"task": "binary_classification",
         "inputs": [{"name": "x", "type": "number"}, {"name": "c", "type": "category"},
                    {"name": "b", "type": "boolean"}, {"name": "t", "type": "text"}]}

    def rows(self):
        out = [{"x": float(i), "c": "a" if i <= 6 else "b", "b": i % 2 == 0, "t": "words"}
               for i in range(1, 11)]
        out.append({"x": None, "c": None, "b": None, "t": None})
        return out

    def test_deciles_shares_and_nulls_as_augur_bins_them(self):
        p = augur_export.profile(self.M, self.rows(), predictions=[i / 10 for i in range(11)])
        self.assertEqual(p["format"], 1)
        self.assertEqual(p["rows"], 11)
        self.assertEqual(list(p["features"]), ["x", "c", "b"])  # text is not profiled
        x = p["features"]["x"]
        self.assertEqual(x["type"], "numeric")
        np.testing.assert_allclose(x["edges"], [1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1],
                                   atol=1e-12)
        # bin i holds edges[i-1] <= x < edges[i]: one value each, the null apart
        np.testing.assert_allclose(x["shares"], [1 / 11] * 10, atol=1e-15)
        self.assertAlmostEqual(x["null"], 1 / 11, places=15)
        c = p["features"]["c"]
        self.assertEqual(c, {"type": "categorical", "shares": {"a": 6 / 11, "b": 4 / 11},
                             "null": 1 / 11})
        self.assertEqual(list(p["features"]["b"]["shares"]), ["false", "true"])
        self.assertEqual(p["prediction"]["type"], "numeric")
        self.assertAlmostEqual(sum(p["prediction"]["shares"]) + p["prediction"]["null"], 1.0)

    def test_duplicate_deciles_are_merged_and_a_wrong_prediction_count_is_refused(self):
        rows = [{"x": 1.0 if i < 8 else float(i), "c": "a", "b": True, "t": ""} for i in range(10)]
        x = augur_export.profile(self.M, rows)["features"]["x"]
        self.assertEqual(x["edges"], sorted(set(x["edges"])))
        self.assertEqual(len(x["shares"]), len(x["edges"]) + 1)
        self.assertNotIn("prediction", augur_export.profile(self.M, rows))
        with self.assertRaisesRegex(augur_export.ExportError, "3 predictions for 10 rows"):
            augur_export.profile(self.M, rows, predictions=[0.1, 0.2, 0.3])

    def test_rows_as_an_array_and_the_command_lines_profile(self):
        x = rows(50)
        m = augur_export.manifest(fitted(x), name="titanic", task="binary_classification",
                                  labels=["died", "survived"], example=EXAMPLE, feature_names=NAMES,
                                  integers=["sibsp"], tensor="probabilities")
        p = augur_export.profile(m, x, feature_names=NAMES)
        self.assertEqual(p["rows"], 50)
        self.assertGreater(p["features"]["age"]["null"], 0)
        with tempfile.TemporaryDirectory() as d:
            csv_path = os.path.join(d, "train.csv")
            with open(csv_path, "w", encoding="utf-8") as fh:
                fh.write(",".join(NAMES) + "\n")
                for r in x:
                    fh.write(",".join("" if isinstance(v, float) and np.isnan(v) else str(v)
                                      for v in r) + "\n")
            path = augur_export.write_profile(os.path.join(d, "m", "1"),
                                              augur_export.profile(m, augur_export.read_csv(csv_path)))
            with open(path, encoding="utf-8") as fh:
                from_csv = json.load(fh)
        self.assertEqual(from_csv["features"]["gender"], p["features"]["gender"])
        np.testing.assert_allclose(from_csv["features"]["age"]["edges"],
                                   p["features"]["age"]["edges"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
