"""Python side of the classifier benchmark, on the same model directories and tickets as
`cargo bench -p triage-classifier`: end-to-end tickets/s (tokenization included) with
onnxruntime at batch 1 and 32, and, when the directory holds PyTorch weights, with a
transformers text-classification pipeline called one ticket at a time (how OTAI calls it).

Usage: python models/hf-compat/bench_python.py DIR [DIR…] [--threads 2] [--seconds 3]
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

REPO = Path(__file__).resolve().parents[2]


def tickets():
    with open(REPO / "models/train/bench_tickets.jsonl", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def timed(fn, texts, batch, seconds):
    for i in range(0, min(len(texts), 4 * batch), batch):
        fn(texts[i:i + batch])
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for i in range(0, len(texts), batch):
            fn(texts[i:i + batch])
            done += len(texts[i:i + batch])
    return done / (time.perf_counter() - start)


def onnx_runner(model_dir, threads):
    config = json.loads((model_dir / "config.json").read_text())
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    if tok.truncation is None:
        tok.enable_truncation(config.get("max_position_embeddings", 512))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    # Same as triage's default (ClassifierOptions::spin = false), so the comparison is like for like.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    sess = ort.InferenceSession(str(model_dir / "model.onnx"), opts, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]

    def run(texts):
        encs = tok.encode_batch(texts)
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for r, e in enumerate(encs):
            ids[r, :len(e.ids)], mask[r, :len(e.ids)], types[r, :len(e.ids)] = e.ids, 1, e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        logits = sess.run(["logits"], {n: feed[n] for n in names})[0]
        return logits.argmax(axis=1)

    return run


def pipeline_runner(model_dir, threads):
    import torch
    from transformers import pipeline
    torch.set_num_threads(threads)
    clf = pipeline("text-classification", model=str(model_dir), tokenizer=str(model_dir), device="cpu")
    max_length = json.loads((model_dir / "config.json").read_text()).get("max_position_embeddings", 512)

    def run(texts):
        return [clf(t, truncation=True, max_length=max_length) for t in texts]

    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    texts = tickets()
    print(f"{len(texts)} tickets, {args.threads} threads")
    print(f"{'model':<40} {'ort b1':>10} {'ort b32':>10} {'pipeline b1':>12}")
    for d in args.dirs:
        run = onnx_runner(d, args.threads)
        b1, b32 = timed(run, texts, 1, args.seconds), timed(run, texts, 32, args.seconds)
        pipe = "-"
        if (d / "model.safetensors").exists():
            pipe = f"{timed(pipeline_runner(d, args.threads), texts, 1, args.seconds):.0f}"
        print(f"{str(d):<40} {b1:>10.0f} {b32:>10.0f} {pipe:>12}")


if __name__ == "__main__":
    main()
