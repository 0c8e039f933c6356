"""Builds the HuggingFace-compatibility fixture: a small BERT sequence classifier made with
`transformers` (random weights), exported to ONNX, plus the logits transformers computes for a
fixed list of texts. The Rust test (runtime/classifier/tests/hf_compat.rs) loads the exported
directory with triage and compares. CI never runs this script; it compares against the
committed output, so torch is only needed to regenerate.

Usage (from the repository root):
    python -m venv /tmp/venv-hf && /tmp/venv-hf/bin/pip install -r models/hf-compat/requirements.txt
    /tmp/venv-hf/bin/python models/hf-compat/make_fixture.py [--out models/hf-compat] [--size tiny|mini]

--size mini builds a MiniLM-L6-sized model (22.7 M parameters) for benchmarks; it is ~90 MB and
is not committed.
"""

import argparse
import json
from pathlib import Path

import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers, decoders
from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

HERE = Path(__file__).resolve().parent
LABELS = ["billing", "technical", "sales", "hr", "other"]
TEXTS = [
    "My invoice shows the wrong amount, please correct it.",
    "The app crashes every time I open a project.",
    "Wir interessieren uns für ein Angebot über 50 Lizenzen.",
    "Ich möchte vom 4. bis 15. August Urlaub beantragen.",
    "What are your opening hours?",
    "",
    "URGENT!!! Server down — nobody can log in. Error 503 Service Unavailable.",
    "Grüße aus Köln: Straße, Größe, naïve café, emoji 🙂 and tabs\tand\nnewlines.",
    "short",
    " ".join(["The VPN disconnects every few minutes when I work from home."] * 40),
]
SIZES = {
    # ~1.5 M parameters, the size of the smallest BERT OTAI serves.
    "tiny": dict(hidden_size=128, num_hidden_layers=2, num_attention_heads=2, intermediate_size=512, vocab=4000),
    # MiniLM-L6 shape: 6 layers, 384 hidden, 12 heads, 30522 vocab (22.7 M parameters).
    "mini": dict(hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536, vocab=30522),
}


def corpus():
    """Text to train the WordPiece vocabulary on: the ticket generator's output."""
    import sys
    sys.path.insert(0, str(HERE.parent / "train"))
    import random
    import generate
    rng = random.Random(7)
    return [generate.ticket(rng)["text"] for _ in range(20000)] + TEXTS


def build_tokenizer(vocab_size):
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(corpus(), trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=special,
                                                                show_progress=False))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    return tok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=SIZES, default="tiny")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--weights", action="store_true", help="also save PyTorch weights (for bench_python.py)")
    args = ap.parse_args()
    size = SIZES[args.size]
    out = args.out or HERE / f"bert-{args.size}"
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(20261125)

    fast = PreTrainedTokenizerFast(tokenizer_object=build_tokenizer(size["vocab"]), unk_token="[UNK]",
                                   pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]",
                                   model_max_length=128,
                                   model_input_names=["input_ids", "token_type_ids", "attention_mask"])
    config = BertConfig(vocab_size=len(fast), hidden_size=size["hidden_size"], num_hidden_layers=size["num_hidden_layers"],
                        num_attention_heads=size["num_attention_heads"], intermediate_size=size["intermediate_size"],
                        max_position_embeddings=128, num_labels=len(LABELS),
                        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)},
                        # Wider than BERT's 0.02 so random logits differ clearly between labels.
                        initializer_range=0.2)
    model = BertForSequenceClassification(config).eval()
    print(f"parameters: {sum(p.numel() for p in model.parameters()):,}")

    # Reference: transformers itself, one text at a time as a pipeline would call it.
    logits = []
    with torch.no_grad():
        for text in TEXTS:
            enc = fast(text, truncation=True, max_length=128, return_tensors="pt")
            logits.append(model(**enc).logits[0].tolist())

    dummy = fast(["hello world", "a longer second text here"], padding=True, return_tensors="pt")
    torch.onnx.export(
        model, (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]), str(out / "model.onnx"),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
        dynamic_axes={n: {0: "batch", 1: "sequence"} for n in ["input_ids", "attention_mask", "token_type_ids"]}
        | {"logits": {0: "batch"}},
        opset_version=17, dynamo=False,
    )
    fast.save_pretrained(str(out))
    config.save_pretrained(str(out))
    if args.weights:
        model.save_pretrained(str(out))
    for extra in ["special_tokens_map.json", "tokenizer_config.json"]:
        (out / extra).unlink(missing_ok=True)

    labels = [LABELS[max(range(len(LABELS)), key=row.__getitem__)] for row in logits]
    margins = [sorted(row)[-1] - sorted(row)[-2] for row in logits]
    print("top-2 margins:", [round(m, 4) for m in margins])
    assert min(margins) > 1e-3, "top-2 logits too close for a label comparison; change the seed"
    (out / "expected.json").write_text(json.dumps(
        {"source": f"transformers BertForSequenceClassification ({args.size}), torch {torch.__version__}",
         "texts": TEXTS, "logits": logits, "labels": labels}, indent=1, ensure_ascii=False) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
