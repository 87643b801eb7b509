#!/usr/bin/env python3
"""Checks that cross-encoder folders move between ce and Python both ways.

Needs sentence-transformers, transformers and torch (a CUDA device is used too when present).
Run on a machine that has them (ce's CI does not; this is run by hand and its outputs committed):

    python3 sentence_transformers_interop.py IN_DIR OUT_DIR

IN_DIR holds
  pairs.jsonl                   one ["query", "document"] array per line
  ce-side/<name>/               folders saved by ce (CrossEncoder.save), each with ce-scores.json:
                                {"scores": [[...], ...], "logits": [[...], ...]} in pair order,
                                written by dev.ce4j.core.interop.InteropInputs
  tiny/config.json, tiny/tokenizer.json   ce-examples/data/tiny (a 117-word BERT vocabulary)

OUT_DIR receives
  report.json                   versions, and for every check the largest absolute difference
  st-saved/<name>/              folders saved by sentence-transformers from models made here,
                                each with st-scores.json (Python's scores and logits for the pairs);
                                they are committed under ce-core/src/test/resources/dev/ce4j/core/
                                interop/ and read by SentenceTransformersInteropTest

ce -> Python: each ce folder is loaded with sentence_transformers.CrossEncoder (CPU, and CUDA when
present) and with transformers' AutoTokenizer + AutoModelForSequenceClassification; their scores
and logits are compared with ce's.
Python -> ce: models with weights far from initialisation are created here, saved with
CrossEncoder.save in float32, bfloat16 and float16, and scored from the saved folder.
"""
import json
import os
import sys
import traceback

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
import sentence_transformers  # noqa: E402
from sentence_transformers import CrossEncoder  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForSequenceClassification,
    AutoTokenizer,
    BertConfig,
    BertForSequenceClassification,
    BertTokenizerFast,
)

CPU_TOLERANCE = 1e-5
GPU_TOLERANCE = 1e-4


def read_pairs(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def st_config(folder):
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    return config, config.get("sentence_transformers", {})


def activation_of(folder):
    config, block = st_config(folder)
    name = block.get("activation_fn") or config.get("sbert_ce_default_activation_function")
    if name is None:
        name = "torch.nn.modules.activation.Sigmoid" if config.get("num_labels", 1) == 1 \
            else "torch.nn.modules.linear.Identity"
    return name


def apply_activation(name, logits):
    if name.endswith("Sigmoid"):
        return 1.0 / (1.0 + np.exp(-logits))
    if name.endswith("Identity"):
        return logits
    if name.endswith("Tanh"):
        return np.tanh(logits)
    raise ValueError("activation " + name)


def transformers_logits(folder, pairs, device="cpu"):
    """Logits computed with plain transformers, in float32, truncated as sentence-transformers does."""
    _, block = st_config(folder)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    max_length = block.get("max_length") or tokenizer.model_max_length
    model = AutoModelForSequenceClassification.from_pretrained(folder, torch_dtype=torch.float32)
    model.to(device).eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(pairs), 4):
            batch = pairs[i:i + 4]
            enc = tokenizer([p[0] for p in batch], [p[1] for p in batch], padding=True,
                            truncation="longest_first", max_length=max_length, return_tensors="pt")
            enc = {k: v.to(device) for k, v in enc.items()}
            out.append(model(**enc).logits.float().cpu().numpy())
    return np.concatenate(out).astype(np.float64), max_length


def st_predict(folder, pairs, device):
    model = CrossEncoder(folder, device=device)
    scores = np.asarray(model.predict(pairs, batch_size=4, convert_to_numpy=True,
                                      show_progress_bar=False), dtype=np.float64)
    if scores.ndim == 1:
        scores = scores[:, None]
    act = getattr(model, "activation_fn", None) or getattr(model, "default_activation_function",
                                                           None)
    info = {
        "max_length": model.max_length,
        "activation": type(act).__module__ + "." + type(act).__name__,
        "num_labels": model.config.num_labels,
        "id2label": {str(k): v for k, v in model.config.id2label.items()},
        "dtype": str(next(model.model.parameters()).dtype),
    }
    return scores, info


def matrix(path, key):
    with open(path, encoding="utf-8") as f:
        return np.asarray(json.load(f)[key], dtype=np.float64)


def check(report, name, fn):
    try:
        result = fn()
        report["checks"][name] = result
        print(name, json.dumps(result), flush=True)
    except Exception as e:  # a failed check is recorded, the others still run
        report["checks"][name] = {"ok": False, "error": repr(e), "trace": traceback.format_exc()}
        print(name, "ERROR", repr(e), flush=True)


def ce_to_python(report, in_dir, pairs, devices):
    base = os.path.join(in_dir, "ce-side")
    for name in sorted(os.listdir(base)):
        folder = os.path.join(base, name)
        ce_scores = matrix(os.path.join(folder, "ce-scores.json"), "scores")
        ce_logits = matrix(os.path.join(folder, "ce-scores.json"), "logits")
        for device in devices:
            tol = CPU_TOLERANCE if device == "cpu" else GPU_TOLERANCE

            def st_check(device=device, tol=tol):
                scores, info = st_predict(folder, pairs, device)
                diff = float(np.max(np.abs(scores - ce_scores)))
                _, block = st_config(folder)
                settings_ok = (info["activation"] == activation_of(folder)
                               and info["max_length"] == block.get("max_length"))
                return {"ok": scores.shape == ce_scores.shape and diff <= tol and settings_ok,
                        "max_abs_diff": diff, "tolerance": tol, "loaded": info,
                        "written_by_ce": block}

            def hf_check(device=device, tol=tol):
                logits, max_length = transformers_logits(folder, pairs, device)
                diff = float(np.max(np.abs(logits - ce_logits)))
                return {"ok": logits.shape == ce_logits.shape and diff <= tol,
                        "max_abs_diff": diff, "tolerance": tol, "max_length": max_length}

            check(report, f"ce->sentence-transformers {name} {device}", st_check)
            check(report, f"ce->transformers {name} {device}", hf_check)


def perturb(model, seed):
    """Weights far from initialisation (as ce's TestModels.randomWeights), so outputs differ."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            u = torch.rand(p.shape, generator=g, dtype=torch.float32) * 2 - 1
            p.copy_(1 + 0.2 * u if pname.endswith("LayerNorm.weight") else 0.3 * u)


def make_and_save(work, out, name, config, tokenizer, seed, dtype, activation, max_length):
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config)
    perturb(model, seed)
    hf_dir = os.path.join(work, name + "-hf")
    model.save_pretrained(hf_dir, safe_serialization=True)
    tokenizer.save_pretrained(hf_dir)
    kwargs = {"max_length": max_length, "device": "cpu"}
    if activation is None:
        ce = CrossEncoder(hf_dir, **kwargs)
    else:
        try:  # sentence-transformers 4 and later
            ce = CrossEncoder(hf_dir, activation_fn=activation, **kwargs)
        except TypeError:  # 2 and 3
            ce = CrossEncoder(hf_dir, default_activation_function=activation, **kwargs)
    ce.model.to(dtype)
    target = os.path.join(out, "st-saved", name)
    ce.save(target)
    return target


def python_to_ce(report, in_dir, out_dir, pairs):
    work = os.path.join(out_dir, "work")
    os.makedirs(work, exist_ok=True)
    tiny = os.path.join(in_dir, "tiny")
    tiny_tok = BertTokenizerFast(tokenizer_file=os.path.join(tiny, "tokenizer.json"),
                                 do_lower_case=True)
    tiny_config = BertConfig.from_pretrained(tiny)
    minilm_tok = AutoTokenizer.from_pretrained(os.path.join(in_dir, "ce-side",
                                                            "ce-minilmtok-3label"))
    three = BertConfig(vocab_size=30522, hidden_size=8, num_hidden_layers=1,
                       num_attention_heads=2, intermediate_size=16, max_position_embeddings=128,
                       num_labels=3, id2label={0: "contradiction", 1: "neutral", 2: "entailment"},
                       label2id={"contradiction": 0, "neutral": 1, "entailment": 2})
    specs = [
        ("st-tiny-f32-sigmoid", tiny_config, tiny_tok, 101, torch.float32, None, 32),
        ("st-tiny-bf16-identity", tiny_config, tiny_tok, 102, torch.bfloat16,
         torch.nn.Identity(), 24),
        ("st-minilmtok-3label-f16", three, minilm_tok, 103, torch.float16, None, 48),
    ]
    for name, config, tok, seed, dtype, activation, max_length in specs:
        def make(name=name, config=config, tok=tok, seed=seed, dtype=dtype,
                 activation=activation, max_length=max_length):
            folder = make_and_save(work, out_dir, name, config, tok, seed, dtype, activation,
                                   max_length)
            logits, used_max_length = transformers_logits(folder, pairs)
            # what a Python user gets from the folder, computed in float32 (weights upcast)
            st = CrossEncoder(folder, device="cpu")
            saved_dtype = str(next(st.model.parameters()).dtype)
            st.to(torch.float32)
            st_scores = np.asarray(st.predict(pairs, batch_size=4, convert_to_numpy=True,
                                              show_progress_bar=False), dtype=np.float64)
            if st_scores.ndim == 1:
                st_scores = st_scores[:, None]
            act_module = getattr(st, "activation_fn", None) or getattr(
                st, "default_activation_function", None)
            act = type(act_module).__module__ + "." + type(act_module).__name__
            scores = apply_activation(act, logits)
            st_diff = float(np.max(np.abs(st_scores - scores)))
            with open(os.path.join(folder, "st-scores.json"), "w", encoding="utf-8") as f:
                json.dump({"producer": versions_line(), "saved_dtype": str(dtype),
                           "activation": act, "max_length": used_max_length,
                           "scores": st_scores.tolist(), "logits": logits.tolist()}, f, indent=1)
            small = {}
            for fname in sorted(os.listdir(folder)):
                if fname.endswith(".json") and fname not in ("tokenizer.json", "st-scores.json"):
                    with open(os.path.join(folder, fname), encoding="utf-8") as f:
                        small[fname] = f.read()
            # sentence-transformers' own float32 scores equal activation(transformers' logits)
            return {"ok": st_diff <= CPU_TOLERANCE and st.max_length == used_max_length,
                    "activation": act, "loaded_dtype": saved_dtype,
                    "max_length": st.max_length,
                    "crossencoder_vs_transformers": st_diff, "json_files": small}
        check(report, f"python->ce make {name}", make)


def versions_line():
    return (f"sentence-transformers {sentence_transformers.__version__}, "
            f"transformers {transformers.__version__}, torch {torch.__version__}")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    torch.use_deterministic_algorithms(False)
    pairs = read_pairs(os.path.join(in_dir, "pairs.jsonl"))
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    report = {
        "versions": versions_line(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "pairs": len(pairs),
        "checks": {},
    }
    ce_to_python(report, in_dir, pairs, devices)
    python_to_ce(report, in_dir, out_dir, pairs)
    report["all_ok"] = all(c.get("ok") for c in report["checks"].values())
    with open(os.path.join(out_dir, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    print("all_ok", report["all_ok"])


if __name__ == "__main__":
    main()
