"""Accuracy and macro-F1 of a model directory on labelled JSON lines, e.g. tickets written by
another generator. Each line: "text" or "subject" + "body", and the label under --field.

Usage: python models/train/evaluate.py MODEL_DIR DATA.jsonl --field queue
"""

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
import onnxruntime as ort
from sklearn.metrics import accuracy_score, f1_score
from tokenizers import Tokenizer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("data", type=Path)
    ap.add_argument("--field", required=True)
    args = ap.parse_args()
    config = json.loads((args.model / "config.json").read_text())
    labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
    tok = Tokenizer.from_file(str(args.model / "tokenizer.json"))
    sess = ort.InferenceSession(str(args.model / "model.onnx"))
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    texts = [r.get("text") or f"{r.get('subject', '')}\n\n{r.get('body', '')}" for r in rows]
    want = [str(r[args.field]).lower() if args.field == "priority" else r[args.field] for r in rows]
    got = []
    for i in range(0, len(texts), 64):
        encs = tok.encode_batch(texts[i:i + 64])
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), np.int64)
        mask = np.zeros_like(ids)
        for r, e in enumerate(encs):
            ids[r, :len(e.ids)], mask[r, :len(e.ids)] = e.ids, 1
        logits = sess.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
        got += [labels[j] for j in logits.argmax(1)]
    print(json.dumps({"n": len(rows), "accuracy": round(accuracy_score(want, got), 4),
                      "macro_f1": round(f1_score(want, got, average="macro"), 4)}))
    confusions = Counter((w, g) for w, g in zip(want, got) if w != g).most_common(8)
    for (w, g), n in confusions:
        print(f"  {n:4d}  {w} -> {g}")


if __name__ == "__main__":
    main()
