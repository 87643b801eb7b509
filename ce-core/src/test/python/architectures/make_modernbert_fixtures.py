#!/usr/bin/python3
"""Makes the reference fixtures of the ModernBERT plugin.

Writes, for every case of CASES below, the folder
    ce-core/src/test/resources/dev/ce4j/core/arch/modernbert/<case>/
with config.json, model.safetensors, tokenizer.json, tokenizer_config.json,
special_tokens_map.json and reference.json (the layout of README.md next to this script; the
pieces shared with the other families come from arch_common.py and make_arch_fixtures.py).

Everything is computed here without transformers or tokenizers:
  * model: hf_modernbert.py, a torch transcription of ModernBertForSequenceClassification;
  * tokenizer: ModernBERT's byte-level BPE layout (NFC normalizer, ByteLevel pre-tokenizer,
    TemplateProcessing "[CLS] A [SEP] B [SEP]", special tokens after the BPE vocabulary, as
    answerdotai/ModernBERT-base's tokenizer.json has them), merges trained with bpe_bytelevel.py,
    ids from its transcription of GPT-2's encoder.py after NFC normalisation;
  * config.json: the first case in the layout transformers 5 writes (rope_parameters,
    layer_types), the second in the layout of the checkpoints on the Hub (global_rope_theta,
    local_rope_theta, global_attn_every_n_layers only), which transformers 5 still reads.

Rerun from the repository root with Debian's Python, a few seconds:

    /usr/bin/python3 ce-core/src/test/python/architectures/make_modernbert_fixtures.py

Sources transcribed (huggingface/transformers, v5 line): models/modernbert/modeling_modernbert.py
commit 000c33fd, models/modernbert/configuration_modernbert.py commit 001f85b3.
"""
import copy
import os
import sys
import unicodedata

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import arch_common as common  # noqa: E402
import bpe_bytelevel  # noqa: E402
import hf_modernbert  # noqa: E402
from make_arch_fixtures import f32list, f64list, labels, pad_batch, train_labels_multiclass  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
OUT = os.path.join(REPO, "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch", "modernbert")

TRANSCRIBED = ("huggingface/transformers v5 line: modernbert/modeling_modernbert.py@000c33fd, "
               "modernbert/configuration_modernbert.py@001f85b3; config layout of transformers 5.17.0; "
               "truncation of huggingface/tokenizers 0.23")
ARCHITECTURE = "ModernBertForSequenceClassification"
BPE_MERGES = 100
SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]  # after the BPE vocabulary, as in ModernBERT

CASES = [
    {"case": "bpe-cls-gelu-1label-len32", "seed": 501, "max_length": 32, "num_labels": 1,
     "layout": "v5",
     "model": {"hidden_size": 32, "num_hidden_layers": 3, "num_attention_heads": 4,
               "intermediate_size": 48, "max_position_embeddings": 64, "local_attention": 8,
               "global_attn_every_n_layers": 3, "global_rope_theta": 160000.0,
               "local_rope_theta": 10000.0, "classifier_pooling": "cls", "hidden_activation": "gelu",
               "classifier_activation": "gelu", "attention_bias": False, "mlp_bias": False,
               "norm_bias": False, "classifier_bias": False, "attention_dropout": 0.0,
               "embedding_dropout": 0.0, "mlp_dropout": 0.0, "classifier_dropout": 0.0}},
    {"case": "bpe-mean-biases-3label-len48", "seed": 502, "max_length": 48, "num_labels": 3,
     "id2label": {"0": "contradiction", "1": "neutral", "2": "entailment"},
     "layout": "hub",
     "model": {"hidden_size": 32, "num_hidden_layers": 4, "num_attention_heads": 2,
               "intermediate_size": 40, "max_position_embeddings": 64, "local_attention": 6,
               "global_attn_every_n_layers": 2, "global_rope_theta": 20000.0,
               "local_rope_theta": 500.0, "classifier_pooling": "mean", "hidden_activation": "gelu",
               "classifier_activation": "relu", "attention_bias": True, "mlp_bias": True,
               "norm_bias": True, "classifier_bias": True, "attention_dropout": 0.1,
               "embedding_dropout": 0.05, "mlp_dropout": 0.1, "classifier_dropout": 0.2}},
]


# ---------------------------------------------------------------------------------------------
# Tokenizer: ModernBERT's layout around a tiny byte-level BPE
# ---------------------------------------------------------------------------------------------
class Tok:
    def __init__(self):
        texts = [unicodedata.normalize("NFC", t) for t in common.all_texts()]
        _, merges = bpe_bytelevel.train(texts, BPE_MERGES)
        byte_encoder = bpe_bytelevel.bytes_to_unicode()
        vocab = {}
        for b in range(256):
            vocab.setdefault(byte_encoder[b], len(vocab))
        for a, b in merges:
            vocab.setdefault(a + b, len(vocab))
        for s in SPECIALS:
            vocab[s] = len(vocab)
        self.vocab = vocab
        self.merges = merges
        self.encoder = bpe_bytelevel.Encoder(vocab, merges)
        self.vocab_size = len(vocab)
        self.id_to_token = {i: t for t, i in vocab.items()}
        self.cls = vocab["[CLS]"]
        self.sep = vocab["[SEP]"]
        self.pad_id = vocab["[PAD]"]
        self.n_added_pair = 3
        self.description = ("byte-level BPE in ModernBERT's layout (NFC, GPT-2 bytes_to_unicode and "
                            "pre-tokenization regex), %d merges trained here; ids from a transcription "
                            "of GPT-2's encoder.py after NFC" % len(merges))

    def pieces(self, text):
        return self.encoder.encode(unicodedata.normalize("NFC", text))

    def encode_pair(self, query, document, max_length):
        a = self.pieces(query)
        b = self.pieces(document)
        ta, tb = common.truncate_pair_longest_first(a, b, max_length, self.n_added_pair)
        ids = [self.cls] + ta + [self.sep] + tb + [self.sep]
        return {"input_ids": ids, "attention_mask": [1] * len(ids), "untruncated_lengths": [len(a), len(b)],
                "truncated": len(ta) + len(tb) < len(a) + len(b)}

    def tokenizer_json(self):
        def added(content, lstrip=False):
            return {"id": self.vocab[content], "content": content, "single_word": False, "lstrip": lstrip,
                    "rstrip": False, "normalized": False, "special": True}

        def special(name, type_id):
            return {"SpecialToken": {"id": name, "type_id": type_id}}

        def seq(name, type_id):
            return {"Sequence": {"id": name, "type_id": type_id}}

        bpe_vocab = {t: i for t, i in self.vocab.items() if t not in SPECIALS}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [added(s, lstrip=(s == "[MASK]")) for s in SPECIALS],
            "normalizer": {"type": "NFC"},
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                              "use_regex": True},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0)],
                "pair": [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0), seq("B", 1),
                         special("[SEP]", 1)],
                "special_tokens": {
                    "[CLS]": {"id": "[CLS]", "ids": [self.cls], "tokens": ["[CLS]"]},
                    "[SEP]": {"id": "[SEP]", "ids": [self.sep], "tokens": ["[SEP]"]},
                },
            },
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                      "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                      "ignore_merges": False,
                      "vocab": dict(sorted(bpe_vocab.items(), key=lambda kv: kv[1])),
                      "merges": [[a, b] for a, b in self.merges]},
        }

    @staticmethod
    def tokenizer_config(max_length):
        """tokenizer_config.json as ModernBERT's (PreTrainedTokenizerFast, no token type ids)."""
        return {
            "backend": "tokenizers",
            "clean_up_tokenization_spaces": True,
            "cls_token": "[CLS]",
            "mask_token": "[MASK]",
            "model_input_names": ["input_ids", "attention_mask"],
            "model_max_length": max_length,
            "pad_token": "[PAD]",
            "sep_token": "[SEP]",
            "tokenizer_class": "PreTrainedTokenizerFast",
            "unk_token": "[UNK]",
        }

    @staticmethod
    def special_tokens_map():
        def tok(content, lstrip=False):
            return {"content": content, "lstrip": lstrip, "normalized": False, "rstrip": False,
                    "single_word": False}
        return {"cls_token": tok("[CLS]"), "mask_token": tok("[MASK]", lstrip=True), "pad_token": tok("[PAD]"),
                "sep_token": tok("[SEP]"), "unk_token": tok("[UNK]")}


# ---------------------------------------------------------------------------------------------
# config.json
# ---------------------------------------------------------------------------------------------
def hf_config(case, tok, config_vocab):
    m = case["model"]
    id2label, label2id = labels(case)
    n = m["num_hidden_layers"]
    every = m["global_attn_every_n_layers"]
    cfg = {"architectures": [ARCHITECTURE], "model_type": "modernbert", "dtype": "float32",
           "id2label": id2label, "label2id": label2id,
           "transformers_version": common.TRANSFORMERS_VERSION_WRITTEN,
           "vocab_size": config_vocab, "hidden_size": m["hidden_size"],
           "intermediate_size": m["intermediate_size"], "num_hidden_layers": n,
           "num_attention_heads": m["num_attention_heads"], "hidden_activation": m["hidden_activation"],
           "max_position_embeddings": m["max_position_embeddings"], "initializer_range": 0.02,
           "initializer_cutoff_factor": 2.0, "norm_eps": 1e-05, "norm_bias": m["norm_bias"],
           "pad_token_id": tok.pad_id, "eos_token_id": tok.sep, "bos_token_id": tok.cls,
           "cls_token_id": tok.cls, "sep_token_id": tok.sep, "attention_bias": m["attention_bias"],
           "attention_dropout": m["attention_dropout"], "local_attention": m["local_attention"],
           "embedding_dropout": m["embedding_dropout"], "mlp_bias": m["mlp_bias"],
           "mlp_dropout": m["mlp_dropout"], "decoder_bias": True,
           "classifier_pooling": m["classifier_pooling"], "classifier_dropout": m["classifier_dropout"],
           "classifier_bias": m["classifier_bias"], "classifier_activation": m["classifier_activation"],
           "deterministic_flash_attn": False, "sparse_prediction": False, "sparse_pred_ignore_index": -100,
           "tie_word_embeddings": True, "global_attn_every_n_layers": every}
    if case["layout"] == "v5":
        cfg["layer_types"] = ["full_attention" if i % every == 0 else "sliding_attention" for i in range(n)]
        cfg["rope_parameters"] = {
            "full_attention": {"rope_theta": m["global_rope_theta"], "rope_type": "default"},
            "sliding_attention": {"rope_theta": m["local_rope_theta"], "rope_type": "default"}}
    else:
        cfg["global_rope_theta"] = m["global_rope_theta"]
        cfg["local_rope_theta"] = m["local_rope_theta"]
        cfg["reference_compile"] = None
    return cfg


def model_config(case, cfg):
    c = dict(cfg)
    c.update(case["model"])
    c["num_labels"] = case["num_labels"]
    return c


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------
def run(model, batch, trace=None):
    ids = torch.tensor(batch["input_ids"], dtype=torch.long)
    mask = torch.tensor(batch["attention_mask"], dtype=torch.long)
    return model(ids, mask, trace=trace)


def no_dropout(model):
    for mod in model.modules():
        if isinstance(mod, torch.nn.Dropout):
            mod.p = 0.0
        if isinstance(mod, hf_modernbert.ModernBertAttention):
            mod.attention_dropout = 0.0


def training_step(model, batch, case, dtype):
    m = copy.deepcopy(model).to(dtype)
    no_dropout(m)
    m.train()
    m.zero_grad()
    logits = run(m, batch)
    if case["num_labels"] == 1:
        y = torch.tensor(common.TRAIN_LABELS_BINARY, dtype=dtype)
        loss = torch.nn.BCEWithLogitsLoss()(logits[:, 0], y)
    else:
        y = torch.tensor(train_labels_multiclass(case), dtype=torch.long)
        loss = torch.nn.CrossEntropyLoss()(logits, y)
    loss.backward()
    norms = {name: float(torch.linalg.vector_norm(p.grad.double())) for name, p in m.named_parameters()}
    return logits, float(loss), norms, float(np.sqrt(sum(v * v for v in norms.values())))


def make_case(case, tok, tok_again):
    folder = os.path.join(OUT, case["case"])
    common.ensure_dir(folder)
    torch.manual_seed(case["seed"])
    max_length = case["max_length"]

    encs = []
    for i, (q, d) in enumerate(common.PAIRS):
        e = tok.encode_pair(q, d, max_length)
        assert e == tok_again.encode_pair(q, d, max_length), ("token ids do not reproduce", i)
        assert len(e["input_ids"]) <= max_length
        if e["truncated"]:
            assert len(e["input_ids"]) == max_length
        encs.append(e)
    for i in (12, 13, 14):
        assert encs[i]["truncated"], ("long pair not truncated", case["case"], i)

    # the embedding has more rows than the tokenizer has ids, as ModernBERT's (50368 > 50285)
    config_vocab = (tok.vocab_size + 63) // 64 * 64
    cfg = hf_config(case, tok, config_vocab)
    c = model_config(case, cfg)
    model = hf_modernbert.ModernBertForSequenceClassification(c)
    hf_modernbert.fill_weights(model, case["seed"])
    model.eval()
    state = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    names = list(state)
    shapes = {k: list(v.shape) for k, v in state.items()}

    common.write_json(os.path.join(folder, "config.json"), cfg)
    common.write_safetensors(os.path.join(folder, "model.safetensors"), state)
    common.write_tokenizer_json(os.path.join(folder, "tokenizer.json"), tok.tokenizer_json())
    common.write_json(os.path.join(folder, "tokenizer_config.json"), tok.tokenizer_config(max_length))
    common.write_json(os.path.join(folder, "special_tokens_map.json"), tok.special_tokens_map())

    _, loaded = common.read_safetensors(os.path.join(folder, "model.safetensors"))
    assert sorted(loaded) == sorted(names)
    model2 = hf_modernbert.ModernBertForSequenceClassification(c)
    model2.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in loaded.items()})
    model2.eval()

    model64 = copy.deepcopy(model).double().eval()
    pairs_out, logits32, max_f32_f64 = [], [], 0.0
    with torch.no_grad():
        for i, e in enumerate(encs):
            one = {"input_ids": [e["input_ids"]], "attention_mask": [e["attention_mask"]]}
            l32 = run(model, one)[0]
            l64 = run(model64, one)[0]
            assert torch.equal(l32, run(model2, one)[0]), "safetensors round trip"
            max_f32_f64 = max(max_f32_f64, float((l32.double() - l64).abs().max()))
            logits32.append(l32)
            pairs_out.append({
                "index": i, "query": common.PAIRS[i][0], "document": common.PAIRS[i][1],
                "tokens": [tok.id_to_token[t] for t in e["input_ids"]],
                "input_ids": e["input_ids"], "attention_mask": e["attention_mask"],
                "untruncated_lengths": e["untruncated_lengths"], "truncated": e["truncated"],
                "logits": f32list(l32), "logits_float64": f64list(l64)})
        assert max_f32_f64 < 1e-4, ("float32 vs float64", max_f32_f64)

        padded = pad_batch(encs, tok.pad_id)
        lp = run(model, padded)
        lp64 = run(model64, padded)
        diff_padded = float((lp - torch.stack(logits32)).abs().max())
        diff_padded64 = float((lp64 - torch.tensor([p["logits_float64"] for p in pairs_out],
                                                   dtype=torch.float64)).abs().max())
        assert diff_padded < 5e-6, ("padded vs unpadded", diff_padded)
        assert diff_padded64 < 1e-12, ("padded vs unpadded float64", diff_padded64)
        padded_out = dict(padded)
        padded_out["pad_token_id"] = tok.pad_id
        padded_out["length"] = len(padded["input_ids"][0])
        padded_out["logits"] = [f32list(r) for r in lp]
        padded_out["max_abs_diff_vs_unpadded"] = diff_padded

        trace, trace64 = [], []
        one = {"input_ids": [encs[0]["input_ids"]], "attention_mask": [encs[0]["attention_mask"]]}
        run(model, one, trace)
        run(model64, one, trace64)
        n_layers = c["num_hidden_layers"]
        trace_out = {
            "pair_index": 0,
            "embedding_output_first_token": f32list(trace[0][0, 0]),
            "embedding_output_last_token": f32list(trace[0][0, -1]),
            "layer_outputs_first_token": [f32list(trace[1 + k][0, 0]) for k in range(n_layers)],
            "final_norm_first_token": f32list(trace[1 + n_layers][0, 0]),
            "head_hidden": f32list(trace[-1][0]),
            "head_hidden_float64": f64list(trace64[-1][0]),
            "description": ("pair 0 unpadded: embedding_output_* = norm(tok_embeddings(ids)) (rows of the "
                            "first and last token); layer_outputs_first_token[k] = the first token's row "
                            "after layer k (before final_norm); final_norm_first_token = after final_norm; "
                            "head_hidden = head.norm(act(head.dense(pooled))), the input of classifier"),
        }

    train_batch = pad_batch([encs[i] for i in common.TRAIN_PAIRS], tok.pad_id)
    tl32, loss32, norms32, g32 = training_step(model, train_batch, case, torch.float32)
    _, loss64, norms64, g64 = training_step(model, train_batch, case, torch.float64)
    assert abs(loss32 - loss64) < 1e-5, ("loss f32 vs f64", loss32, loss64)
    for name in norms64:
        assert abs(norms32[name] - norms64[name]) <= 1e-4 * max(1.0, norms64[name]), name
    assert list(norms64) == names, "parameter order"
    train_out = {"pair_indices": common.TRAIN_PAIRS, "input_ids": train_batch["input_ids"],
                 "attention_mask": train_batch["attention_mask"]}
    if case["num_labels"] == 1:
        train_out["labels"] = common.TRAIN_LABELS_BINARY
        train_out["loss_function"] = ("BCEWithLogitsLoss (mean) of logits[:, 0] against the float labels, as "
                                      "sentence-transformers' CrossEncoder trains one label")
    else:
        train_out["labels"] = train_labels_multiclass(case)
        train_out["loss_function"] = "CrossEntropyLoss (mean) of the logits against the class labels"
    train_out["mode"] = ("model.train() with every dropout probability 0 (embedding, attention, mlp, "
                         "classifier), so the step is deterministic; gradients of one backward pass from zero")
    train_out["logits"] = [f32list(r) for r in tl32]
    train_out["loss"] = common.f32(loss32)
    train_out["loss_float64"] = loss64
    train_out["grad_norms"] = {k: common.f32(v) for k, v in norms32.items()}
    train_out["grad_norms_float64"] = norms64
    train_out["grad_norms_note"] = (
        "grad_norms: L2 norm of each parameter's gradient, float32 run; grad_norms_float64: the same model "
        "in float64. The key part of an attention bias (attn.Wqkv.bias rows hidden..2*hidden) has a zero "
        "gradient in exact arithmetic only without rotary embeddings, so here every norm is a real value; "
        "compare with |got - want| <= rel * want + abs.")
    train_out["global_grad_norm"] = common.f32(g32)
    train_out["global_grad_norm_float64"] = g64

    m = case["model"]
    ref = {
        "format": "ce-arch-reference/1",
        "family": "modernbert",
        "case": case["case"],
        "model_type": "modernbert",
        "architecture": ARCHITECTURE,
        "transformers_version_transcribed": TRANSCRIBED,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "note": ("Made by ce-core/src/test/python/architectures/make_modernbert_fixtures.py without "
                 "transformers: a torch transcription of %s (eager attention, padded) in eval mode, float32 "
                 "on one CPU thread, and the same model cast to float64 (rotary cos/sin in float32 as "
                 "transformers computes them); token ids from an independent Python tokenizer (%s); pairs "
                 "encoded as the tokenizer does for (query, document) with truncation=True (longest_first) "
                 "at max_length %d." % (ARCHITECTURE, tok.description, max_length)),
        "max_length": max_length,
        "max_position_embeddings": m["max_position_embeddings"],
        "num_labels": case["num_labels"],
        "id2label": labels(case)[0],
        "pad_token_id": tok.pad_id,
        "model_input_names": ["input_ids", "attention_mask"],
        "tokenizer": tok.description,
        "special_tokens_per_pair": tok.n_added_pair,
        "config_layout": case["layout"],
        "tensors": {n: shapes[n] for n in names},
        "pairs": pairs_out,
        "padded_batch": padded_out,
        "trace": trace_out,
        "training_step": train_out,
        "checks": {
            "max_abs_logit_diff_float32_vs_float64": max_f32_f64,
            "max_abs_logit_diff_padded_vs_unpadded": diff_padded,
            "max_abs_logit_diff_padded_vs_unpadded_float64": diff_padded64,
            "token_ids_reproduce_when_tokenizer_rebuilt": True,
            "safetensors_reload_gives_same_logits": True,
        },
    }
    common.write_reference_json(os.path.join(folder, "reference.json"), ref)
    return folder, ref


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    tok, again = Tok(), Tok()
    assert tok.tokenizer_json() == again.tokenizer_json(), "tokenizer rebuild"
    for case in CASES:
        folder, ref = make_case(case, tok, again)
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        ck = ref["checks"]
        print("%-32s vocab %4d  %6.1f kB  f32-f64 %.1e  padded %.1e  loss %.6f" % (
            case["case"], tok.vocab_size, size / 1024.0, ck["max_abs_logit_diff_float32_vs_float64"],
            ck["max_abs_logit_diff_padded_vs_unpadded"], ref["training_step"]["loss_float64"]))


if __name__ == "__main__":
    main()
