#!/usr/bin/env python3
"""Confirms the architecture fixtures against real transformers and sentence-transformers.

make_arch_fixtures.py and make_deberta_fixtures.py write the folders under
ce-core/src/test/resources/dev/ce4j/core/arch/ from transcriptions (no transformers on the machine that made them). This script, run on a
machine with transformers (5.17), tokenizers, sentence-transformers (6.0.1) and torch, loads
every committed case folder the way a user would and compares with its reference.json:

  tokenizer          AutoTokenizer.from_pretrained(folder); every pair encoded with
                     truncation=True, max_length=reference max_length: input_ids,
                     attention_mask and (ELECTRA, DeBERTa-v2) token_type_ids must be equal; the padded batch
                     too; model_max_length and the returned input names are recorded
  loading            AutoModelForSequenceClassification.from_pretrained: the class is the
                     reference's architecture, no missing / unexpected / mismatched tensors
  logits             the reference's input ids run through the loaded model, pair by pair and as
                     the padded batch: float32 with the default attention (sdpa) and with
                     "eager", compared with the float64 reference logits; the model loaded in
                     float64 ("eager") compared with them at 1e-10
  training           one step as the reference describes (train mode, every dropout 0,
                     BCEWithLogitsLoss for one label, CrossEntropyLoss otherwise): loss and the
                     gradient norm of every parameter, float32 and float64
  cross-encoder      sentence_transformers.CrossEncoder(folder, max_length=...).predict: scores
                     equal to the activation (sigmoid for one label, identity otherwise) of the
                     reference logits, on the CPU and on CUDA when present
  informative        (recorded, not part of all_ok) what transformers writes when it saves the
                     loaded config / tokenizer / model again, compared with the committed files;
                     for XLM-RoBERTa, XLMRobertaTokenizer built from sentencepiece.bpe.model,
                     for DeBERTa-v2 (deberta-v2/*, made by make_deberta_fixtures.py),
                     DebertaV2Tokenizer built from spm.model

ModernBERT (make_modernbert_fixtures.py) differs in three places, all in attention_for() below:
its "eager" attention computes the softmax in float32 even in a float64 model, so its float64
checks (logits and training) run with "sdpa", which stays in float64 (the rotary cos / sin are
float32 in both, as in the reference); where the default would pick flash_attention_2 (CUDA with
flash-attn installed: unpadded, bfloat16) the float32 checks ask for "sdpa" so that the padded
batch is computed as the reference computes it; and its attention-probability dropout is a float
attribute (attention_dropout) rather than an nn.Dropout, which the training check sets to 0 too.

Usage (about half a minute on a CPU; HF_HUB_OFFLINE is set, nothing is downloaded):

    python3 ce-core/src/test/python/architectures/transformers_check.py [ARCH_DIR [OUT_DIR]]

ARCH_DIR defaults to the committed fixtures, OUT_DIR to ./arch-transformers-check. OUT_DIR/
report.json holds the versions, every check with its largest differences, and all_ok; the
process exits 0 when all_ok is true, 1 otherwise.
"""
import json
import os
import sys
import tempfile
import time
import traceback

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ARCH = os.path.abspath(os.path.join(HERE, "..", "..", "resources", "dev", "ce4j", "core",
                                            "arch"))

TOL_F32 = 2e-5  # float32 logits / scores (CPU) against the float64 reference
TOL_CUDA = 1e-4
TOL_F64 = 1e-10  # float64 logits against the float64 reference
# gradient norms: |got - want| <= rel * want + abs (the key / k_lin bias gradients, and DeBERTa's
# pos_key_proj bias gradient, are zero in exact arithmetic, softmax being shift-invariant per
# query: their norms are rounding noise)
GRAD_TOL_F32 = (2e-4, 1e-6)
GRAD_TOL_F64 = (1e-8, 1e-12)


def attention_for(ref, dtype, attn):
    """The attention implementation a check asks for (see the module docstring for ModernBERT)."""
    if ref.get("model_type") == "modernbert":
        if dtype == torch.float64 or attn is None:
            return "sdpa"
    return attn


def case_folders(arch_dir):
    out = []
    for family in sorted(os.listdir(arch_dir)):
        fdir = os.path.join(arch_dir, family)
        if not os.path.isdir(fdir):
            continue
        for case in sorted(os.listdir(fdir)):
            folder = os.path.join(fdir, case)
            if os.path.isfile(os.path.join(folder, "reference.json")):
                out.append((family + "/" + case, folder))
    return out


def load_model(folder, dtype, attn=None):
    kwargs = {"output_loading_info": True}
    if attn is not None:
        kwargs["attn_implementation"] = attn
    try:
        model, info = AutoModelForSequenceClassification.from_pretrained(folder, dtype=dtype, **kwargs)
    except TypeError:  # transformers 4 spells it torch_dtype
        model, info = AutoModelForSequenceClassification.from_pretrained(folder, torch_dtype=dtype,
                                                                         **kwargs)
    return model.eval(), info


def batch_tensors(ref, batch, device):
    out = {}
    for name in ref["model_input_names"]:
        out[name] = torch.tensor(batch[name], dtype=torch.long, device=device)
    return out


def max_diff(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a - b))) if a.size else 0.0


# ---------------------------------------------------------------------------------------------
def check_tokenizer(folder, ref):
    tok = AutoTokenizer.from_pretrained(folder)
    bad = []
    for p in ref["pairs"]:
        enc = tok(p["query"], p["document"], truncation=True, max_length=ref["max_length"])
        want = {"input_ids": p["input_ids"], "attention_mask": p["attention_mask"]}
        if "token_type_ids" in p:
            want["token_type_ids"] = p["token_type_ids"]
        for k, v in want.items():
            got = list(enc.get(k, []))
            if got != v:
                bad.append({"pair": p["index"], "field": k, "got": got, "want": v,
                            "tokens": tok.convert_ids_to_tokens(list(enc["input_ids"]))})
    padded = tok([p["query"] for p in ref["pairs"]], [p["document"] for p in ref["pairs"]],
                 truncation=True, max_length=ref["max_length"], padding=True)
    pb = ref["padded_batch"]
    padded_ok = (padded["input_ids"] == pb["input_ids"]
                 and padded["attention_mask"] == pb["attention_mask"])
    returned = sorted(padded.keys())
    names_ok = returned == sorted(ref["model_input_names"])
    return {"ok": not bad and padded_ok and names_ok, "class": type(tok).__name__,
            "mismatches": bad, "padded_batch_ok": padded_ok, "returned_inputs": returned,
            "model_max_length": tok.model_max_length}


def check_loading(folder, ref):
    model, info = load_model(folder, torch.float32)
    problems = {k: list(v) for k, v in info.items() if v and k != "error_msgs"}
    names = [n for n, _ in model.named_parameters()]
    shapes = {n: list(p.shape) for n, p in model.named_parameters()}
    want = ref["tensors"]
    return {"ok": (type(model).__name__ == ref["architecture"] and not problems
                   and sorted(names) == sorted(want)
                   and all(shapes[n] == want[n] for n in names if n in want)),
            "class": type(model).__name__, "loading_info": problems,
            "parameters_not_in_reference": sorted(set(names) - set(want)),
            "reference_tensors_not_in_model": sorted(set(want) - set(names)),
            "parameter_order_equal": names == list(want),
            "config_class": type(model.config).__name__}


def check_logits(folder, ref, device, dtype, attn, tol):
    attn = attention_for(ref, dtype, attn)
    model, _ = load_model(folder, dtype, attn)
    model.to(device)
    ref64 = [p["logits_float64"] for p in ref["pairs"]]
    got = []
    with torch.no_grad():
        for p in ref["pairs"]:
            one = {k: [p[k]] for k in ref["model_input_names"]}
            got.append(model(**batch_tensors(ref, one, device)).logits[0].double().cpu().numpy())
        padded = model(**batch_tensors(ref, ref["padded_batch"], device)).logits.double().cpu().numpy()
    d_pairs = max_diff(np.stack(got), ref64)
    d_padded = max_diff(padded, ref64)
    return {"ok": d_pairs <= tol and d_padded <= tol, "tolerance": tol,
            "max_abs_diff_pairs": d_pairs, "max_abs_diff_padded_batch": d_padded,
            "max_abs_diff_pairs_vs_float32_reference": max_diff(np.stack(got),
                                                                [p["logits"] for p in ref["pairs"]]),
            "attn_implementation": getattr(model.config, "_attn_implementation", attn)}


def check_training(folder, ref, dtype, tol):
    rel, abs_tol = tol
    model, _ = load_model(folder, dtype, attention_for(ref, dtype, "eager"))
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
        if isinstance(getattr(m, "attention_dropout", None), float):
            m.attention_dropout = 0.0
    model.train()
    model.zero_grad()
    t = ref["training_step"]
    logits = model(**batch_tensors(ref, t, "cpu")).logits
    if ref["num_labels"] == 1:
        loss = torch.nn.BCEWithLogitsLoss()(logits[:, 0], torch.tensor(t["labels"], dtype=dtype))
    else:
        loss = torch.nn.CrossEntropyLoss()(logits, torch.tensor(t["labels"], dtype=torch.long))
    loss.backward()
    want = t["grad_norms_float64"]
    worst = 0.0
    worst_name = None
    no_grad = []
    for name, p in model.named_parameters():
        if p.grad is None:
            no_grad.append(name)
            continue
        g = float(torch.linalg.vector_norm(p.grad.double()))
        if name in want:
            excess = abs(g - want[name]) - rel * abs(want[name])
            if worst_name is None or excess > worst:
                worst, worst_name = excess, name
    loss_diff = abs(float(loss) - t["loss_float64"])
    ok = worst <= abs_tol and loss_diff <= (1e-5 if dtype == torch.float32 else 1e-10) and not no_grad
    return {"ok": ok, "loss": float(loss), "loss_abs_diff": loss_diff,
            "grad_norm_worst_excess_over_rel_tolerance": worst, "grad_norm_worst_parameter": worst_name,
            "tolerance_rel_abs": [rel, abs_tol],
            "parameters_without_gradient": no_grad,
            "max_abs_diff_logits": max_diff(logits.detach().double().numpy(), t["logits"])}


def activation_name(model):
    act = getattr(model, "activation_fn", None) or getattr(model, "default_activation_function", None)
    return type(act).__module__ + "." + type(act).__name__


def apply_activation(name, logits):
    logits = np.asarray(logits, dtype=np.float64)
    if name.endswith("Sigmoid"):
        return 1.0 / (1.0 + np.exp(-logits))
    if name.endswith("Identity"):
        return logits
    raise ValueError("activation " + name)


def check_cross_encoder(folder, ref, device, tol):
    from sentence_transformers import CrossEncoder
    kwargs = {}
    if ref.get("model_type") == "modernbert":
        kwargs["model_kwargs"] = {"attn_implementation": "sdpa"}
    model = CrossEncoder(folder, device=device, max_length=ref["max_length"], **kwargs)
    pairs = [[p["query"], p["document"]] for p in ref["pairs"]]
    scores = np.asarray(model.predict(pairs, batch_size=8, convert_to_numpy=True,
                                      show_progress_bar=False), dtype=np.float64)
    if scores.ndim == 1:
        scores = scores[:, None]
    act = activation_name(model)
    want = apply_activation(act, [p["logits_float64"] for p in ref["pairs"]])
    d = max_diff(scores, want)
    default_max_length = CrossEncoder(folder, device="cpu").max_length
    expected_act = "Sigmoid" if ref["num_labels"] == 1 else "Identity"
    return {"ok": d <= tol and act.endswith(expected_act), "tolerance": tol, "max_abs_diff": d,
            "activation": act, "max_length": model.max_length,
            "default_max_length": default_max_length}


# --- informative -----------------------------------------------------------------------------
def read_safetensors_header(path):
    import struct
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n))


def check_saved_again(folder, ref):
    out = {"informative": True}
    with tempfile.TemporaryDirectory() as tmp:
        config = AutoConfig.from_pretrained(folder)
        config.save_pretrained(tmp)
        with open(os.path.join(tmp, "config.json"), encoding="utf-8") as f:
            saved = json.load(f)
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
            committed = json.load(f)
        skip = {"transformers_version"}
        out["config_keys_only_in_saved"] = sorted(set(saved) - set(committed) - skip)
        out["config_keys_only_in_committed"] = sorted(set(committed) - set(saved) - skip)
        out["config_values_differing"] = {k: [committed[k], saved[k]] for k in sorted(committed)
                                          if k in saved and k not in skip and saved[k] != committed[k]}
    with tempfile.TemporaryDirectory() as tmp:
        tok = AutoTokenizer.from_pretrained(folder)
        tok.save_pretrained(tmp)
        out["tokenizer_files_written"] = sorted(os.listdir(tmp))
        if os.path.exists(os.path.join(tmp, "tokenizer.json")):
            with open(os.path.join(tmp, "tokenizer.json"), encoding="utf-8") as f:
                saved = json.load(f)
            with open(os.path.join(folder, "tokenizer.json"), encoding="utf-8") as f:
                committed = json.load(f)
            out["tokenizer_json_sections_differing"] = [
                k for k in ("added_tokens", "normalizer", "pre_tokenizer", "post_processor",
                            "decoder", "model") if saved.get(k) != committed.get(k)]
        with open(os.path.join(tmp, "tokenizer_config.json"), encoding="utf-8") as f:
            out["tokenizer_config_written"] = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        model, _ = load_model(folder, torch.float32)
        model.save_pretrained(tmp)
        out["model_files_written"] = sorted(os.listdir(tmp))
        h_saved = read_safetensors_header(os.path.join(tmp, "model.safetensors"))
        h_committed = read_safetensors_header(os.path.join(folder, "model.safetensors"))
        strip = lambda h: {k: (v["dtype"], v["shape"]) for k, v in h.items() if k != "__metadata__"}
        out["safetensors_same_names_shapes"] = strip(h_saved) == strip(h_committed)
        out["safetensors_only_in_saved"] = sorted(set(strip(h_saved)) - set(strip(h_committed)))
        out["safetensors_metadata_saved"] = h_saved.get("__metadata__")
    return out


def check_slow_sentencepiece(folder, ref):
    out = {"informative": True}
    model_file = os.path.join(folder, "sentencepiece.bpe.model")
    tokenizer_class = transformers.XLMRobertaTokenizer
    if not os.path.exists(model_file):
        # DeBERTa-v2/v3 (make_deberta_fixtures.py): the SentencePiece model its tokenizer.json was
        # converted from, DeBERTa-v3's special ids ([PAD] 0, [CLS] 1, [SEP] 2, [UNK] 3)
        model_file = os.path.join(folder, "spm.model")
        tokenizer_class = transformers.DebertaV2Tokenizer
        if not os.path.exists(model_file):
            return None
    tok = tokenizer_class(vocab_file=model_file)
    bad = []
    for p in ref["pairs"]:
        enc = tok(p["query"], p["document"], truncation=True, max_length=ref["max_length"])
        if list(enc["input_ids"]) != p["input_ids"]:
            bad.append({"pair": p["index"], "got": list(enc["input_ids"]), "want": p["input_ids"]})
    out.update({"class": type(tok).__name__, "mismatches": bad, "ok_informative": not bad})
    return out


# ---------------------------------------------------------------------------------------------
def run_check(results, name, fn, *args):
    t0 = time.time()
    try:
        r = fn(*args)
        if r is None:
            return
    except Exception as e:  # a failed check is recorded, the others still run
        r = {"ok": False, "error": repr(e), "trace": traceback.format_exc()}
        if name.startswith("informative"):
            r["informative"] = True
    r["seconds"] = round(time.time() - t0, 3)
    results[name] = r
    flag = "info" if r.get("informative") else ("ok" if r.get("ok") else "FAIL")
    print("  %-40s %s" % (name, flag), flush=True)


def main():
    arch_dir = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ARCH
    out_dir = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.abspath(
        "arch-transformers-check")
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    start = time.time()
    versions = {"transformers": transformers.__version__, "torch": torch.__version__,
                "python": sys.version.split()[0]}
    for mod in ("tokenizers", "sentence_transformers", "sentencepiece"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception as e:
            versions[mod] = "unavailable: " + repr(e)
    cuda = torch.cuda.is_available()
    report = {"versions": versions, "cuda": torch.cuda.get_device_name(0) if cuda else None,
              "arch_dir": arch_dir, "cases": {}}
    for name, folder in case_folders(arch_dir):
        print(name, flush=True)
        with open(os.path.join(folder, "reference.json"), encoding="utf-8") as f:
            ref = json.load(f)
        res = {}
        run_check(res, "tokenizer", check_tokenizer, folder, ref)
        run_check(res, "loading", check_loading, folder, ref)
        run_check(res, "logits float32 sdpa cpu", check_logits, folder, ref, "cpu", torch.float32,
                  None, TOL_F32)
        run_check(res, "logits float32 eager cpu", check_logits, folder, ref, "cpu",
                  torch.float32, "eager", TOL_F32)
        run_check(res, "logits float64 eager cpu", check_logits, folder, ref, "cpu",
                  torch.float64, "eager", TOL_F64)
        if cuda:
            run_check(res, "logits float32 cuda", check_logits, folder, ref, "cuda",
                      torch.float32, None, TOL_CUDA)
        run_check(res, "training float32", check_training, folder, ref, torch.float32, GRAD_TOL_F32)
        run_check(res, "training float64", check_training, folder, ref, torch.float64, GRAD_TOL_F64)
        run_check(res, "cross-encoder cpu", check_cross_encoder, folder, ref, "cpu", TOL_F32)
        if cuda:
            run_check(res, "cross-encoder cuda", check_cross_encoder, folder, ref, "cuda", TOL_CUDA)
        run_check(res, "informative: saved again", check_saved_again, folder, ref)
        run_check(res, "informative: slow sentencepiece tokenizer", check_slow_sentencepiece,
                  folder, ref)
        report["cases"][name] = res
    required = [r for c in report["cases"].values() for r in c.values() if not r.get("informative")]
    report["all_ok"] = bool(required) and all(r.get("ok") for r in required)
    report["failed"] = [c + ": " + k for c, rs in report["cases"].items() for k, r in rs.items()
                        if not r.get("informative") and not r.get("ok")]
    report["seconds"] = round(time.time() - start, 1)
    with open(os.path.join(out_dir, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, ensure_ascii=False, default=str)
        f.write("\n")
    print("all_ok", report["all_ok"], "failed", report["failed"], "in %.1f s" % report["seconds"])
    print("report:", os.path.join(out_dir, "report.json"))
    return 0 if report["all_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
