"""The bundled models beside a plain TF-IDF + logistic-regression baseline, on every split.

Usage (from the repository root):
    python models/train/baseline.py [--data /tmp/triage-tickets] [--eval]

The baseline is scikit-learn's TfidfVectorizer (word 1–2-grams, sublinear tf, min_df 2) and
LogisticRegression (C = 10), trained on the same training split as the bundled models (the
generator's `train.jsonl`). Both are scored on:

- `test`, `test_unseen`: generate.py's held-out splits (see the model card);
- `external`: 3,000 tickets from the Freshdesk simulator's generator (`runtime/sim/src/generate`,
  `triage sim generate --count 3000 --seed 4242`), written independently of generate.py; the
  body is `description_text`, what the Freshdesk adapter hands to the classifier;
- `eval`: the hand-written tickets in models/eval/*.jsonl, **only with --eval**. Those are
  measured once a model is final and never used to choose anything (models/eval/README.md),
  so the default run leaves them alone.

Prints one table per task (accuracy / macro-F1) and, with --json, writes the figures.
"""

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

from evaluate import label_of, predict, ticket_text

HERE = Path(__file__).resolve().parent
MODELS = HERE.parent
REPO = MODELS.parent
TASKS = ("queue", "priority")
EXTERNAL_SEED, EXTERNAL_COUNT = 4242, 3000


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def metrics(want, got):
    return {"accuracy": round(float(accuracy_score(want, got)), 4),
            "macro_f1": round(float(f1_score(want, got, average="macro")), 4)}


def triage_command():
    """The triage binary: an already built one, else through cargo."""
    for profile in ("release", "debug"):
        built = REPO / "target" / profile / "triage"
        if built.exists():
            return [str(built)]
    if shutil.which("cargo") is None:
        sys.exit("external split: no target/*/triage and no cargo to build it; pass --external FILE")
    return ["cargo", "run", "-q", "-p", "triage", "--"]


def external_tickets(path):
    """The simulator generator's tickets as JSON lines (subject, body, queue, priority), made
    with `triage sim generate` on first use and cached at `path`."""
    if not path.exists():
        raw = path.with_suffix(".sim.json")
        cmd = triage_command() + ["sim", "generate", "--count", str(EXTERNAL_COUNT),
                                  "--seed", str(EXTERNAL_SEED), "--output", str(raw)]
        subprocess.run(cmd, check=True, cwd=REPO)
        data = json.loads(raw.read_text(encoding="utf-8"))
        with open(path, "w", encoding="utf-8") as f:
            for t in data["tickets"]:
                truth = data["truth"][str(t["id"])]
                row = {"id": t["id"], "subject": t["subject"], "body": t["description_text"],
                       "queue": truth["queue"], "priority": truth["priority"]}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        raw.unlink()
    return load(path)


def fit_baseline(train, task, c=10.0):
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(vec.fit_transform([ticket_text(t) for t in train]), [label_of(t, task) for t in train])
    return lambda texts: list(clf.predict(vec.transform(texts)))


def splits(args):
    names = args.splits + (["eval"] if args.eval and "eval" not in args.splits else [])
    read = {"test": lambda: load(args.data / "test.jsonl"),
            "test_unseen": lambda: load(args.data / "test_unseen.jsonl"),
            "external": lambda: external_tickets(args.external),
            "eval": lambda: [r for p in sorted((MODELS / "eval").glob("*.jsonl")) for r in load(p)]}
    return {n: read[n]() for n in names}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/tmp/triage-tickets"), help="generate.py output")
    ap.add_argument("--models", type=Path, default=MODELS, help="holds queue/ and priority/")
    ap.add_argument("--external", type=Path, default=None,
                    help="simulator tickets as JSON lines (default: DATA/external.jsonl, made on first use)")
    ap.add_argument("--eval", action="store_true", help="also score models/eval (hand-written; final models only)")
    ap.add_argument("--splits", nargs="+", default=["test", "test_unseen", "external"],
                    choices=["test", "test_unseen", "external", "eval"])
    ap.add_argument("--tasks", nargs="+", default=list(TASKS))
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    if not (args.data / "train.jsonl").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.data)], check=True)
    args.external = args.external or args.data / "external.jsonl"
    train = load(args.data / "train.jsonl")
    tests = splits(args)

    report = {"data": {"train": len(train), **{n: len(ts) for n, ts in tests.items()}}, "tasks": {}}
    for task in args.tasks:
        baseline = fit_baseline(train, task)
        rows = {}
        for name, ts in tests.items():
            texts, want = [ticket_text(t) for t in ts], [label_of(t, task) for t in ts]
            rows[name] = {"bundled": metrics(want, predict(args.models / task, texts)),
                          "baseline": metrics(want, baseline(texts))}
        report["tasks"][task] = rows
        print(f"\n{task} (accuracy / macro-F1; train {len(train)} tickets)")
        print(f"{'split':<12} {'n':>5}  {'bundled':>15}  {'baseline':>15}  {'Δ acc':>6}")
        for name, r in rows.items():
            b, s = r["bundled"], r["baseline"]
            print(f"{name:<12} {len(tests[name]):>5}  {b['accuracy']:.3f} / {b['macro_f1']:.3f}  "
                  f"{s['accuracy']:.3f} / {s['macro_f1']:.3f}  {b['accuracy'] - s['accuracy']:+.3f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
