"""The default models' architecture: a linear classifier over a bag of subword unigrams and
hashed subword bigrams, mean-pooled (fastText's design without the hidden layer).

Everything after tokenization happens inside the ONNX graph, so the runtime only feeds
`input_ids` and `attention_mask` like for any HuggingFace export. This module holds both the
Python feature function (used to train) and the graph builder; the two must agree exactly, which
`train.py` checks with onnxruntime after export.
"""

import numpy as np
import onnx
import scipy.sparse as sp
from onnx import TensorProto, helper, numpy_helper

BIGRAM_PRIME = 1_000_003


def bigram_rows(a, b, vocab_size, buckets):
    """Row of the weight table for the bigram (a, b): after the vocab_size unigram rows."""
    return vocab_size + (a * BIGRAM_PRIME + b) % buckets


def features(id_lists, vocab_size, buckets):
    """Sparse [docs, vocab_size + buckets] matrix: unigram and bigram counts / token count."""
    rows, cols = [], []
    for d, ids in enumerate(id_lists):
        ids = np.asarray(ids, dtype=np.int64)
        cols.append(ids)
        cols.append(bigram_rows(ids[:-1], ids[1:], vocab_size, buckets))
        rows.append(np.full(len(ids) + max(len(ids) - 1, 0), d, dtype=np.int64))
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    lengths = np.array([max(len(ids), 1) for ids in id_lists], dtype=np.float64)
    vals = 1.0 / lengths[rows]
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(id_lists), vocab_size + buckets))


def export(path, weights, bias, vocab_size, buckets, labels):
    """weights: [vocab_size + buckets, n_labels]; bias: [n_labels]."""
    n = len(labels)
    i64 = lambda name, v: numpy_helper.from_array(np.array(v, dtype=np.int64), name)
    inits = [
        numpy_helper.from_array(weights.astype(np.float32), "table"),
        numpy_helper.from_array(bias.astype(np.float32), "bias"),
        i64("prime", BIGRAM_PRIME), i64("buckets", buckets), i64("vocab", vocab_size),
        i64("axis1", [1]), i64("axis2", [2]), i64("start1", [1]), i64("big", [2**62]),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"),
    ]
    node = helper.make_node
    nodes = [
        node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        # Next token and its mask, padded with one zero column so that a sequence of length 1
        # yields an all-masked bigram instead of an empty tensor.
        node("Slice", ["input_ids", "start1", "big", "axis1"], ["ids_tail"]),
        node("Slice", ["mask", "start1", "big", "axis1"], ["mask_tail"]),
        node("Shape", ["input_ids"], ["shape"]),
        node("Gather", ["shape", "zero_idx"], ["batch"]),
        node("Concat", ["batch", "axis1"], ["pad_shape"], axis=0),
        node("ConstantOfShape", ["pad_shape"], ["pad_i"], value=helper.make_tensor("v", TensorProto.INT64, [1], [0])),
        node("ConstantOfShape", ["pad_shape"], ["pad_f"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.0])),
        node("Concat", ["ids_tail", "pad_i"], ["ids_next"], axis=1),
        node("Concat", ["mask_tail", "pad_f"], ["mask_next"], axis=1),
        node("Mul", ["input_ids", "prime"], ["h1"]),
        node("Add", ["h1", "ids_next"], ["h2"]),
        node("Mod", ["h2", "buckets"], ["h3"]),
        node("Add", ["h3", "vocab"], ["bigram_ids"]),
        node("Mul", ["mask", "mask_next"], ["bigram_mask"]),
        node("Gather", ["table", "input_ids"], ["uni"]),
        node("Gather", ["table", "bigram_ids"], ["bi"]),
        node("Unsqueeze", ["mask", "axis2"], ["mask3"]),
        node("Unsqueeze", ["bigram_mask", "axis2"], ["bmask3"]),
        node("Mul", ["uni", "mask3"], ["uni_m"]),
        node("Mul", ["bi", "bmask3"], ["bi_m"]),
        node("Add", ["uni_m", "bi_m"], ["both"]),
        node("ReduceSum", ["both", "axis1"], ["summed"], keepdims=0),
        node("ReduceSum", ["mask", "axis1"], ["count"], keepdims=1),
        node("Max", ["count", "one"], ["count1"]),
        node("Div", ["summed", "count1"], ["mean"]),
        node("Add", ["mean", "bias"], ["logits"]),
    ]
    inits.append(i64("zero_idx", [0]))
    graph = helper.make_graph(
        nodes, "bag_classifier",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", n])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="triage-models")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
