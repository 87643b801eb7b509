"""DeBERTa-v2/v3's SentencePiece Unigram tokenizer: a tiny model trained here with sentencepiece in
DeBERTa-v3's id layout, its tokenizer.json, and the independent encoder (sentencepiece itself).

The model has DeBERTa-v3's special pieces at DeBERTa-v3's ids: [PAD] 0, [CLS] 1 (spm's bos),
[SEP] 2 (spm's eos), [UNK] 3, then the trained pieces; [MASK] is an added token after the last
piece, as in microsoft/deberta-v3-*.

tokenizer.json is what transformers' `DebertaV2Converter` (src/transformers/convert_slow_tokenizer.py,
v5 line) builds from such a model and the Rust `tokenizers` library (0.23) saves:
  normalizer    Sequence[Strip(left and right), Precompiled(the model's precompiled_charsmap),
                Replace(Regex(" {2,}") -> " ")]      (do_lower_case false: no Lowercase)
  pre_tokenizer Sequence[Metaspace(replacement "▁", prepend_scheme "always", split true)]
                (split_by_punct false: no Punctuation)
  model         Unigram, the spm pieces and scores at their spm ids (no offset), unk_id 3
  post_processor TemplateProcessing "[CLS]:0 $A:0 [SEP]:0" / "[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1"
  decoder       Metaspace (same settings)
The encoder mirrors transformers' slow DebertaV2Tokenizer (SPMTokenizer): sentencepiece's own
encode, ids as they are, [CLS] A [SEP] B [SEP] with token type ids 0 for [CLS] A [SEP], 1 for B [SEP].

The normalization rule table is unigram_spm.py's (a small user-defined table instead of nmt_nfkc).
"""
import io
import os
import tempfile

import sentencepiece as spm

import unigram_spm

PAD, CLS, SEP, UNK, MASK = "[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"
SPECIALS = [PAD, CLS, SEP, UNK]


def train(texts, vocab_size):
    """Trains the Unigram model with DeBERTa-v3's special ids (single thread: same bytes every run)."""
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            tsv = "normalization_rules.tsv"
            unigram_spm._rules_tsv(tsv)
            out = io.BytesIO()
            spm.SentencePieceTrainer.train(
                sentence_iterator=iter(texts),
                model_writer=out,
                model_type="unigram",
                vocab_size=vocab_size,
                hard_vocab_limit=False,
                character_coverage=1.0,
                normalization_rule_tsv=tsv,
                num_threads=1,
                max_sentencepiece_length=12,
                shuffle_input_sentence=False,
                minloglevel=2,
                pad_id=0, pad_piece=PAD,
                bos_id=1, bos_piece=CLS,
                eos_id=2, eos_piece=SEP,
                unk_id=3, unk_piece=UNK,
            )
        finally:
            os.chdir(cwd)
        return out.getvalue()


def added_token(id_, content):
    return {"id": id_, "content": content, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": False, "special": True}


def _template(single_or_pair):
    def special(t, type_id):
        return {"SpecialToken": {"id": t, "type_id": type_id}}

    def seq(t, type_id):
        return {"Sequence": {"id": t, "type_id": type_id}}
    if single_or_pair == "single":
        return [special(CLS, 0), seq("A", 0), special(SEP, 0)]
    return [special(CLS, 0), seq("A", 0), special(SEP, 0), seq("B", 1), special(SEP, 1)]


def tokenizer_json(model_bytes):
    pieces, charsmap, _ = unigram_spm.parse_model(model_bytes)
    assert [p for p, _, _ in pieces[:4]] == SPECIALS, pieces[:4]
    vocab = [[p, float(s)] for p, s, _ in pieces]
    mask_id = len(vocab)
    normalizers = [{"type": "Strip", "strip_left": True, "strip_right": True}]
    if charsmap:
        import base64
        normalizers.append({"type": "Precompiled",
                            "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")})
    normalizers.append({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "})
    metaspace = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}
    added = [added_token(i, s) for i, s in enumerate(SPECIALS)]
    added.append(added_token(mask_id, MASK))
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": normalizers},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [dict(metaspace)]},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": _template("single"),
            "pair": _template("pair"),
            "special_tokens": {
                CLS: {"id": CLS, "ids": [1], "tokens": [CLS]},
                SEP: {"id": SEP, "ids": [2], "tokens": [SEP]},
            },
        },
        "decoder": dict(metaspace),
        "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": False},
    }


def tokenizer_config(max_length):
    """tokenizer_config.json as transformers 5 saves a DebertaV2Tokenizer."""
    return {
        "backend": "tokenizers",
        "bos_token": CLS,
        "cls_token": CLS,
        "do_lower_case": False,
        "eos_token": SEP,
        "mask_token": MASK,
        "model_max_length": max_length,
        "pad_token": PAD,
        "sep_token": SEP,
        "split_by_punct": False,
        "tokenizer_class": "DebertaV2Tokenizer",
        "unk_token": UNK,
        "vocab_type": "spm",
    }


def special_tokens_map():
    def tok(content):
        return {"content": content, "lstrip": False, "normalized": False, "rstrip": False,
                "single_word": False}
    return {"bos_token": tok(CLS), "cls_token": tok(CLS), "eos_token": tok(SEP),
            "mask_token": tok(MASK), "pad_token": tok(PAD), "sep_token": tok(SEP),
            "unk_token": tok(UNK)}


class PairEncoder:
    """Encodes a pair as the slow DebertaV2Tokenizer does: [CLS] A [SEP] B [SEP]."""

    n_added_pair = 3

    def __init__(self, model_bytes):
        self.sp = spm.SentencePieceProcessor()
        self.sp.LoadFromSerializedProto(model_bytes)
        self.vocab_size = self.sp.GetPieceSize() + 1  # [MASK] after the pieces
        self.pad_id, self.cls, self.sep, self.unk = 0, 1, 2, 3

    def pieces(self, text):
        return list(self.sp.EncodeAsIds(text))

    def build(self, a, b):
        ids = [self.cls] + a + [self.sep] + b + [self.sep]
        types = [0] * (len(a) + 2) + [1] * (len(b) + 1)
        return {"input_ids": ids, "token_type_ids": types, "attention_mask": [1] * len(ids)}
