"""Fitted scikit-learn classifiers as ONNX graphs, the way skl2onnx writes them with ZipMap off.

skl2onnx is what you should use (`pip install skl2onnx`, see docs/export.md):

    from skl2onnx import to_onnx
    onx = to_onnx(model, X[:1].astype("float32"), options={"zipmap": False})

This module is a small stand-in for machines where skl2onnx cannot be installed (Debian packages
only `python3-onnx`); Augur's own fixtures and the `titanic_forest` sample are built with it. It
writes the same operators (`Scaler`, `LinearClassifier`, `TreeEnsembleClassifier` from
`ai.onnx.ml`) and the same outputs, `label` then `probabilities` (a float tensor
`[batch, classes]` in `classes_` order), with a dynamic batch axis on input `float_input`.

Supported: `LogisticRegression` (binary and multinomial), `DecisionTreeClassifier`,
`RandomForestClassifier`, `ExtraTreesClassifier`, optionally behind a `StandardScaler`
(a two-step `Pipeline`). Needs numpy, scikit-learn and onnx.
"""
import numpy as np
from onnx import TensorProto, checker, helper

ML = "ai.onnx.ml"


def to_onnx(model, n_features, opset=17, ml_opset=3, name="sklearn"):
    """The ONNX ModelProto of a fitted classifier (or Pipeline(StandardScaler, classifier))."""
    steps = model.steps if hasattr(model, "steps") else [("model", model)]
    nodes, x = [], "float_input"
    scaler, clf = (steps[0][1], steps[-1][1]) if len(steps) == 2 else (None, steps[-1][1])
    if len(steps) > 2 or (scaler is not None and type(scaler).__name__ != "StandardScaler"):
        raise ValueError("only a classifier, or Pipeline(StandardScaler, classifier), is supported")
    if scaler is not None:
        offset = scaler.mean_ if scaler.with_mean else np.zeros(n_features)
        scale = 1.0 / scaler.scale_ if scaler.with_std else np.ones(n_features)
        nodes.append(helper.make_node("Scaler", [x], ["scaled"], domain=ML,
                                      offset=[float(v) for v in offset],
                                      scale=[float(v) for v in scale]))
        x = "scaled"
    classes = list(clf.classes_)
    labels = _labels(classes)
    kind = type(clf).__name__
    if kind == "LogisticRegression":
        nodes.append(_linear(clf, x, labels))
    elif kind in ("DecisionTreeClassifier", "RandomForestClassifier", "ExtraTreesClassifier"):
        trees = [clf] if kind == "DecisionTreeClassifier" else clf.estimators_
        nodes.append(_trees(trees, x, labels, len(classes)))
    else:
        raise ValueError(f"{kind} is not supported here; use skl2onnx")
    string_labels = "classlabels_strings" in labels
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, ["batch", n_features])],
        [helper.make_tensor_value_info("label", TensorProto.STRING if string_labels else TensorProto.INT64,
                                       ["batch"]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", len(classes)])])
    onx = helper.make_model(graph, producer_name="augur sklearn_onnx", producer_version="1",
                            opset_imports=[helper.make_opsetid("", opset), helper.make_opsetid(ML, ml_opset)])
    onx.ir_version = 8
    checker.check_model(onx)
    return onx


def _labels(classes):
    if all(isinstance(c, (int, np.integer)) for c in classes):
        return {"classlabels_ints": [int(c) for c in classes]}
    return {"classlabels_strings": [str(c) for c in classes]}


def _linear(clf, x, labels):
    coef = np.asarray(clf.coef_, dtype=np.float64)
    intercept = np.asarray(clf.intercept_, dtype=np.float64)
    if coef.shape[0] == 1:
        # binary: one score s for the second class; [-s, s] through the logistic gives
        # [1 - p, p], scikit-learn's predict_proba
        coef = np.vstack([-coef, coef])
        intercept = np.concatenate([-intercept, intercept])
        post = "LOGISTIC"
    else:
        post = "SOFTMAX"
    return helper.make_node("LinearClassifier", [x], ["label", "probabilities"], domain=ML,
                            coefficients=[float(v) for v in coef.flatten()],
                            intercepts=[float(v) for v in intercept],
                            multi_class=0, post_transform=post, **labels)


def _threshold(t):
    """The float32 threshold that splits float32 inputs as scikit-learn's float64 one does.

    scikit-learn sends x left when x <= t (t a float64 midpoint); ONNX compares in float32. For a
    float32 x, x <= t exactly when x <= the largest float32 not above t, so round t down, never
    to nearest (which may land on the next training value and send it the other way)."""
    t32 = np.float32(t)
    if float(t32) > float(t):
        t32 = np.nextafter(t32, np.float32(-np.inf))
    return float(t32)


def _trees(trees, x, labels, n_classes):
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values",
                         "nodes_modes", "nodes_truenodeids", "nodes_falsenodeids",
                         "nodes_missing_value_tracks_true", "nodes_hitrates",
                         "class_treeids", "class_nodeids", "class_ids", "class_weights"]}
    for t, est in enumerate(trees):
        tree = est.tree_
        for i in range(tree.node_count):
            leaf = tree.children_left[i] == -1
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(i)
            a["nodes_featureids"].append(0 if leaf else int(tree.feature[i]))
            a["nodes_values"].append(0.0 if leaf else _threshold(tree.threshold[i]))
            a["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            a["nodes_truenodeids"].append(0 if leaf else int(tree.children_left[i]))
            a["nodes_falsenodeids"].append(0 if leaf else int(tree.children_right[i]))
            a["nodes_missing_value_tracks_true"].append(0)
            a["nodes_hitrates"].append(1.0)
            if leaf:
                counts = np.asarray(tree.value[i][0], dtype=np.float64)
                share = counts / counts.sum() / len(trees)
                for c in range(n_classes):
                    a["class_treeids"].append(t)
                    a["class_nodeids"].append(i)
                    a["class_ids"].append(c)
                    a["class_weights"].append(float(share[c]))
    return helper.make_node("TreeEnsembleClassifier", [x], ["label", "probabilities"], domain=ML,
                            post_transform="NONE", **a, **labels)
