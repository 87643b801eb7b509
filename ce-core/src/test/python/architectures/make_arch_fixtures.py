#!/usr/bin/python3
"""Makes the reference fixtures of the RoBERTa, XLM-RoBERTa, ELECTRA and DistilBERT plugins.

Writes, for every case of CASES below, the folder
    ce-core/src/test/resources/dev/ce4j/core/arch/<family>/<case>/
holding what transformers' save_pretrained and the tokenizer's save_pretrained write
(config.json, model.safetensors, tokenizer.json, tokenizer_config.json, special_tokens_map.json;
the XLM-RoBERTa cases also sentencepiece.bpe.model, the SentencePiece model their tokenizer was
converted from) and reference.json, the numbers the Java tests compare with (its layout is in
README.md next to this script).

Everything is computed here without transformers or tokenizers:
  * models: torch transcriptions of transformers' *ForSequenceClassification (hf_models.py);
  * token ids: independent tokenizers (bpe_bytelevel.py: GPT-2's encoder.py; unigram_spm.py:
    sentencepiece + the fairseq offset; wordpiece.py: BERT's BasicTokenizer + WordpieceTokenizer),
    pairs truncated as the Rust tokenizers library does (arch_common.truncate_pair_longest_first);
  * files: config.json with the keys transformers 5 writes for each config class,
    model.safetensors written by hand, tokenizer.json as transformers' converters lay it out.
The script asserts its own invariants (padded batch == unpadded pairs, float32 ~ float64, token
ids reproduce when the tokenizers are rebuilt, the saved weights load back to the same logits)
and is deterministic: rerunning it rewrites byte-identical files (same machine; torch runs on
one thread).

Rerun from the repository root with Debian's Python (python3-torch, python3-sentencepiece,
python3-numpy, python3-regex), a few seconds:

    /usr/bin/python3 ce-core/src/test/python/architectures/make_arch_fixtures.py

Sources transcribed (huggingface/transformers, v5 line, as read for this script):
  src/transformers/models/roberta/modular_roberta.py            commit 296fd445
  src/transformers/models/roberta/configuration_roberta.py      v5 (PreTrainedConfig, is_decoder,
                                                                add_cross_attention, tie_word_embeddings)
  src/transformers/models/electra/modeling_electra.py           commit 4770c6d8 (layer math = BERT's)
  src/transformers/models/electra/configuration_electra.py      v5 @strict dataclass
  src/transformers/models/distilbert/modular_distilbert.py      commit c27dd37e
  src/transformers/models/distilbert/configuration_distilbert.py v5 @strict dataclass
  src/transformers/convert_slow_tokenizer.py                    commit 00111b31 (RobertaConverter,
                                                                SpmConverter, XLMRobertaConverter)
  huggingface/tokenizers 0.23 (truncation.rs, processors/roberta.rs, serialization of the models)
and the layout of config.json / tokenizer_config.json written by transformers 5.17.0 (the BERT
folders under ce-core/src/test/resources/dev/ce4j/core/interop/st-saved).
"""
import copy
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import arch_common as common  # noqa: E402
import bpe_bytelevel  # noqa: E402
import hf_models  # noqa: E402
import unigram_spm  # noqa: E402
import wordpiece  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
OUT = os.path.join(REPO, "ce-core", "src", "test", "resources", "dev", "ce4j", "core", "arch")

TRANSCRIBED = ("huggingface/transformers v5 line: roberta/modular_roberta.py@296fd445, "
               "electra/modeling_electra.py@4770c6d8, distilbert/modular_distilbert.py@c27dd37e, "
               "convert_slow_tokenizer.py@00111b31; config layout of transformers 5.17.0; "
               "truncation of huggingface/tokenizers 0.23")

BPE_MERGES = 100
UNIGRAM_VOCAB = 280
WORDPIECE_WORDS = 60

CASES = [
    {"family": "roberta", "case": "bpe-1label-len24", "seed": 101, "tokenizer": "bpe",
     "max_length": 24, "num_labels": 1,
     "model": {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
               "intermediate_size": 64, "max_position_embeddings": 26}},
    {"family": "roberta", "case": "bpe-3label-len62", "seed": 102, "tokenizer": "bpe",
     "max_length": 62, "num_labels": 3,
     "id2label": {"0": "contradiction", "1": "neutral", "2": "entailment"},
     "model": {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
               "intermediate_size": 64, "max_position_embeddings": 64}},
    {"family": "xlm-roberta", "case": "unigram-1label-len32", "seed": 201, "tokenizer": "unigram",
     "max_length": 32, "num_labels": 1,
     "model": {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
               "intermediate_size": 64, "max_position_embeddings": 34}},
    {"family": "xlm-roberta", "case": "unigram-2label-len62", "seed": 202, "tokenizer": "unigram",
     "max_length": 62, "num_labels": 2,
     "id2label": {"0": "irrelevant", "1": "relevant"},
     "model": {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
               "intermediate_size": 64, "max_position_embeddings": 64}},
    {"family": "electra", "case": "wordpiece-project-1label-len24", "seed": 301,
     "tokenizer": "wordpiece-uncased", "max_length": 24, "num_labels": 1,
     "model": {"embedding_size": 16, "hidden_size": 32, "num_hidden_layers": 2,
               "num_attention_heads": 4, "intermediate_size": 64, "max_position_embeddings": 40}},
    {"family": "electra", "case": "wordpiece-3label-len64", "seed": 302,
     "tokenizer": "wordpiece-uncased", "max_length": 64, "num_labels": 3,
     "id2label": {"0": "negative", "1": "neutral", "2": "positive"},
     "model": {"embedding_size": 32, "hidden_size": 32, "num_hidden_layers": 2,
               "num_attention_heads": 2, "intermediate_size": 64, "max_position_embeddings": 64}},
    {"family": "distilbert", "case": "wordpiece-gelu-learned-1label-len24", "seed": 401,
     "tokenizer": "wordpiece-uncased", "max_length": 24, "num_labels": 1,
     "model": {"dim": 32, "n_layers": 2, "n_heads": 4, "hidden_dim": 64, "activation": "gelu",
               "sinusoidal_pos_embds": False, "max_position_embeddings": 40}},
    {"family": "distilbert", "case": "wordpiece-cased-relu-sinusoidal-2label-len64", "seed": 402,
     "tokenizer": "wordpiece-cased", "max_length": 64, "num_labels": 2,
     "id2label": {"0": "irrelevant", "1": "relevant"},
     "model": {"dim": 32, "n_layers": 2, "n_heads": 2, "hidden_dim": 96, "activation": "relu",
               "sinusoidal_pos_embds": True, "max_position_embeddings": 64}},
]

ARCHITECTURE = {"roberta": "RobertaForSequenceClassification",
                "xlm-roberta": "XLMRobertaForSequenceClassification",
                "electra": "ElectraForSequenceClassification",
                "distilbert": "DistilBertForSequenceClassification"}


# ---------------------------------------------------------------------------------------------
# Tokenizers
# ---------------------------------------------------------------------------------------------
class Tok:
    """A tokenizer kind: its files, its independent pair encoder, its id -> token table."""

    def __init__(self, kind):
        self.kind = kind
        texts = common.all_texts()
        if kind == "bpe":
            vocab, merges = bpe_bytelevel.train(texts, BPE_MERGES)
            self.tokenizer_json = bpe_bytelevel.tokenizer_json(vocab, merges)
            self.encoder = bpe_bytelevel.PairEncoder(vocab, merges)
            self.vocab_size = len(vocab)
            self.id_to_token = {i: t for t, i in vocab.items()}
            self.special_tokens_map = bpe_bytelevel.special_tokens_map()
            self.config = bpe_bytelevel.tokenizer_config
            self.model_input_names = ["input_ids", "attention_mask"]
            self.extra_files = {}
            self.description = ("byte-level BPE (GPT-2 bytes_to_unicode and pre-tokenization regex), "
                                "%d merges trained here; ids from a transcription of GPT-2's "
                                "encoder.py" % len(merges))
        elif kind == "unigram":
            model = unigram_spm.train(texts, UNIGRAM_VOCAB)
            self.tokenizer_json = unigram_spm.tokenizer_json(model)
            self.encoder = unigram_spm.PairEncoder(model)
            self.vocab_size = len(self.tokenizer_json["model"]["vocab"])
            self.id_to_token = {i: p for i, (p, _) in enumerate(self.tokenizer_json["model"]["vocab"])}
            self.special_tokens_map = unigram_spm.special_tokens_map()
            self.config = unigram_spm.tokenizer_config
            self.model_input_names = ["input_ids", "attention_mask"]
            self.extra_files = {"sentencepiece.bpe.model": model}
            self.description = ("SentencePiece Unigram (%d pieces) trained here with sentencepiece "
                                "%s; ids from sentencepiece's own encoder + the fairseq offset"
                                % (self.encoder.sp.GetPieceSize(), unigram_spm.spm.__version__))
        else:
            lower = kind == "wordpiece-uncased"
            vocab = wordpiece.build_vocab(texts, lower, WORDPIECE_WORDS)
            self.tokenizer_json = wordpiece.tokenizer_json(vocab, lower)
            self.encoder = wordpiece.PairEncoder(vocab, lower)
            self.vocab_size = len(vocab)
            self.id_to_token = {i: t for t, i in vocab.items()}
            self.special_tokens_map = wordpiece.special_tokens_map()
            self.lower = lower
            self.config = None
            self.model_input_names = None
            self.extra_files = {}
            self.description = ("WordPiece (%s, %d entries) built here; ids from a transcription of "
                                "BERT's BasicTokenizer + WordpieceTokenizer"
                                % ("uncased" if lower else "cased", len(vocab)))

    def tokenizer_config(self, family, max_length):
        if self.config is not None:
            return self.config(max_length)
        cls = "ElectraTokenizer" if family == "electra" else "DistilBertTokenizer"
        return wordpiece.tokenizer_config(max_length, self.lower, cls)

    def encode_pair(self, query, document, max_length, with_types):
        a = self.encoder.pieces(query)
        b = self.encoder.pieces(document)
        ta, tb = common.truncate_pair_longest_first(a, b, max_length, self.encoder.n_added_pair)
        enc = self.encoder.build(ta, tb)
        if not with_types:
            enc.pop("token_type_ids", None)
        enc["untruncated_lengths"] = [len(a), len(b)]
        enc["truncated"] = len(ta) + len(tb) < len(a) + len(b)
        return enc


# ---------------------------------------------------------------------------------------------
# config.json
# ---------------------------------------------------------------------------------------------
def labels(case):
    id2label = case.get("id2label") or {str(i): "LABEL_%d" % i for i in range(case["num_labels"])}
    return id2label, {v: int(k) for k, v in id2label.items()}


def hf_config(case, vocab_size):
    fam, m = case["family"], case["model"]
    id2label, label2id = labels(case)
    common_keys = {"architectures": [ARCHITECTURE[fam]], "dtype": "float32",
                   "id2label": id2label, "label2id": label2id,
                   "transformers_version": common.TRANSFORMERS_VERSION_WRITTEN,
                   "tie_word_embeddings": True, "vocab_size": vocab_size}
    if fam in ("roberta", "xlm-roberta"):
        cfg = {"model_type": fam, "add_cross_attention": False, "attention_probs_dropout_prob": 0.1,
               "bos_token_id": 0, "classifier_dropout": None, "eos_token_id": 2,
               "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
               "hidden_size": m["hidden_size"], "initializer_range": 0.02,
               "intermediate_size": m["intermediate_size"], "is_decoder": False,
               "layer_norm_eps": 1e-05, "max_position_embeddings": m["max_position_embeddings"],
               "num_attention_heads": m["num_attention_heads"],
               "num_hidden_layers": m["num_hidden_layers"], "pad_token_id": 1,
               "type_vocab_size": 1, "use_cache": True}
    elif fam == "electra":
        cfg = {"model_type": "electra", "add_cross_attention": False,
               "attention_probs_dropout_prob": 0.1, "bos_token_id": None,
               "classifier_dropout": None, "embedding_size": m["embedding_size"],
               "eos_token_id": None, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
               "hidden_size": m["hidden_size"], "initializer_range": 0.02,
               "intermediate_size": m["intermediate_size"], "is_decoder": False,
               "layer_norm_eps": 1e-12, "max_position_embeddings": m["max_position_embeddings"],
               "num_attention_heads": m["num_attention_heads"],
               "num_hidden_layers": m["num_hidden_layers"], "pad_token_id": 0,
               "summary_activation": "gelu", "summary_last_dropout": 0.1,
               "summary_type": "first", "summary_use_proj": True, "type_vocab_size": 2,
               "use_cache": True}
    else:
        cfg = {"model_type": "distilbert", "activation": m["activation"], "attention_dropout": 0.1,
               "bos_token_id": None, "dim": m["dim"], "dropout": 0.1, "eos_token_id": None,
               "hidden_dim": m["hidden_dim"], "initializer_range": 0.02,
               "max_position_embeddings": m["max_position_embeddings"], "n_heads": m["n_heads"],
               "n_layers": m["n_layers"], "pad_token_id": 0, "qa_dropout": 0.1,
               "seq_classif_dropout": 0.2, "sinusoidal_pos_embds": m["sinusoidal_pos_embds"]}
    cfg.update(common_keys)
    return cfg


def model_for(case, cfg):
    c = dict(cfg)
    c["num_labels"] = case["num_labels"]
    fam = case["family"]
    if fam in ("roberta", "xlm-roberta"):
        return hf_models.RobertaForSequenceClassification(c), c
    if fam == "electra":
        return hf_models.ElectraForSequenceClassification(c), c
    return hf_models.DistilBertForSequenceClassification(c), c


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------
def tensors(batch):
    out = {"input_ids": torch.tensor(batch["input_ids"], dtype=torch.long),
           "attention_mask": torch.tensor(batch["attention_mask"], dtype=torch.long)}
    if "token_type_ids" in batch:
        out["token_type_ids"] = torch.tensor(batch["token_type_ids"], dtype=torch.long)
    return out


def run(model, batch, trace=None):
    t = tensors(batch)
    return model(t["input_ids"], t["attention_mask"], t.get("token_type_ids"), trace=trace)


def pad_batch(encs, pad_id):
    n = max(len(e["input_ids"]) for e in encs)
    out = {"input_ids": [], "attention_mask": []}
    if "token_type_ids" in encs[0]:
        out["token_type_ids"] = []
    for e in encs:
        k = n - len(e["input_ids"])
        out["input_ids"].append(e["input_ids"] + [pad_id] * k)
        out["attention_mask"].append(e["attention_mask"] + [0] * k)
        if "token_type_ids" in out:
            out["token_type_ids"].append(e["token_type_ids"] + [0] * k)
    return out


def f32list(t):
    return [common.f32(v) for v in t.detach().reshape(-1).tolist()]


def f64list(t):
    return [float(v) for v in t.detach().double().reshape(-1).tolist()]


def training_step(model, batch, case, dtype):
    m = copy.deepcopy(model).to(dtype)
    hf_models.set_dropout(m, 0.0)
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
    norms = {}
    for name, p in m.named_parameters():
        norms[name] = float(torch.linalg.vector_norm(p.grad.double()))
    global_norm = float(np.sqrt(sum(v * v for v in norms.values())))
    return logits, float(loss), norms, global_norm


def train_labels_multiclass(case):
    return [i % case["num_labels"] for i in range(len(common.TRAIN_PAIRS))]


def make_case(case, tok, tok_again):
    fam = case["family"]
    folder = os.path.join(OUT, fam, case["case"])
    common.ensure_dir(folder)
    torch.manual_seed(case["seed"])
    with_types = fam == "electra"
    max_length = case["max_length"]

    # --- tokens -------------------------------------------------------------------------------
    encs = []
    for i, (q, d) in enumerate(common.PAIRS):
        e = tok.encode_pair(q, d, max_length, with_types)
        again = tok_again.encode_pair(q, d, max_length, with_types)
        assert e == again, ("token ids do not reproduce", case["case"], i)
        assert len(e["input_ids"]) <= max_length
        if e["truncated"]:
            assert len(e["input_ids"]) == max_length, (case["case"], i)
        assert max(e["input_ids"]) < tok.vocab_size
        encs.append(e)
    for i in (12, 13, 14):
        assert encs[i]["truncated"], ("long pair not truncated", case["case"], i)

    # --- model --------------------------------------------------------------------------------
    cfg = hf_config(case, tok.vocab_size)
    model, c = model_for(case, cfg)
    maker = common.WeightMaker(case["seed"])
    maker.fill(model, model.padding_rows(c))
    if fam == "distilbert" and c["sinusoidal_pos_embds"]:
        with torch.no_grad():
            model.distilbert.embeddings.position_embeddings.weight.copy_(
                torch.from_numpy(common.sinusoidal_table(c["max_position_embeddings"], c["dim"])))
    model.eval()
    state = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    names = list(state)
    shapes = {k: list(v.shape) for k, v in state.items()}

    # --- files --------------------------------------------------------------------------------
    common.write_json(os.path.join(folder, "config.json"), cfg)
    common.write_safetensors(os.path.join(folder, "model.safetensors"), state)
    common.write_tokenizer_json(os.path.join(folder, "tokenizer.json"), tok.tokenizer_json)
    common.write_json(os.path.join(folder, "tokenizer_config.json"),
                      tok.tokenizer_config(fam, max_length))
    common.write_json(os.path.join(folder, "special_tokens_map.json"), tok.special_tokens_map)
    for name, data in tok.extra_files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)

    # the saved weights load back into a fresh model with the same logits
    _, loaded = common.read_safetensors(os.path.join(folder, "model.safetensors"))
    assert sorted(loaded) == sorted(names)
    model2, _ = model_for(case, cfg)
    model2.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in loaded.items()})
    model2.eval()

    # --- logits -------------------------------------------------------------------------------
    model64 = copy.deepcopy(model).double().eval()
    pairs_out = []
    logits32 = []
    max_f32_f64 = 0.0
    with torch.no_grad():
        for i, e in enumerate(encs):
            one = {k: [e[k]] for k in ("input_ids", "attention_mask", "token_type_ids") if k in e}
            l32 = run(model, one)[0]
            l64 = run(model64, one)[0]
            assert torch.equal(l32, run(model2, one)[0]), "safetensors round trip"
            max_f32_f64 = max(max_f32_f64, float((l32.double() - l64).abs().max()))
            logits32.append(l32)
            p = {"index": i, "query": common.PAIRS[i][0], "document": common.PAIRS[i][1],
                 "tokens": [tok.id_to_token[t] for t in e["input_ids"]],
                 "input_ids": e["input_ids"], "attention_mask": e["attention_mask"]}
            if with_types:
                p["token_type_ids"] = e["token_type_ids"]
            if fam in ("roberta", "xlm-roberta"):
                p["position_ids"] = hf_models.create_position_ids_from_input_ids(
                    torch.tensor([e["input_ids"]]), c["pad_token_id"])[0].tolist()
                assert max(p["position_ids"]) < c["max_position_embeddings"]
            p["untruncated_lengths"] = e["untruncated_lengths"]
            p["truncated"] = e["truncated"]
            p["logits"] = f32list(l32)
            p["logits_float64"] = f64list(l64)
            pairs_out.append(p)
        assert max_f32_f64 < 1e-4, ("float32 vs float64", max_f32_f64)

        # padded batch
        padded = pad_batch(encs, tok.encoder.pad_id)
        lp = run(model, padded)
        lp64 = run(model64, padded)
        diff_padded = float((lp - torch.stack(logits32)).abs().max())
        diff_padded64 = float((lp64 - torch.stack([torch.tensor(p["logits_float64"], dtype=torch.float64)
                                                   for p in pairs_out])).abs().max())
        assert diff_padded < 5e-6, ("padded vs unpadded", diff_padded)
        assert diff_padded64 < 1e-12, ("padded vs unpadded float64", diff_padded64)
        padded_out = dict(padded)
        padded_out["pad_token_id"] = tok.encoder.pad_id
        padded_out["length"] = len(padded["input_ids"][0])
        if fam in ("roberta", "xlm-roberta"):
            padded_out["position_ids"] = hf_models.create_position_ids_from_input_ids(
                torch.tensor(padded["input_ids"]), c["pad_token_id"]).tolist()
        padded_out["logits"] = [f32list(r) for r in lp]
        padded_out["max_abs_diff_vs_unpadded"] = diff_padded

        # trace of pair 0 (unpadded): first-token rows after the embeddings and every layer
        trace = []
        one = {k: [encs[0][k]] for k in ("input_ids", "attention_mask", "token_type_ids")
               if k in encs[0]}
        run(model, one, trace)
        trace64 = []
        run(model64, one, trace64)
        n_layers = len(trace) - 2
        trace_out = {
            "pair_index": 0,
            "embedding_output_first_token": f32list(trace[0][0, 0]),
            "embedding_output_last_token": f32list(trace[0][0, -1]),
            "layer_outputs_first_token": [f32list(trace[1 + k][0, 0]) for k in range(n_layers)],
            "head_hidden": f32list(trace[-1][0]),
            "head_hidden_float64": f64list(trace64[-1][0]),
            "description": trace_description(fam),
        }

    # --- one training step ------------------------------------------------------------------
    train_encs = [encs[i] for i in common.TRAIN_PAIRS]
    train_batch = pad_batch(train_encs, tok.encoder.pad_id)
    tl32, loss32, norms32, g32 = training_step(model, train_batch, case, torch.float32)
    tl64, loss64, norms64, g64 = training_step(model, train_batch, case, torch.float64)
    assert abs(loss32 - loss64) < 1e-5, ("loss f32 vs f64", loss32, loss64)
    for name in norms64:
        assert abs(norms32[name] - norms64[name]) <= 1e-4 * max(1.0, norms64[name]), name
    assert list(norms64) == names, "parameter order"
    train_out = {
        "pair_indices": common.TRAIN_PAIRS,
        "input_ids": train_batch["input_ids"],
        "attention_mask": train_batch["attention_mask"],
    }
    if with_types:
        train_out["token_type_ids"] = train_batch["token_type_ids"]
    if case["num_labels"] == 1:
        train_out["labels"] = common.TRAIN_LABELS_BINARY
        train_out["loss_function"] = ("BCEWithLogitsLoss (mean) of logits[:, 0] against the float "
                                      "labels, as sentence-transformers' CrossEncoder trains one "
                                      "label (transformers' own loss for num_labels 1 would be MSE)")
    else:
        train_out["labels"] = train_labels_multiclass(case)
        train_out["loss_function"] = "CrossEntropyLoss (mean) of the logits against the class labels"
    train_out["mode"] = ("model.train() with every dropout probability 0 (hidden, attention, "
                         "classifier), so the step is deterministic; gradients of one backward pass "
                         "from zero")
    train_out["logits"] = [f32list(r) for r in tl32]
    train_out["loss"] = common.f32(loss32)
    train_out["loss_float64"] = loss64
    train_out["grad_norms"] = {k: common.f32(v) for k, v in norms32.items()}
    train_out["grad_norms_float64"] = norms64
    train_out["grad_norms_note"] = (
        "grad_norms: L2 norm of each parameter's gradient, float32 run; grad_norms_float64: the "
        "same model in float64. The attention key biases (attention.self.key.bias, "
        "attention.k_lin.bias) have a zero gradient in exact arithmetic (softmax is shift-invariant "
        "per query): their norms are rounding noise (1e-9 in float32, 1e-17 in float64), so "
        "compare with |got - want| <= rel * want + abs (abs about 1e-6 in float32).")
    train_out["global_grad_norm"] = common.f32(g32)
    train_out["global_grad_norm_float64"] = g64
    if fam == "distilbert" and case["model"]["sinusoidal_pos_embds"]:
        frozen = "distilbert.embeddings.position_embeddings.weight"
        rest = [v for k, v in norms64.items() if k != frozen]
        train_out["sinusoidal_position_embeddings"] = {
            "parameter": frozen,
            "note": ("transformers 5 copies the sinusoidal table into an ordinary trainable "
                     "parameter (DistilBertPreTrainedModel._init_weights: init.copy_ of a "
                     "torch.empty_like tensor), so it gets a gradient here; transformers 4 set "
                     "requires_grad=False on the parameter itself (create_sinusoidal_embeddings), "
                     "so there it stays frozen. global_grad_norm_float64_without_it is the "
                     "global norm over the other parameters."),
            "global_grad_norm_float64_without_it": float(np.sqrt(sum(v * v for v in rest))),
        }

    # --- reference.json ---------------------------------------------------------------------
    m = case["model"]
    ref = {
        "format": "ce-arch-reference/1",
        "family": fam,
        "case": case["case"],
        "model_type": cfg["model_type"],
        "architecture": ARCHITECTURE[fam],
        "transformers_version_transcribed": TRANSCRIBED,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "note": ("Made by ce-core/src/test/python/architectures/make_arch_fixtures.py without "
                 "transformers: a torch transcription of %s in eval mode (dropout off), float32 "
                 "on one CPU thread, and the same model cast to float64; token ids from an "
                 "independent Python tokenizer (%s); pairs encoded as the tokenizer does for "
                 "(query, document) with truncation=True (longest_first) at max_length %d."
                 % (ARCHITECTURE[fam], tok.description, max_length)),
        "max_length": max_length,
        "max_position_embeddings": m["max_position_embeddings"],
        "num_labels": case["num_labels"],
        "id2label": labels(case)[0],
        "pad_token_id": tok.encoder.pad_id,
        "model_input_names": (["input_ids", "attention_mask", "token_type_ids"] if with_types
                              else ["input_ids", "attention_mask"]),
        "tokenizer": tok.description,
        "special_tokens_per_pair": tok.encoder.n_added_pair,
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


def trace_description(fam):
    if fam in ("roberta", "xlm-roberta"):
        emb = "LayerNorm(word + token_type[0] + position[create_position_ids_from_input_ids])"
        head = "tanh(classifier.dense(first token)), the input of classifier.out_proj"
    elif fam == "electra":
        emb = ("LayerNorm(word + token_type + position) in embedding_size, then "
               "electra.embeddings_project when embedding_size != hidden_size")
        head = "gelu(classifier.dense(first token)), the input of classifier.out_proj"
    else:
        emb = "LayerNorm(word + position), eps 1e-12"
        head = "relu(pre_classifier(first token)), the input of classifier"
    return ("pair 0 unpadded: embedding_output_* = %s (rows of the first and last token); "
            "layer_outputs_first_token[k] = the first token's row after layer k; head_hidden = %s"
            % (emb, head))


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    kinds = sorted({c["tokenizer"] for c in CASES})
    toks = {k: Tok(k) for k in kinds}
    again = {k: Tok(k) for k in kinds}  # rebuilt from scratch: the ids must not change
    for k in kinds:
        assert toks[k].tokenizer_json == again[k].tokenizer_json, ("tokenizer rebuild", k)
    total = 0
    for case in CASES:
        folder, ref = make_case(case, toks[case["tokenizer"]], again[case["tokenizer"]])
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        total += size
        ck = ref["checks"]
        print("%-12s %-45s vocab %4d  %6.1f kB  f32-f64 %.1e  padded %.1e  loss %.6f" % (
            case["family"], case["case"], toks[case["tokenizer"]].vocab_size, size / 1024.0,
            ck["max_abs_logit_diff_float32_vs_float64"], ck["max_abs_logit_diff_padded_vs_unpadded"],
            ref["training_step"]["loss_float64"]))
    print("total %.1f kB" % (total / 1024.0))


if __name__ == "__main__":
    main()
