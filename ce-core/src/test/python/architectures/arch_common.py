"""Shared pieces of the architecture fixtures: texts, file writers, truncation, seeded weights.

Imported by make_arch_fixtures.py (see there for how to rerun); needs numpy only, torch where
noted. Nothing here reads a file outside this folder.
"""
import json
import os
import struct

import numpy as np

# transformers 5.x writes this into config.json; the sources transcribed are named in
# make_arch_fixtures.py.
TRANSFORMERS_VERSION_WRITTEN = "5.17.0"

# ---------------------------------------------------------------------------------------------
# The (query, document) pairs scored in every case, in this order. They cover plain English,
# accents (é, ü, ß), Japanese and Chinese, emoji (one with a zero-width joiner), an empty query,
# an empty document, both empty, whitespace only, punctuation runs, compatibility characters,
# tabs / newlines / repeated spaces, contractions, numbers, characters no vocabulary has seen
# (pair 21), and pairs long enough to be truncated at every case's max_length (pairs 12 to 14:
# both long, only the document long, only the query long).
# ---------------------------------------------------------------------------------------------
LONG_DOC = (
    "The Roman Empire grew out of the Roman Republic after Augustus took power in 27 BC. "
    "At its height under Trajan it stretched from Britain to Mesopotamia, linked by roads, "
    "aqueducts and a common law. Latin spread in the west and Greek stayed strong in the east. "
    "Crises in the third century, plague, civil wars and pressure on the borders weakened it, "
    "and the western half fell in 476 when the last emperor was deposed, while the eastern half "
    "lasted until 1453."
)
LONG_QUERY = (
    "tell me everything about the history of the roman empire, from the founding of the city "
    "and the kings, through the republic, the emperors, the roads and the army, to the fall of "
    "the west and the long life of the east in constantinople"
)
PAIRS = [
    ["what is the capital of france", "Paris is the capital and largest city of France."],
    ["How do I bake bread?", "Mix flour, water, salt and yeast; knead it, let it rise, then bake it."],
    ["café crème", "Un café crème est un expresso allongé avec de la crème fraîche."],
    ["Straße in München", "Die Straße führt über die Brücke nach Süden. Grüße aus Köln!"],
    ["東京の天気", "東京は今日晴れです。気温は25度。"],
    ["北京", "北京是中国的首都。"],
    ["I love pizza 🍕", "Pizza 🍕 is great 😀👍 and my 👩\u200d💻 friend agrees"],
    ["", "an empty query still has a document"],
    ["a query without a document", ""],
    ["", ""],
    ["   ", " \t\n "],
    ["wait... what?!?", "!!! ??? ... --- *** ((( ))) ,,, ;;"],
    [LONG_QUERY, LONG_DOC],
    ["short question", LONG_DOC + " " + LONG_DOC],
    [LONG_QUERY + " " + LONG_QUERY, "short answer"],
    ["COVID-19 vaccine 2021", "The vaccines were approved in December 2020 and rolled out in 2021."],
    ["naïve résumé", "A naïve résumé lists every job; a good one is selective."],
    ["cafe\u0301 vs café", "ＡＢＣ １２３ ﬁnancial report™ …"],
    ["multiple   spaces\tand\ttabs", "line one\nline two\r\nline three"],
    ["it's what we've done", "they'll say you'd've known, I'm sure it's fine"],
    ["3.14159 and 2,718", "pi is about 3.14159 and e about 2.71828"],
    ["Ωmega 🦜🦜 parrot", "∑ of ψ and λ ≠ ∞"],
]

# Pairs left out of the tokenizers' training text, so that their characters are unknown to the
# Unigram and WordPiece vocabularies (<unk> / [UNK]; SentencePiece and the Rust Unigram both fuse
# a run of unknown characters into one <unk>).
UNSEEN_PAIRS = {21}

# The 8 pairs of the training step (indices into PAIRS) and their labels.
TRAIN_PAIRS = [0, 1, 3, 7, 11, 12, 16, 19]
TRAIN_LABELS_BINARY = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0]

# Extra text the tokenizers are trained on (with the pairs above): English, French, German with
# accents, Spanish, Japanese, Chinese, Korean, emoji. Kept in this file so that the fixtures
# depend on nothing else.
CORPUS = """
The quick brown fox jumps over the lazy dog. What is the capital of France? Paris is the
capital of France and the largest city in the country. How do you bake bread at home? You mix
flour, water, salt and yeast, knead the dough, let it rise and bake it in a hot oven.
Search engines rank documents for a query; a cross-encoder reads the query and the document
together and gives a score. The model was trained on pairs of questions and answers.
Le café est chaud. Un café crème, s'il vous plaît. La crème brûlée est délicieuse.
Où est la gare? Elle est à côté de l'hôtel, près du musée. Les élèves étudient à l'école.
Die Straße ist lang. Grüße aus München und Köln! Wir fahren über die Brücke nach Süden.
Das Mädchen isst Äpfel und Öl. Schöne Grüße, bis später. Der Fluss fließt durch die Stadt.
El niño come una manzana. ¿Dónde está la estación? Mañana vamos a la playa.
東京は日本の首都です。今日は晴れです。東京の天気はどうですか。気温は二十五度です。
北京是中国的首都。我喜欢吃饺子。今天天气很好。上海是一个大城市。
서울은 한국의 수도입니다. 오늘 날씨가 좋아요.
I love pizza 🍕 and coffee ☕. Great job 👍 😀 🎉 ❤️
The Roman Empire, the Republic, the emperors and the army; history of Rome and Constantinople.
Numbers: 1 2 3 10 25 100 2020 2021 3.14159 2.71828. It's what we've done; they'll say I'm sure.
"""


def all_texts():
    """The tokenizer training text: the corpus, then every query and document."""
    out = [line for line in CORPUS.strip().split("\n")]
    for i, (q, d) in enumerate(PAIRS):
        if i not in UNSEEN_PAIRS:
            out.append(q)
            out.append(d)
    return out


# ---------------------------------------------------------------------------------------------
# Truncation of a pair as the Rust `tokenizers` library does it (transformers' tokenizers for
# these families are all backed by it; sentence-transformers' CrossEncoder calls them with
# truncation=True, i.e. "longest_first"). Transcribed from tokenizers 0.23
# tokenizers/src/utils/truncation.rs (truncate_encodings) and tokenizer/mod.rs (post_process: the
# limit given to truncate_encodings is max_length minus the special tokens the pair adds).
# NB: this differs from transformers' old pure-Python longest_first, which removes one token at
# a time from the longer side (ties: from the second): for two long sides the Rust code gives the
# first side floor(n/2) tokens when it is the shorter or equal one, the Python code ceil(n/2).
# ---------------------------------------------------------------------------------------------
def truncate_pair_longest_first(a, b, max_length, n_added):
    limit = max_length - n_added
    if limit < 0:
        raise ValueError("max_length below the special tokens")
    if len(a) + len(b) <= limit:
        return list(a), list(b)
    n1, n2 = len(a), len(b)
    swap = False
    if n1 > n2:
        swap = True
        n1, n2 = n2, n1
    if n1 > limit:
        n2 = n1
    else:
        n2 = max(n1, limit - n1)
    if n1 + n2 > limit:
        n1 = limit // 2
        n2 = n1 + limit % 2
    if swap:
        n1, n2 = n2, n1
    return list(a[:n1]), list(b[:n2])


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------
def write_json(path, obj, trailing_newline=True, sort_keys=True):
    """JSON as transformers writes config files: 2-space indent, sorted keys, UTF-8, newline."""
    text = json.dumps(obj, indent=2, sort_keys=sort_keys, ensure_ascii=False)
    if trailing_newline:
        text += "\n"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _compact(obj, indent):
    """JSON with objects indented and arrays of numbers / strings kept on one line."""
    pad = "  " * indent
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [pad + "  " + json.dumps(k, ensure_ascii=False) + ": " + _compact(v, indent + 1)
                 for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        items = [pad + "  " + _compact(v, indent + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def write_reference_json(path, obj):
    """reference.json: indented objects, one-line arrays of scalars, keys in the order given."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(_compact(obj, 0) + "\n")


def write_tokenizer_json(path, obj):
    """tokenizer.json as the Rust library saves it (pretty, 2-space indent, fields in struct
    order, no trailing newline)."""
    write_json(path, obj, trailing_newline=False, sort_keys=False)


def write_safetensors(path, tensors):
    """A safetensors file written by hand, as the safetensors library writes it for float32
    tensors: 8-byte little-endian header length, a compact JSON header ("__metadata__" first,
    then the tensors sorted by name, data_offsets into the data block in that order), the header
    padded with spaces to a multiple of 8, then the raw little-endian data.

    tensors: dict name -> numpy float32 array.
    """
    names = sorted(tensors)
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    blobs = []
    for name in names:
        arr = np.ascontiguousarray(tensors[name], dtype="<f4")
        data = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def read_safetensors(path):
    """Reads back a file written by write_safetensors (for the self-checks)."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + start:base + end], dtype="<f4").reshape(info["shape"])
    return header, out


def f32(x):
    """A Python float holding a float32 value (JSON prints the shortest repr of the double,
    which reads back to the same float32)."""
    return float(np.float32(x))


# ---------------------------------------------------------------------------------------------
# Weights: random, seeded, far from transformers' initialisation so that tests are sensitive
# (matrices N(0, 0.2^2) or wider, embeddings N(0, 0.5^2), biases N(0, 0.1^2), LayerNorm weights
# U(0.7, 1.3) and biases N(0, 0.1^2)); the rows transformers zeroes for padding_idx are zero.
# ---------------------------------------------------------------------------------------------
class WeightMaker:
    def __init__(self, seed):
        import torch
        self.torch = torch
        self.gen = torch.Generator().manual_seed(seed)

    def normal(self, shape, std, mean=0.0):
        t = self.torch.randn(*shape, generator=self.gen, dtype=self.torch.float64)
        return (t * std + mean).to(self.torch.float32)

    def uniform(self, shape, low, high):
        t = self.torch.rand(*shape, generator=self.gen, dtype=self.torch.float64)
        return (low + (high - low) * t).to(self.torch.float32)

    def fill(self, module, padding_rows=None):
        """Fills every parameter of a module (named as in its state_dict) in state_dict order."""
        sd = {}
        for name, p in module.named_parameters():
            sd[name] = p
        for name, p in sd.items():
            leaf = name.rsplit(".", 1)[-1]
            owner = name.rsplit(".", 1)[0]
            if "LayerNorm" in owner or "layer_norm" in owner:
                value = self.uniform(p.shape, 0.7, 1.3) if leaf == "weight" else self.normal(p.shape, 0.1)
            elif leaf == "bias":
                value = self.normal(p.shape, 0.1)
            elif owner.endswith("_embeddings") and p.dim() == 2:
                value = self.normal(p.shape, 0.5)
            else:
                value = self.normal(p.shape, 0.2)
            with self.torch.no_grad():
                p.copy_(value)
        for name, row in (padding_rows or {}).items():
            with self.torch.no_grad():
                dict(module.named_parameters())[name][row].zero_()


def sinusoidal_table(n_pos, dim):
    """DistilBERT's sinusoidal position table, as transformers' _create_sinusoidal_embeddings
    computes it (numpy float64, then torch.FloatTensor)."""
    position_enc = np.array([[pos / np.power(10000, 2 * (j // 2) / dim) for j in range(dim)]
                             for pos in range(n_pos)])
    out = np.zeros((n_pos, dim), dtype=np.float32)
    out[:, 0::2] = np.sin(position_enc[:, 0::2]).astype(np.float32)
    out[:, 1::2] = np.cos(position_enc[:, 1::2]).astype(np.float32)
    return out


def ensure_dir(path):
    os.makedirs(path, exist_ok=True)
