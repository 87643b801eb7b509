#!/usr/bin/python3
"""Makes the reference fixtures of the DeBERTa-v2/v3 plugin (model_type deberta-v2).

Writes, for every case of CASES below, the folder
    ce-core/src/test/resources/dev/ce4j/core/arch/deberta-v2/<case>/
holding what transformers' save_pretrained and the tokenizer's save_pretrained write
(config.json, model.safetensors, tokenizer.json, tokenizer_config.json, special_tokens_map.json,
spm.model: the SentencePiece model the tokenizer was converted from) and reference.json, in the
layout of make_arch_fixtures.py (README.md next to this script).

Everything is computed here without transformers or tokenizers:
  * the model: hf_deberta.py, a torch transcription of DebertaV2ForSequenceClassification;
  * token ids: deberta_spm.py, sentencepiece's own encoder, pairs truncated as the Rust tokenizers
    library does (arch_common.truncate_pair_longest_first).
The script asserts its invariants (padded batch == unpadded pairs, float32 ~ float64, the
relative positions really reach the log buckets, token ids reproduce when the tokenizer is
rebuilt, the saved weights load back to the same logits) and rewrites byte-identical files
(torch on one thread).

Rerun from the repository root with Debian's Python (python3-torch, python3-sentencepiece,
python3-numpy), a few seconds:

    /usr/bin/python3 ce-core/src/test/python/architectures/make_deberta_fixtures.py

Sources transcribed (huggingface/transformers, v5 line): see TRANSCRIBED below.
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import copy  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

import arch_common as common  # noqa: E402
import deberta_spm  # noqa: E402
import hf_deberta  # noqa: E402
import make_arch_fixtures as arch  # noqa: E402

OUT = os.path.join(arch.OUT, "deberta-v2")

TRANSCRIBED = ("huggingface/transformers: models/deberta_v2/modeling_deberta_v2.py read at "
               "commit 967ed0db (XSoftmax, StableDropout) and written in the v5 form (nn.Dropout, "
               "masked_fill of the dtype's minimum and softmax: same real rows and logits), "
               "configuration_deberta_v2.py (commit cb6679c8), convert_slow_tokenizer.py "
               "DebertaV2Converter (commit 00111b31); config layout of transformers 5.17.0; "
               "truncation of huggingface/tokenizers 0.23")

UNIGRAM_VOCAB = 280
ARCHITECTURE = "DebertaV2ForSequenceClassification"

CASES = [
    # v3 style: no absolute positions, no token types, log buckets (8, i.e. exact up to distance
    # 4 and logarithmic beyond, with max_length 40), shared position projections, LayerNorm'd
    # relative embeddings
    {"case": "spm-v3-1label-len40", "seed": 501, "max_length": 40, "num_labels": 1,
     "model": {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
               "intermediate_size": 64, "max_position_embeddings": 64, "type_vocab_size": 0,
               "relative_attention": True, "max_relative_positions": -1, "position_buckets": 8,
               "pos_att_type": ["p2c", "c2p"], "share_att_key": True, "norm_rel_ebd": "layer_norm",
               "position_biased_input": False, "hidden_act": "gelu", "pooler_hidden_act": "gelu",
               "pooler_dropout": 0}},
    # v2 style: learned absolute positions, two token types, embedding_size 16 -> embed_proj ->
    # 32, relative positions without buckets clamped at 12 (shorter than the pairs),
    # pos_key_proj / pos_query_proj, tanh pooler, cls_dropout
    {"case": "spm-v2-3label-len48", "seed": 502, "max_length": 48, "num_labels": 3,
     "id2label": {"0": "contradiction", "1": "entailment", "2": "neutral"},
     "model": {"embedding_size": 16, "hidden_size": 32, "num_hidden_layers": 2,
               "num_attention_heads": 2, "intermediate_size": 48, "max_position_embeddings": 48,
               "type_vocab_size": 2, "relative_attention": True, "max_relative_positions": 12,
               "position_buckets": -1, "pos_att_type": ["c2p", "p2c"], "share_att_key": False,
               "norm_rel_ebd": "none", "position_biased_input": True, "hidden_act": "gelu",
               "pooler_hidden_act": "tanh", "pooler_dropout": 0.05, "cls_dropout": 0.15}},
    # v2-xlarge style: the convolution after the first layer (kernel 3, 2 groups, gelu), log
    # buckets, shared position projections, no absolute positions, no token types
    {"case": "spm-v2conv-2label-len32", "seed": 503, "max_length": 32, "num_labels": 2,
     "id2label": {"0": "irrelevant", "1": "relevant"},
     "model": {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
               "intermediate_size": 64, "max_position_embeddings": 32, "type_vocab_size": 0,
               "relative_attention": True, "max_relative_positions": -1, "position_buckets": 8,
               "pos_att_type": ["p2c", "c2p"], "share_att_key": True, "norm_rel_ebd": "layer_norm",
               "position_biased_input": False, "hidden_act": "gelu", "pooler_hidden_act": "gelu",
               "pooler_dropout": 0, "conv_kernel_size": 3, "conv_groups": 2, "conv_act": "gelu"}},
    # transformers' DebertaV2Config defaults for the attention: relative_attention false and
    # pos_att_type null (content-to-content only, scale sqrt(head_size)), absolute positions, two
    # token types, relu feed-forward
    {"case": "spm-norel-1label-len24", "seed": 504, "max_length": 24, "num_labels": 1,
     "model": {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
               "intermediate_size": 64, "max_position_embeddings": 32, "type_vocab_size": 2,
               "relative_attention": False, "max_relative_positions": -1, "position_buckets": -1,
               "pos_att_type": None, "share_att_key": False, "norm_rel_ebd": "none",
               "position_biased_input": True, "hidden_act": "relu", "pooler_hidden_act": "gelu",
               "pooler_dropout": 0}},
]


class Tok:
    def __init__(self):
        model = deberta_spm.train(common.all_texts(), UNIGRAM_VOCAB)
        self.model_bytes = model
        self.tokenizer_json = deberta_spm.tokenizer_json(model)
        self.encoder = deberta_spm.PairEncoder(model)
        self.vocab_size = self.encoder.vocab_size
        self.id_to_token = {i: p for i, (p, _) in enumerate(self.tokenizer_json["model"]["vocab"])}
        self.id_to_token[self.vocab_size - 1] = deberta_spm.MASK
        self.description = ("SentencePiece Unigram (%d pieces, DeBERTa-v3's special ids) trained "
                            "here with sentencepiece %s; ids from sentencepiece's own encoder"
                            % (self.encoder.sp.GetPieceSize(), deberta_spm.spm.__version__))

    def encode_pair(self, query, document, max_length):
        a = self.encoder.pieces(query)
        b = self.encoder.pieces(document)
        ta, tb = common.truncate_pair_longest_first(a, b, max_length, self.encoder.n_added_pair)
        enc = self.encoder.build(ta, tb)
        enc["untruncated_lengths"] = [len(a), len(b)]
        enc["truncated"] = len(ta) + len(tb) < len(a) + len(b)
        return enc


def hf_config(case, vocab_size):
    m = case["model"]
    id2label, label2id = arch.labels(case)
    cfg = {"model_type": "deberta-v2", "architectures": [ARCHITECTURE],
           "attention_probs_dropout_prob": 0.1, "dtype": "float32",
           "hidden_act": m["hidden_act"], "hidden_dropout_prob": 0.1,
           "hidden_size": m["hidden_size"], "id2label": id2label, "initializer_range": 0.02,
           "intermediate_size": m["intermediate_size"], "label2id": label2id,
           "layer_norm_eps": 1e-07, "legacy": True,
           "max_position_embeddings": m["max_position_embeddings"],
           "max_relative_positions": m["max_relative_positions"],
           "norm_rel_ebd": m["norm_rel_ebd"],
           "num_attention_heads": m["num_attention_heads"],
           "num_hidden_layers": m["num_hidden_layers"], "pad_token_id": 0,
           "pooler_dropout": m["pooler_dropout"], "pooler_hidden_act": m["pooler_hidden_act"],
           "pooler_hidden_size": m["hidden_size"], "pos_att_type": m["pos_att_type"],
           "position_biased_input": m["position_biased_input"],
           "position_buckets": m["position_buckets"],
           "relative_attention": m["relative_attention"], "share_att_key": m["share_att_key"],
           "tie_word_embeddings": True,
           "transformers_version": common.TRANSFORMERS_VERSION_WRITTEN,
           "type_vocab_size": m["type_vocab_size"], "vocab_size": vocab_size}
    for optional in ("embedding_size", "cls_dropout", "conv_kernel_size", "conv_groups", "conv_act"):
        if optional in m:
            cfg[optional] = m[optional]
    return cfg


def model_for(case, cfg):
    c = dict(cfg)
    c["num_labels"] = case["num_labels"]
    return hf_deberta.DebertaV2ForSequenceClassification(c), c


def check_buckets(case, max_length):
    """The relative positions of a max_length pair reach the log buckets (or the clamp)."""
    m = case["model"]
    if not m["relative_attention"]:
        return {"relative_attention": False}
    span = m["position_buckets"] if m["position_buckets"] > 0 else (
        m["max_relative_positions"] if m["max_relative_positions"] > 0 else m["max_position_embeddings"])
    maxrel = m["max_relative_positions"] if m["max_relative_positions"] > 0 else m["max_position_embeddings"]
    rel = hf_deberta.build_relative_position(max_length, max_length, m["position_buckets"], maxrel)[0]
    raw = hf_deberta.build_relative_position(max_length, max_length)[0]
    if m["position_buckets"] > 0:
        mid = m["position_buckets"] // 2
        assert int(raw.abs().max()) > mid, "no distance beyond the exact range"
        assert not torch.equal(rel, raw), "log buckets not exercised"
        # float32 log bucketing (as transformers) equals the same in float64 for these sizes
        r64 = raw.double()
        sign = torch.sign(r64)
        abs_pos = torch.where((r64 < mid) & (r64 > -mid), torch.tensor(mid - 1.0, dtype=torch.float64), r64.abs())
        log_pos = torch.ceil(torch.log(abs_pos / mid) / np.log((maxrel - 1) / mid) * (mid - 1)) + mid
        b64 = torch.where(abs_pos <= mid, r64, log_pos * sign).long()
        assert torch.equal(b64, rel), "float32 vs float64 buckets"
        return {"exact_up_to": mid, "largest_distance": int(raw.abs().max()),
                "largest_bucket": int(rel.abs().max()), "span": span}
    assert int(raw.abs().max()) >= span, "clamp not exercised"
    return {"largest_distance": int(raw.abs().max()), "clamped_beyond": span, "span": span}


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
            assert len(e["input_ids"]) == max_length, i
        assert max(e["input_ids"]) < tok.vocab_size
        encs.append(e)
    for i in (12, 13, 14):
        assert encs[i]["truncated"], ("long pair not truncated", i)
    buckets = check_buckets(case, max_length)

    cfg = hf_config(case, tok.vocab_size)
    model, c = model_for(case, cfg)
    common.WeightMaker(case["seed"]).fill(model, model.padding_rows(c))
    model.eval()
    state = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    names = list(state)
    shapes = {k: list(v.shape) for k, v in state.items()}

    common.write_json(os.path.join(folder, "config.json"), cfg)
    common.write_safetensors(os.path.join(folder, "model.safetensors"), state)
    common.write_tokenizer_json(os.path.join(folder, "tokenizer.json"), tok.tokenizer_json)
    common.write_json(os.path.join(folder, "tokenizer_config.json"), deberta_spm.tokenizer_config(max_length))
    common.write_json(os.path.join(folder, "special_tokens_map.json"), deberta_spm.special_tokens_map())
    with open(os.path.join(folder, "spm.model"), "wb") as f:
        f.write(tok.model_bytes)

    _, loaded = common.read_safetensors(os.path.join(folder, "model.safetensors"))
    assert sorted(loaded) == sorted(names)
    model2, _ = model_for(case, cfg)
    model2.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in loaded.items()})
    model2.eval()

    model64 = copy.deepcopy(model).double().eval()
    pairs_out, logits32 = [], []
    max_f32_f64 = 0.0
    keys = ("input_ids", "attention_mask", "token_type_ids")
    with torch.no_grad():
        for i, e in enumerate(encs):
            one = {k: [e[k]] for k in keys}
            l32 = arch.run(model, one)[0]
            l64 = arch.run(model64, one)[0]
            assert torch.equal(l32, arch.run(model2, one)[0]), "safetensors round trip"
            max_f32_f64 = max(max_f32_f64, float((l32.double() - l64).abs().max()))
            logits32.append(l32)
            pairs_out.append({
                "index": i, "query": common.PAIRS[i][0], "document": common.PAIRS[i][1],
                "tokens": [tok.id_to_token[t] for t in e["input_ids"]],
                "input_ids": e["input_ids"], "attention_mask": e["attention_mask"],
                "token_type_ids": e["token_type_ids"],
                "untruncated_lengths": e["untruncated_lengths"], "truncated": e["truncated"],
                "logits": arch.f32list(l32), "logits_float64": arch.f64list(l64)})
        assert max_f32_f64 < 1e-4, ("float32 vs float64", max_f32_f64)

        padded = arch.pad_batch(encs, tok.encoder.pad_id)
        lp = arch.run(model, padded)
        lp64 = arch.run(model64, padded)
        diff_padded = float((lp - torch.stack(logits32)).abs().max())
        diff_padded64 = float((lp64 - torch.stack([torch.tensor(p["logits_float64"], dtype=torch.float64)
                                                   for p in pairs_out])).abs().max())
        assert diff_padded < 5e-6, ("padded vs unpadded", diff_padded)
        assert diff_padded64 < 1e-12, ("padded vs unpadded float64", diff_padded64)
        padded_out = dict(padded)
        padded_out["pad_token_id"] = tok.encoder.pad_id
        padded_out["length"] = len(padded["input_ids"][0])
        padded_out["logits"] = [arch.f32list(r) for r in lp]
        padded_out["max_abs_diff_vs_unpadded"] = diff_padded

        trace, trace64 = [], []
        one = {k: [encs[0][k]] for k in keys}
        arch.run(model, one, trace)
        arch.run(model64, one, trace64)
        n_layers = len(trace) - 2
        trace_out = {
            "pair_index": 0,
            "embedding_output_first_token": arch.f32list(trace[0][0, 0]),
            "embedding_output_last_token": arch.f32list(trace[0][0, -1]),
            "layer_outputs_first_token": [arch.f32list(trace[1 + k][0, 0]) for k in range(n_layers)],
            "head_hidden": arch.f32list(trace[-1][0]),
            "head_hidden_float64": arch.f64list(trace64[-1][0]),
            "description": ("pair 0 unpadded: embedding_output_* = LayerNorm(word (+ position) "
                            "(+ token type), through embed_proj when embedding_size != "
                            "hidden_size) times the mask (rows of the first and last token); "
                            "layer_outputs_first_token[k] = the first token's row after layer k; "
                            "head_hidden = pooler_hidden_act(pooler.dense(first token)), the "
                            "input of classifier"),
        }

    train_batch = arch.pad_batch([encs[i] for i in common.TRAIN_PAIRS], tok.encoder.pad_id)
    tl32, loss32, norms32, g32 = arch.training_step(model, train_batch, case, torch.float32)
    _, loss64, norms64, g64 = arch.training_step(model, train_batch, case, torch.float64)
    assert abs(loss32 - loss64) < 1e-5, ("loss f32 vs f64", loss32, loss64)
    for name in norms64:
        assert abs(norms32[name] - norms64[name]) <= 1e-4 * max(1.0, norms64[name]), name
    assert list(norms64) == names, "parameter order"
    train_out = {"pair_indices": common.TRAIN_PAIRS, "input_ids": train_batch["input_ids"],
                 "attention_mask": train_batch["attention_mask"],
                 "token_type_ids": train_batch["token_type_ids"]}
    if case["num_labels"] == 1:
        train_out["labels"] = common.TRAIN_LABELS_BINARY
        train_out["loss_function"] = ("BCEWithLogitsLoss (mean) of logits[:, 0] against the float "
                                      "labels, as sentence-transformers' CrossEncoder trains one label")
    else:
        train_out["labels"] = arch.train_labels_multiclass(case)
        train_out["loss_function"] = "CrossEntropyLoss (mean) of the logits against the class labels"
    train_out["mode"] = ("model.train() with every dropout probability 0 (hidden, attention, "
                         "relative embeddings, pooler, classifier), so the step is deterministic; "
                         "gradients of one backward pass from zero")
    train_out["logits"] = [arch.f32list(r) for r in tl32]
    train_out["loss"] = common.f32(loss32)
    train_out["loss_float64"] = loss64
    train_out["grad_norms"] = {k: common.f32(v) for k, v in norms32.items()}
    train_out["grad_norms_float64"] = norms64
    train_out["grad_norms_note"] = (
        "grad_norms: L2 norm of each parameter's gradient, float32 run; grad_norms_float64: the "
        "same model in float64. key_proj.bias and pos_key_proj.bias have a zero gradient in "
        "exact arithmetic (they add the same amount to every score of a query row, content and "
        "c2p terms alike, and softmax is shift-invariant per row): their norms are rounding "
        "noise, so compare with |got - want| <= rel * want + abs (abs about 1e-6 in float32).")
    train_out["global_grad_norm"] = common.f32(g32)
    train_out["global_grad_norm_float64"] = g64

    m = case["model"]
    ref = {
        "format": "ce-arch-reference/1",
        "family": "deberta-v2",
        "case": case["case"],
        "model_type": "deberta-v2",
        "architecture": ARCHITECTURE,
        "transformers_version_transcribed": TRANSCRIBED,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "note": ("Made by ce-core/src/test/python/architectures/make_deberta_fixtures.py without "
                 "transformers: a torch transcription of %s (hf_deberta.py) in eval mode, float32 "
                 "on one CPU thread, and the same model cast to float64; token ids from "
                 "sentencepiece (%s); pairs encoded as the tokenizer does for (query, document) "
                 "with truncation=True (longest_first) at max_length %d."
                 % (ARCHITECTURE, tok.description, max_length)),
        "max_length": max_length,
        "max_position_embeddings": m["max_position_embeddings"],
        "num_labels": case["num_labels"],
        "id2label": arch.labels(case)[0],
        "pad_token_id": tok.encoder.pad_id,
        "model_input_names": ["input_ids", "token_type_ids", "attention_mask"],
        "tokenizer": tok.description,
        "special_tokens_per_pair": tok.encoder.n_added_pair,
        "relative_positions": buckets,
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
    assert tok.tokenizer_json == again.tokenizer_json, "tokenizer rebuild"
    for case in CASES:
        folder, ref = make_case(case, tok, again)
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        ck = ref["checks"]
        print("%-24s vocab %4d  %6.1f kB  f32-f64 %.1e  padded %.1e  loss %.6f  %s" % (
            case["case"], tok.vocab_size, size / 1024.0, ck["max_abs_logit_diff_float32_vs_float64"],
            ck["max_abs_logit_diff_padded_vs_unpadded"], ref["training_step"]["loss_float64"],
            ref["relative_positions"]))


if __name__ == "__main__":
    main()
