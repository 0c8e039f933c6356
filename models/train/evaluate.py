"""Accuracy and macro-F1 of a model directory on labelled JSON lines, e.g. tickets written by
another generator. Each line: "text" or "subject" + "body", and the label under --field.

Usage: python models/train/evaluate.py MODEL_DIR DATA.jsonl --field queue

`predict` and `ticket_text` are shared with baseline.py, so every figure in the model card is
computed by the same code from the same text the runtime classifies (subject + "\\n\\n" + body).
"""

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
import onnxruntime as ort
from sklearn.metrics import accuracy_score, f1_score
from tokenizers import Tokenizer


def ticket_text(row):
    return row.get("text") or f"{row.get('subject', '')}\n\n{row.get('body', '')}"


def label_of(row, field):
    return str(row[field]).lower() if field == "priority" else row[field]


def predict(model_dir, texts, batch=64):
    """Labels the exported model directory gives `texts`, through onnxruntime like the runtime."""
    config = json.loads((Path(model_dir) / "config.json").read_text())
    labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
    return [labels[j] for j in logits_of(model_dir, texts, batch).argmax(1)]


def logits_of(model_dir, texts, batch=64):
    """The exported graph's logits for `texts` ([n, labels]), before any temperature."""
    model_dir = Path(model_dir)
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    sess = ort.InferenceSession(str(model_dir / "model.onnx"))
    got = []
    for i in range(0, len(texts), batch):
        encs = tok.encode_batch(texts[i:i + batch])
        width = max(1, max(len(e.ids) for e in encs))
        ids = np.zeros((len(encs), width), np.int64)
        mask = np.zeros_like(ids)
        for r, e in enumerate(encs):
            ids[r, :len(e.ids)], mask[r, :len(e.ids)] = e.ids, 1
        got.append(sess.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0])
    return np.concatenate(got) if got else np.zeros((0, 0), np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("data", type=Path)
    ap.add_argument("--field", required=True)
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    want = [label_of(r, args.field) for r in rows]
    got = predict(args.model, [ticket_text(r) for r in rows])
    print(json.dumps({"n": len(rows), "accuracy": round(accuracy_score(want, got), 4),
                      "macro_f1": round(f1_score(want, got, average="macro"), 4)}))
    confusions = Counter((w, g) for w, g in zip(want, got) if w != g).most_common(8)
    for (w, g), n in confusions:
        print(f"  {n:4d}  {w} -> {g}")


if __name__ == "__main__":
    main()
