"""Makes the engine test fixtures of augur-core: ONNX models and TorchScript output selection.

Run from any directory with Debian's python3 (python3-onnx, python3-sklearn, python3-torch):
    /usr/bin/python3 core/src/test/python/make_engine_fixtures.py

It adds to what make_fixtures.py writes (and leaves those files alone):

- fixtures/models/NAME/1/{model.json, model.onnx | model.pt} and fixtures/reference/NAME.json for
    onnx_logreg_binary      scikit-learn Pipeline(StandardScaler, LogisticRegression) as Scaler +
                            LinearClassifier; output.tensor "probabilities"
    onnx_forest_multiclass  scikit-learn RandomForestClassifier with string classes as
                            TreeEnsembleClassifier; output.tensor 1 (label is output 0)
    onnx_mlp_regression     a PyTorch MLP through torch.onnx.export, dynamic batch axis
    onnx_cnn_digits         a small PyTorch CNN through torch.onnx.export, dynamic batch axis
    torch_dict_output       TorchScript returning a dict; output.tensor "logits"
    torch_tuple_output      TorchScript returning a tuple; output.tensor 1
  The expected outputs are scikit-learn's predict_proba and PyTorch's forward on the tensors that
  the documented preprocessing rules give (make_fixtures.encode), not ONNX Runtime's.
- fixtures/broken/NAME/1/ packages that must fail to load with a message saying what to do:
    state_dict (torch.save of a state dict), checkpoint (torch.save of a whole module),
    opset_too_new (an ONNX graph stamped opset 30), zipmap (probabilities through ZipMap),
    two_inputs (an ONNX graph taking two tensors where the schema makes one).
"""
import json
import os
import shutil
import sys

import numpy as np
import torch
from onnx import TensorProto, TypeProto, helper, save_model
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "tools"))
sys.path.insert(0, HERE)
import make_fixtures as mf  # noqa: E402  (the documented encoding rules)
from sklearn_onnx import to_onnx  # noqa: E402

OUT = mf.OUT
NAMES = ["onnx_logreg_binary", "onnx_forest_multiclass", "onnx_mlp_regression", "onnx_cnn_digits",
         "torch_dict_output", "torch_tuple_output"]


def package(name, manifest, root="models"):
    d = os.path.join(OUT, root, name, "1")
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    with open(os.path.join(d, "model.json"), "w", encoding="utf-8") as fh:
        json.dump(dict(name=name, version="1", **manifest), fh, indent=2, ensure_ascii=False)
    return d


def reference(name, manifest, cases, outputs):
    """cases: observations; outputs(tensors) -> one raw output row per case (a list of floats)."""
    d = os.path.join(OUT, "models", name, "1")
    ref = []
    for obs in cases:
        tensors, series = mf.encode(manifest, obs, d)
        y = outputs([t for t, _ in tensors])
        ref.append({"observation": obs,
                    "tensors": [{"shape": list(t.shape), "dtype": dt, "data": t.flatten().tolist()}
                                for t, dt in tensors],
                    "expected": mf.decode(manifest, [float(v) for v in y], series)})
    os.makedirs(os.path.join(OUT, "reference"), exist_ok=True)
    with open(os.path.join(OUT, "reference", name + ".json"), "w", encoding="utf-8") as fh:
        json.dump({"model": name, "cases": ref}, fh, ensure_ascii=False)
    print(f"{name}: {len(ref)} cases, labels {sorted({json.dumps(c['expected'].get('label')) for c in ref})}")


def onnx_export(module, example, path, names_in, names_out):
    module.eval()
    torch.onnx.export(module, example, path, input_names=names_in, output_names=names_out,
                      dynamic_axes={n: {0: "batch"} for n in names_in + names_out}, opset_version=17)


def logreg_binary():
    name = "onnx_logreg_binary"
    inputs = [{"name": "Age", "type": "number", "nullable": True, "impute": 28.0},
              {"name": "Fare", "type": "number", "min": 0},
              {"name": "Sex", "type": "category", "categories": ["male", "female"]},
              {"name": "Pclass", "type": "integer", "min": 1, "max": 3}]
    rng = np.random.RandomState(11)
    rows = [{"Age": float(rng.randint(1, 70)), "Fare": float(np.round(rng.gamma(2, 15), 2)),
             "Sex": ["male", "female"][rng.randint(2)], "Pclass": int(rng.randint(1, 4))}
            for _ in range(400)]
    manifest = {"task": "binary_classification", "engine": "OnnxRuntime", "artifact": "model.onnx",
                "inputs": inputs,
                "output": {"labels": ["died", "survived"], "positive": "survived",
                           "activation": "none", "tensor": "probabilities"},
                "batching": {"max_batch_size": 16, "max_delay_ms": 1},
                "example": {"Age": 22.0, "Fare": 7.25, "Sex": "male", "Pclass": 3}}
    d = package(name, manifest)
    x = np.vstack([mf.encode(manifest, r, d)[0][0][0] for r in rows]).astype(np.float64)
    logit = 0.04 * (30 - x[:, 0]) + 0.02 * x[:, 1] + 2.2 * x[:, 3] - 0.9 * x[:, 4]
    y = np.where(rng.rand(len(rows)) < 1 / (1 + np.exp(-logit)), "survived", "died")
    pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(C=2.0))]).fit(x, y)
    assert list(pipe.classes_) == ["died", "survived"]
    save_model(to_onnx(pipe, x.shape[1], name=name), os.path.join(d, "model.onnx"))
    cases = [manifest["example"],
             {"Age": None, "Fare": 71.28, "Sex": "female", "Pclass": 1},
             {"Age": 4, "Fare": "16.7", "Sex": "female", "Pclass": 2},
             {"Age": 61.5, "Fare": 0, "Sex": "male", "Pclass": "1"},
             {"Age": 35, "Fare": 512.33, "Sex": "female", "Pclass": 3}]
    reference(name, manifest, cases, lambda t: pipe.predict_proba(t[0].astype(np.float64))[0])


def forest_multiclass():
    name = "onnx_forest_multiclass"
    iris = load_iris()
    features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    inputs = [{"name": f, "type": "number", "min": 0} for f in features]
    x = iris.data.astype(np.float32).astype(np.float64)
    y = np.asarray(iris.target_names)[iris.target]
    forest = RandomForestClassifier(n_estimators=12, max_depth=4, random_state=5).fit(x, y)
    labels = [str(c) for c in forest.classes_]
    manifest = {"task": "multiclass_classification", "engine": "OnnxRuntime", "artifact": "model.onnx",
                "inputs": inputs, "output": {"labels": labels, "activation": "none", "tensor": 1},
                "batching": {"max_batch_size": 8, "max_delay_ms": 1},
                "example": dict(zip(features, [5.1, 3.5, 1.4, 0.2]))}
    d = package(name, manifest)
    save_model(to_onnx(forest, 4, name=name), os.path.join(d, "model.onnx"))
    picks = [0, 25, 52, 77, 101, 120, 133, 149]
    # training rows themselves: each is next to a split threshold, where a float32 threshold rounded
    # to nearest would send it the other way (sklearn_onnx rounds down, as float32 inputs need)
    cases = [dict(zip(features, [float(v) for v in iris.data[i]])) for i in picks]
    reference(name, manifest, cases, lambda t: forest.predict_proba(t[0].astype(np.float64))[0])


def mlp_regression():
    name = "onnx_mlp_regression"
    inputs = [{"name": "rooms", "type": "integer", "min": 1, "max": 12},
              {"name": "area", "type": "number", "scale": {"mean": 90, "std": 35}},
              {"name": "district", "type": "category", "categories": ["north", "south", "centre"]},
              {"name": "garden", "type": "boolean"}]
    manifest = {"task": "regression", "engine": "OnnxRuntime", "artifact": "model.onnx", "inputs": inputs,
                "output": {"scale": {"mean": 250000, "std": 80000}},
                "batching": {"max_batch_size": 16, "max_delay_ms": 1},
                "example": {"rooms": 3, "area": 72.5, "district": "north", "garden": False}}
    d = package(name, manifest)
    torch.manual_seed(21)
    module = mf.Tabular(mf.tabular_width(inputs), 1, hidden=16, gain=1.0)
    onnx_export(module, torch.zeros(1, mf.tabular_width(inputs)), os.path.join(d, "model.onnx"),
                ["features"], ["price"])
    cases = [manifest["example"],
             {"rooms": 7, "area": 180, "district": "centre", "garden": True},
             {"rooms": "2", "area": "41.3", "district": "south", "garden": "false"},
             {"rooms": 12, "area": 400.5, "district": "north", "garden": 1}]
    reference(name, manifest, cases,
              lambda t: module(torch.from_numpy(t[0])).detach().numpy()[0])


def cnn_digits():
    name = "onnx_cnn_digits"
    inputs = [{"name": "image", "type": "image", "width": 28, "height": 28, "channels": 1,
               "scale": 1 / 255, "mean": [0.1307], "std": [0.3081]}]
    labels = [str(i) for i in range(10)]
    rng = np.random.RandomState(4)
    digit = np.zeros((28, 28), dtype=np.int64)
    digit[6:22, 12:16] = 255
    manifest = {"task": "multiclass_classification", "engine": "OnnxRuntime", "artifact": "model.onnx",
                "inputs": inputs, "output": {"labels": labels, "activation": "softmax"},
                "batching": {"max_batch_size": 8, "max_delay_ms": 1},
                "example": {"image": digit.tolist()}}
    d = package(name, manifest)
    torch.manual_seed(8)
    module = mf.Cnn()
    onnx_export(module, torch.zeros(1, 1, 28, 28), os.path.join(d, "model.onnx"), ["image"], ["logits"])
    cases = [{"image": digit.tolist()},
             {"image": rng.randint(0, 256, size=(28, 28)).tolist()},
             {"image": mf.png_b64(rng.randint(0, 256, size=(28, 28)), "L")}]
    reference(name, manifest, cases, lambda t: module(torch.from_numpy(t[0])).detach().numpy()[0])


class DictOut(torch.nn.Module):
    def __init__(self, n_in):
        super().__init__()
        self.body = mf.Tabular(n_in, 3, hidden=8)

    def forward(self, x):
        logits = self.body(x)
        return {"embedding": torch.relu(self.body.l1(x)), "logits": logits}


class TupleOut(torch.nn.Module):
    def __init__(self, n_in):
        super().__init__()
        self.body = mf.Tabular(n_in, 2, hidden=8)

    def forward(self, x):
        return torch.relu(self.body.l1(x)), self.body(x)


def torch_outputs():
    inputs = [{"name": "a", "type": "number"}, {"name": "b", "type": "number"},
              {"name": "c", "type": "category", "categories": ["x", "y"]}]
    cases = [{"a": 0.5, "b": -1.0, "c": "x"}, {"a": 3, "b": 2.5, "c": "y"}, {"a": -2, "b": 0, "c": "x"}]
    torch.manual_seed(3)
    for name, module, labels, tensor, pick in [
            ("torch_dict_output", DictOut(4), ["red", "green", "blue"], "logits", lambda y: y["logits"]),
            ("torch_tuple_output", TupleOut(4), ["no", "yes"], 1, lambda y: y[1])]:
        task = "multiclass_classification" if len(labels) > 2 else "binary_classification"
        output = {"labels": labels, "activation": "softmax", "tensor": tensor}
        if task == "binary_classification":
            output["positive"] = "yes"
        manifest = {"task": task, "engine": "PyTorch", "artifact": "model.pt", "inputs": inputs,
                    "output": output, "example": cases[0]}
        d = package(name, manifest)
        module.eval()
        traced = torch.jit.trace(module, torch.zeros(1, 4), strict=False)
        traced.save(os.path.join(d, "model.pt"))
        loaded = torch.jit.load(os.path.join(d, "model.pt"))
        reference(name, manifest, cases,
                  lambda t, loaded=loaded, pick=pick: pick(loaded(torch.from_numpy(t[0]))).detach().numpy()[0])


def broken():
    shutil.rmtree(os.path.join(OUT, "broken"), ignore_errors=True)
    tab = [{"name": "x", "type": "number"}, {"name": "y", "type": "number"}]
    cls = {"task": "binary_classification", "inputs": tab,
           "output": {"labels": ["a", "b"], "activation": "none", "tensor": "probabilities"},
           "example": {"x": 1.0, "y": 2.0}}
    torch.manual_seed(1)
    module = mf.Tabular(2, 2, hidden=4)
    d = package("state_dict", {**cls, "engine": "PyTorch", "artifact": "model.pt"}, "broken")
    torch.save(module.state_dict(), os.path.join(d, "model.pt"))
    d = package("checkpoint", {**cls, "engine": "PyTorch", "artifact": "model.pt"}, "broken")
    torch.save(module, os.path.join(d, "model.pt"))

    def graph(nodes, ins, outs, opsets):
        g = helper.make_graph(nodes, "g", ins, outs)
        m = helper.make_model(g, producer_name="augur fixtures", opset_imports=opsets)
        m.ir_version = 8
        return m

    x2 = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 2])
    probs = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 2])
    d = package("opset_too_new", {**cls, "engine": "OnnxRuntime", "artifact": "model.onnx"}, "broken")
    save_model(graph([helper.make_node("Softmax", ["x"], ["probabilities"], axis=1)], [x2], [probs],
                     [helper.make_opsetid("", 30)]), os.path.join(d, "model.onnx"))
    d = package("two_inputs", {**cls, "engine": "OnnxRuntime", "artifact": "model.onnx"}, "broken")
    save_model(graph([helper.make_node("Add", ["x", "bias"], ["s"]),
                      helper.make_node("Softmax", ["s"], ["probabilities"], axis=1)],
                     [x2, helper.make_tensor_value_info("bias", TensorProto.FLOAT, ["batch", 2])], [probs],
                     [helper.make_opsetid("", 17)]), os.path.join(d, "model.onnx"))
    d = package("zipmap", {**cls, "engine": "OnnxRuntime", "artifact": "model.onnx"}, "broken")
    maps = TypeProto()  # seq(map(int64, tensor(float))), what ZipMap emits
    maps.sequence_type.elem_type.map_type.key_type = TensorProto.INT64
    maps.sequence_type.elem_type.map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    zip_out = helper.make_value_info("output_probability", maps)
    save_model(graph([helper.make_node("Softmax", ["x"], ["p"], axis=1),
                      helper.make_node("ZipMap", ["p"], ["output_probability"], domain="ai.onnx.ml",
                                       classlabels_int64s=[0, 1])],
                     [x2], [zip_out], [helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)]),
               os.path.join(d, "model.onnx"))
    print("broken: state_dict, checkpoint, opset_too_new, two_inputs, zipmap")


def main():
    torch.set_num_threads(1)
    logreg_binary()
    forest_multiclass()
    mlp_regression()
    cnn_digits()
    torch_outputs()
    broken()


if __name__ == "__main__":
    main()
