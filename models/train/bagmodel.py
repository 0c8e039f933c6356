"""The default models' architecture: a linear classifier over a bag of subword unigrams and
hashed subword bigrams, each weighted by its IDF, the sum divided by the L2 norm of the token
weights (fastText's bag without the hidden layer, with TF-IDF's weighting folded in).

IDF weighting and L2-style normalisation matter for tickets: greetings, signatures and quoted
replies are long and shared by every class, and with a plain mean they dilute the one sentence
that says what the ticket is about (measured: +3 to +8 points on unseen phrasings).

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


def counts(id_lists, vocab_size, buckets):
    """Sparse [docs, vocab_size + buckets] matrix of unigram and bigram counts."""
    rows, cols = [], []
    for d, ids in enumerate(id_lists):
        ids = np.asarray(ids, dtype=np.int64)
        cols.append(ids)
        cols.append(bigram_rows(ids[:-1], ids[1:], vocab_size, buckets))
        rows.append(np.full(len(ids) + max(len(ids) - 1, 0), d, dtype=np.int64))
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    vals = np.ones(len(rows), dtype=np.float64)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(id_lists), vocab_size + buckets))


def idf_of(count_matrix):
    """Smoothed IDF (scikit-learn's formula) of every unigram and bigram row."""
    n = count_matrix.shape[0]
    df = np.asarray((count_matrix > 0).sum(axis=0)).ravel()
    return np.log((1 + n) / (1 + df)) + 1


def features(count_matrix, idf, sublinear=False):
    """What the graph computes before the linear layer. Plain: counts * idf / sqrt(sum over
    token positions of idf^2). Sublinear: scikit-learn's TfidfVectorizer(sublinear_tf=True)
    exactly, (1 + log count) * idf over the L2 norm of the distinct features."""
    if sublinear:
        tf = count_matrix.tocsr(copy=True)
        tf.sum_duplicates()
        tf.data = 1.0 + np.log(tf.data)
        weighted = tf @ sp.diags(idf)
        norm = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        return (sp.diags(1.0 / np.maximum(norm, 1e-6)) @ weighted).tocsr()
    weighted = count_matrix @ sp.diags(idf)
    norm = np.sqrt(np.asarray(count_matrix @ (idf ** 2)).ravel())
    return sp.diags(1.0 / np.maximum(norm, 1e-6)) @ weighted


def per_position_tf(node, ids, mask, out):
    """Nodes giving each position p of `ids` its share of (1 + log c) / c, where c is how often
    ids[p] occurs among the unmasked positions: summed over a token's c positions, that is the
    sublinear tf (1 + log c). Pairwise equality is L x L per ticket, cheap at 512 tokens."""
    return [
        node("Unsqueeze", [ids, "axis2"], [out + "_a"]),
        node("Unsqueeze", [ids, "axis1"], [out + "_b"]),
        node("Equal", [out + "_a", out + "_b"], [out + "_eq"]),
        node("Cast", [out + "_eq"], [out + "_eqf"], to=TensorProto.FLOAT),
        node("Unsqueeze", [mask, "axis1"], [out + "_m"]),
        node("Mul", [out + "_eqf", out + "_m"], [out + "_eqm"]),
        node("ReduceSum", [out + "_eqm", "axis2"], [out + "_c0"], keepdims=0),
        node("Max", [out + "_c0", "one"], [out + "_c"]),
        node("Log", [out + "_c"], [out + "_log"]),
        node("Add", [out + "_log", "one"], [out + "_sub"]),
        node("Div", [out + "_sub", out + "_c"], [out + "_w"]),
        # Squared-norm share of a position: (1 + log c)^2 / c.
        node("Mul", [out + "_w", out + "_sub"], [out + "_w2"]),
        node("Mul", [out + "_w", mask], [out]),
        node("Mul", [out + "_w2", mask], [out + "_sq"]),
    ]


def export(path, weights, bias, idf, vocab_size, buckets, labels, sublinear=False):
    """weights: [vocab_size + buckets, n_labels] (applied to IDF-weighted features); bias: [n_labels]."""
    n = len(labels)
    i64 = lambda name, v: numpy_helper.from_array(np.array(v, dtype=np.int64), name)
    inits = [
        # IDF is folded into the weights; only its square is needed separately, for the norm.
        numpy_helper.from_array((weights * idf[:, None]).astype(np.float32), "table"),
        numpy_helper.from_array((idf ** 2).astype(np.float32), "idf2"),
        numpy_helper.from_array(bias.astype(np.float32), "bias"),
        i64("prime", BIGRAM_PRIME), i64("buckets", buckets), i64("vocab", vocab_size),
        i64("axis1", [1]), i64("axis2", [2]), i64("start1", [1]), i64("big", [2**62]),
        numpy_helper.from_array(np.array(1e-6, dtype=np.float32), "eps"),
    ]
    if sublinear:
        inits.append(numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"))
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
    ]
    if sublinear:
        nodes += per_position_tf(node, "input_ids", "mask", "uni_tf")
        nodes += per_position_tf(node, "bigram_ids", "bigram_mask", "bi_tf")
        uni_f, bi_f, uni_sq, bi_sq = "uni_tf", "bi_tf", "uni_tf_sq", "bi_tf_sq"
    else:
        uni_f, bi_f, uni_sq, bi_sq = "mask", "bigram_mask", "mask", "bigram_mask"
    nodes += [
        node("Gather", ["table", "input_ids"], ["uni"]),
        node("Gather", ["table", "bigram_ids"], ["bi"]),
        node("Unsqueeze", [uni_f, "axis2"], ["mask3"]),
        node("Unsqueeze", [bi_f, "axis2"], ["bmask3"]),
        node("Mul", ["uni", "mask3"], ["uni_m"]),
        node("Mul", ["bi", "bmask3"], ["bi_m"]),
        node("Add", ["uni_m", "bi_m"], ["both"]),
        node("ReduceSum", ["both", "axis1"], ["summed"], keepdims=0),
        node("Gather", ["idf2", "input_ids"], ["uni_w"]),
        node("Gather", ["idf2", "bigram_ids"], ["bi_w"]),
        node("Mul", ["uni_w", uni_sq], ["uni_wm"]),
        node("Mul", ["bi_w", bi_sq], ["bi_wm"]),
        node("Add", ["uni_wm", "bi_wm"], ["w_all"]),
        node("ReduceSum", ["w_all", "axis1"], ["sq"], keepdims=1),
        node("Sqrt", ["sq"], ["norm"]),
        node("Max", ["norm", "eps"], ["norm1"]),
        node("Div", ["summed", "norm1"], ["pooled"]),
        node("Add", ["pooled", "bias"], ["logits"]),
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
