"""XLM-RoBERTa's SentencePiece Unigram tokenizer: a tiny model trained here with sentencepiece,
its tokenizer.json, and the independent encoder (sentencepiece itself + the fairseq id offset).

tokenizer.json is what transformers' `XLMRobertaConverter` (src/transformers/convert_slow_tokenizer.py,
commit 00111b31, v5 line) builds from the model and the Rust `tokenizers` library (0.23) saves:
  normalizer    Sequence[Precompiled(the model's precompiled_charsmap), Strip(right),
                Replace(Regex(" {2,}") -> "▁")]   (SpmConverter.normalizer)
  pre_tokenizer Metaspace(replacement "▁", prepend_scheme "always", split true)
  model         Unigram, vocab [<s>, <pad>, </s>, <unk>] + spm pieces[3:] + [<mask>], unk_id 3
                (fairseq alignment: spm's <unk>=0, <s>=1, </s>=2 are dropped, every other piece
                id shifts by +1, <mask> is the last id)
  post_processor TemplateProcessing "<s> $A </s>" / "<s> $A </s> </s> $B </s>" (type ids 0)
  decoder       Metaspace (same settings)
The encoder mirrors transformers' slow XLMRobertaTokenizer: sentencepiece's own encode, spm id 0
(<unk>) -> 3, any other id -> id + 1.

The model is trained with a small user-defined normalization rule table (below) instead of
sentencepiece's built-in nmt_nfkc, so that its precompiled_charsmap is a few hundred bytes rather
than ~240 kB, while still exercising the Precompiled normalizer (full-width forms, a ligature,
™, …, circled digits, a decomposed é composed, tab / newline / no-break space to space).
"""
import base64
import io
import os
import struct
import tempfile

import sentencepiece as spm

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
MASK = "<mask>"


def normalization_rules():
    """(source code points, target code points) of the user-defined normalization table."""
    rules = []
    for i in range(26):
        rules.append(([0xFF21 + i], [0x41 + i]))  # full-width A-Z
        rules.append(([0xFF41 + i], [0x61 + i]))  # full-width a-z
    for i in range(10):
        rules.append(([0xFF10 + i], [0x30 + i]))  # full-width digits
    for i in range(9):
        rules.append(([0x2460 + i], [0x31 + i]))  # circled 1-9
    rules += [
        ([0x3000], [0x20]),  # ideographic space
        ([0x00A0], [0x20]),  # no-break space
        ([0x09], [0x20]),  # tab
        ([0x0A], [0x20]),  # line feed
        ([0x0D], [0x20]),  # carriage return
        ([0xFB01], [0x66, 0x69]),  # ﬁ -> fi
        ([0xFB02], [0x66, 0x6C]),  # ﬂ -> fl
        ([0x2122], [0x54, 0x4D]),  # ™ -> TM
        ([0x2026], [0x2E, 0x2E, 0x2E]),  # … -> ...
        ([0x65, 0x301], [0xE9]),  # e + combining acute -> é
        ([0x61, 0x300], [0xE0]),  # a + combining grave -> à
        ([0xFF01], [0x21]),  # full-width !
        ([0xFF1F], [0x3F]),  # full-width ?
        ([0xFF0C], [0x2C]),  # full-width comma
    ]
    return rules


def _rules_tsv(path):
    with open(path, "w", encoding="utf-8") as f:
        for src, trg in normalization_rules():
            f.write(" ".join("%X" % c for c in src) + "\t" + " ".join("%X" % c for c in trg) + "\n")


def train(texts, vocab_size):
    """Trains the Unigram model (single thread, so the bytes are the same on every run)."""
    # the rule file's name is recorded in the model: a fixed relative name keeps the bytes
    # identical from run to run
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            tsv = "normalization_rules.tsv"
            _rules_tsv(tsv)
            out = io.BytesIO()
            _train(texts, vocab_size, tsv, out)
        finally:
            os.chdir(cwd)
        return out.getvalue()


def _train(texts, vocab_size, tsv, out):
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
    )


# --- a minimal protobuf reader for the parts of ModelProto the converter uses -----------------
def _varint(buf, pos):
    result = 0
    shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _fields(buf):
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value = buf[pos:pos + 8]
            pos += 8
        elif wire == 2:
            n, pos = _varint(buf, pos)
            value = buf[pos:pos + n]
            pos += n
        elif wire == 5:
            value = buf[pos:pos + 4]
            pos += 4
        else:
            raise ValueError("wire type %d" % wire)
        yield field, wire, value


def parse_model(model_bytes):
    """pieces [(piece, score, type)], precompiled_charsmap bytes, normalizer flags."""
    pieces = []
    charsmap = b""
    flags = {}
    for field, _, value in _fields(model_bytes):
        if field == 1:
            piece, score, type_ = None, 0.0, 1
            for f2, _, v2 in _fields(value):
                if f2 == 1:
                    piece = v2.decode("utf-8")
                elif f2 == 2:
                    score = struct.unpack("<f", v2)[0]
                elif f2 == 3:
                    type_ = v2
            pieces.append((piece, score, type_))
        elif field == 3:
            for f2, _, v2 in _fields(value):
                if f2 == 1:
                    flags["name"] = v2.decode("utf-8")
                elif f2 == 2:
                    charsmap = bytes(v2)
                elif f2 == 3:
                    flags["add_dummy_prefix"] = bool(v2)
                elif f2 == 4:
                    flags["remove_extra_whitespaces"] = bool(v2)
                elif f2 == 5:
                    flags["escape_whitespaces"] = bool(v2)
    return pieces, charsmap, flags


def converter_vocab(pieces):
    """XLMRobertaConverter.vocab: fairseq specials, pieces[3:], <mask>."""
    vocab = [[s, 0.0] for s in SPECIALS]
    vocab += [[p, float(s)] for p, s, _ in pieces[3:]]
    vocab.append([MASK, 0.0])
    return vocab


def added_token(id_, content, lstrip=False):
    return {"id": id_, "content": content, "single_word": False, "lstrip": lstrip,
            "rstrip": False, "normalized": False, "special": True}


def _template(single_or_pair):
    def special(t):
        return {"SpecialToken": {"id": t, "type_id": 0}}

    def seq(t):
        return {"Sequence": {"id": t, "type_id": 0}}
    if single_or_pair == "single":
        return [special("<s>"), seq("A"), special("</s>")]
    return [special("<s>"), seq("A"), special("</s>"), special("</s>"), seq("B"), special("</s>")]


def tokenizer_json(model_bytes):
    pieces, charsmap, _ = parse_model(model_bytes)
    vocab = converter_vocab(pieces)
    mask_id = len(vocab) - 1
    normalizers = []
    if charsmap:
        normalizers.append({"type": "Precompiled",
                            "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")})
    normalizers.append({"type": "Strip", "strip_left": False, "strip_right": True})
    normalizers.append({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": "▁"})
    metaspace = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True}
    added = [added_token(i, s) for i, s in enumerate(SPECIALS)]
    added.append(added_token(mask_id, MASK, lstrip=True))
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": normalizers},
        "pre_tokenizer": dict(metaspace),
        "post_processor": {
            "type": "TemplateProcessing",
            "single": _template("single"),
            "pair": _template("pair"),
            "special_tokens": {
                "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]},
                "<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
            },
        },
        "decoder": dict(metaspace),
        "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": False},
    }


def tokenizer_config(max_length):
    return {
        "backend": "tokenizers",
        "bos_token": "<s>",
        "cls_token": "<s>",
        "eos_token": "</s>",
        "mask_token": "<mask>",
        "model_max_length": max_length,
        "pad_token": "<pad>",
        "sep_token": "</s>",
        "tokenizer_class": "XLMRobertaTokenizer",
        "unk_token": "<unk>",
    }


def special_tokens_map():
    def tok(content, lstrip=False):
        return {"content": content, "lstrip": lstrip, "normalized": False, "rstrip": False,
                "single_word": False}
    return {"bos_token": tok("<s>"), "cls_token": tok("<s>"), "eos_token": tok("</s>"),
            "mask_token": tok("<mask>", lstrip=True), "pad_token": tok("<pad>"),
            "sep_token": tok("</s>"), "unk_token": tok("<unk>")}


class PairEncoder:
    """Encodes a pair as the slow XLMRobertaTokenizer does: <s> A </s></s> B </s>."""

    n_added_pair = 4

    def __init__(self, model_bytes):
        self.sp = spm.SentencePieceProcessor()
        self.sp.LoadFromSerializedProto(model_bytes)
        self.vocab_size = self.sp.GetPieceSize() + 2  # fairseq offset 1, plus <mask>
        self.cls, self.pad_id, self.sep, self.unk = 0, 1, 2, 3

    def pieces(self, text):
        ids = self.sp.EncodeAsIds(text)
        return [i + 1 if i != 0 else self.unk for i in ids]

    def piece_strings(self, text):
        return self.sp.EncodeAsPieces(text)

    def build(self, a, b):
        ids = [self.cls] + a + [self.sep, self.sep] + b + [self.sep]
        return {"input_ids": ids, "attention_mask": [1] * len(ids)}
