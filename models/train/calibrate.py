"""Temperature scaling of a model's logits, fitted on the validation split (issue #12 item 2).

The classifier divides logits by `config.json` `"temperature"` before the softmax (1 when
absent; docs/classifier.md), so calibration changes confidences and never the predicted label.
A strongly regularised, class-weighted model is underconfident (most top probabilities below
0.5), which would make every `threshold:` write far fewer tickets than it says; one scalar
fitted on validation log-loss fixes that without touching the graph.

Usage, for an already exported model directory (fits on DATA, writes the temperature):
    python models/train/calibrate.py MODEL_DIR /tmp/triage-tickets/val.jsonl --field priority --write
"""

import argparse
import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

BINS = 15


def _log_softmax(logits, temperature):
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def nll(logits, y, temperature):
    return float(-_log_softmax(logits, temperature)[np.arange(len(y)), y].mean())


def fit_temperature(logits, y):
    """The temperature minimising the mean negative log-likelihood of the labels `y`."""
    logits = np.asarray(logits, np.float64)
    found = minimize_scalar(lambda t: nll(logits, y, t), bounds=(0.05, 20.0), method="bounded",
                            options={"xatol": 1e-4})
    return round(float(found.x), 4)


def ece(logits, y, temperature=1.0):
    """Expected calibration error of the top label over 15 equal-width confidence bins."""
    p = np.exp(_log_softmax(np.asarray(logits, np.float64), temperature))
    conf, right = p.max(axis=1), p.argmax(axis=1) == y
    total = 0.0
    for b in range(BINS):
        sel = (conf > b / BINS) & (conf <= (b + 1) / BINS)
        if sel.any():
            total += sel.mean() * abs(right[sel].mean() - conf[sel].mean())
    return round(float(total), 4)


def summary(logits, y, temperature):
    return {"temperature": temperature, "ece_before": ece(logits, y), "ece_after": ece(logits, y, temperature)}


def main():
    from evaluate import label_of, logits_of, ticket_text

    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("data", type=Path, help="the validation split, never a test or eval set")
    ap.add_argument("--field", required=True)
    ap.add_argument("--write", action="store_true", help="store the temperature in MODEL/config.json")
    args = ap.parse_args()
    config_path = args.model / "config.json"
    config = json.loads(config_path.read_text())
    labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    y = np.array([labels.index(label_of(r, args.field)) for r in rows])
    logits = logits_of(args.model, [ticket_text(r) for r in rows])
    result = summary(logits, y, fit_temperature(logits, y))
    print(json.dumps(result))
    if args.write:
        config["temperature"] = result["temperature"]
        config_path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
