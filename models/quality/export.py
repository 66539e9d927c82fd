"""Boosted trees (scikit-learn's HistGradientBoostingRegressor) as one ONNX graph.

Written here rather than through skl2onnx, whose converter for these trees builds
attributes that onnx 1.18+ refuses (booleans where integers are due). The graph is one
``TreeEnsembleRegressor`` node over float64 inputs, with float64 thresholds and leaf
values, so that it decides every split exactly as scikit-learn does, missing values
(NaN) included. Training only: needs the ``onnx`` package (the ``train`` extra).
"""

from __future__ import annotations

from typing import Any

import numpy as np

INPUT = "features"
OUTPUT = "prediction"


def trees_to_onnx(model: Any, n_features: int) -> bytes:
    """The fitted regressor's graph: (rows × n_features) float64 -> (rows × 1) float32."""
    from onnx import TensorProto, helper

    tree_ids, node_ids, features, thresholds, modes = [], [], [], [], []
    true_ids, false_ids, missing_true = [], [], []
    leaf_tree, leaf_node, leaf_values = [], [], []
    for t, (predictor,) in enumerate(model._predictors):
        nodes = predictor.nodes
        for i, node in enumerate(nodes):
            tree_ids.append(t)
            node_ids.append(i)
            if node["is_leaf"]:
                features.append(0)
                thresholds.append(0.0)
                modes.append("LEAF")
                true_ids.append(0)
                false_ids.append(0)
                missing_true.append(0)
                leaf_tree.append(t)
                leaf_node.append(i)
                leaf_values.append(float(node["value"]))
            else:
                features.append(int(node["feature_idx"]))
                thresholds.append(float(node["num_threshold"]))
                modes.append("BRANCH_LEQ")
                true_ids.append(int(node["left"]))
                false_ids.append(int(node["right"]))
                missing_true.append(int(node["missing_go_to_left"]))
    base = float(np.ravel(model._baseline_prediction)[0])
    ensemble = helper.make_node(
        "TreeEnsembleRegressor",
        [INPUT],
        [OUTPUT],
        domain="ai.onnx.ml",
        n_targets=1,
        aggregate_function="SUM",
        post_transform="NONE",
        base_values_as_tensor=helper.make_tensor("base", TensorProto.DOUBLE, [1], [base]),
        nodes_treeids=tree_ids,
        nodes_nodeids=node_ids,
        nodes_featureids=features,
        nodes_values_as_tensor=helper.make_tensor(
            "thresholds", TensorProto.DOUBLE, [len(thresholds)], thresholds
        ),
        nodes_modes=modes,
        nodes_truenodeids=true_ids,
        nodes_falsenodeids=false_ids,
        nodes_missing_value_tracks_true=missing_true,
        target_treeids=leaf_tree,
        target_nodeids=leaf_node,
        target_ids=[0] * len(leaf_node),
        target_weights_as_tensor=helper.make_tensor(
            "leaves", TensorProto.DOUBLE, [len(leaf_values)], leaf_values
        ),
    )
    graph = helper.make_graph(
        [ensemble],
        "quality_trees",
        [helper.make_tensor_value_info(INPUT, TensorProto.DOUBLE, [None, n_features])],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, [None, 1])],
    )
    onnx_model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)],
        producer_name="copydesk",
    )
    onnx_model.ir_version = 8
    return onnx_model.SerializeToString()
