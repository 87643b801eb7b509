"""RoBERTa's byte-level BPE: a tiny vocabulary trained here, its tokenizer.json, and an
independent encoder.

The encoder is a transcription of OpenAI's GPT-2 `src/encoder.py` (bytes_to_unicode, get_pairs,
Encoder.bpe, Encoder.encode with its pre-tokenization regex), which RoBERTa's tokenizer follows;
it never reads tokenizer.json. tokenizer.json is laid out as transformers'
`RobertaConverter` (src/transformers/convert_slow_tokenizer.py, commit 00111b31, v5 line) builds
it and the Rust `tokenizers` library (0.23) saves it: no normalizer, ByteLevel pre-tokenizer
(add_prefix_space false, trim_offsets true, use_regex true), BPE model (no unk token, merges as
pairs), RobertaProcessing post-processor (<s>=0 ... </s>, pair <s> A </s></s> B </s>, every type
id 0), ByteLevel decoder.
"""
import regex as re

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]  # ids 0..3; <mask> is the last id
MASK = "<mask>"
PAT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(2 ** 8):
        if b not in bs:
            bs.append(b)
            cs.append(2 ** 8 + n)
            n += 1
    cs = [chr(c) for c in cs]
    return dict(zip(bs, cs))


def get_pairs(word):
    pairs = set()
    prev_char = word[0]
    for char in word[1:]:
        pairs.add((prev_char, char))
        prev_char = char
    return pairs


class Encoder:
    """GPT-2's Encoder (encode only), with a vocabulary and merges."""

    def __init__(self, encoder, bpe_merges):
        self.encoder = encoder
        self.byte_encoder = bytes_to_unicode()
        self.bpe_ranks = dict(zip([tuple(m) for m in bpe_merges], range(len(bpe_merges))))
        self.cache = {}

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token)
        pairs = get_pairs(word) if len(word) > 1 else set()
        if not pairs:
            return token
        while True:
            bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                    new_word.extend(word[i:j])
                    i = j
                except ValueError:
                    new_word.extend(word[i:])
                    break
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        word = " ".join(word)
        self.cache[token] = word
        return word

    def encode(self, text):
        bpe_tokens = []
        for token in re.findall(PAT, text):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            bpe_tokens.extend(self.encoder[t] for t in self.bpe(token).split(" "))
        return bpe_tokens


def train(texts, n_merges):
    """Plain BPE training over GPT-2's pre-tokenized, byte-mapped chunks: the most frequent
    adjacent pair is merged, ties broken by the smaller pair (so the result is deterministic).
    Returns (vocab dict token -> id, merges list of (a, b))."""
    byte_encoder = bytes_to_unicode()
    counts = {}
    for text in texts:
        for token in re.findall(PAT, text):
            word = tuple(byte_encoder[b] for b in token.encode("utf-8"))
            counts[word] = counts.get(word, 0) + 1
    words = dict(counts)
    merges = []
    for _ in range(n_merges):
        pair_counts = {}
        for word, c in words.items():
            for i in range(len(word) - 1):
                p = (word[i], word[i + 1])
                pair_counts[p] = pair_counts.get(p, 0) + c
        if not pair_counts:
            break
        best = min(pair_counts, key=lambda p: (-pair_counts[p], p))
        if pair_counts[best] < 2:
            break
        merges.append(best)
        merged = best[0] + best[1]
        new_words = {}
        for word, c in words.items():
            out = []
            i = 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    out.append(merged)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            t = tuple(out)
            new_words[t] = new_words.get(t, 0) + c
        words = new_words
    vocab = {}
    for s in SPECIALS:
        vocab[s] = len(vocab)
    for b in range(256):
        ch = byte_encoder[b]
        if ch not in vocab:
            vocab[ch] = len(vocab)
    for a, b in merges:
        if a + b not in vocab:
            vocab[a + b] = len(vocab)
    vocab[MASK] = len(vocab)
    return vocab, merges


def added_token(id_, content, lstrip=False):
    return {"id": id_, "content": content, "single_word": False, "lstrip": lstrip,
            "rstrip": False, "normalized": False, "special": True}


def tokenizer_json(vocab, merges):
    added = [added_token(vocab[s], s) for s in SPECIALS]
    added.append(added_token(vocab[MASK], MASK, lstrip=True))
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                          "use_regex": True},
        "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", vocab["</s>"]],
                           "cls": ["<s>", vocab["<s>"]], "trim_offsets": True,
                           "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": False,
                  "byte_fallback": False, "ignore_merges": False,
                  "vocab": dict(sorted(vocab.items(), key=lambda kv: kv[1])),
                  "merges": [[a, b] for a, b in merges]},
    }


def tokenizer_config(max_length):
    """tokenizer_config.json in the layout transformers 5 writes (see the BERT folders under
    ../../resources/dev/ce4j/core/interop/st-saved, written by transformers 5.17)."""
    return {
        "add_prefix_space": False,
        "backend": "tokenizers",
        "bos_token": "<s>",
        "cls_token": "<s>",
        "eos_token": "</s>",
        "errors": "replace",
        "mask_token": "<mask>",
        "model_max_length": max_length,
        "pad_token": "<pad>",
        "sep_token": "</s>",
        "tokenizer_class": "RobertaTokenizer",
        "trim_offsets": True,
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
    """Encodes a pair as RobertaTokenizer does: <s> A </s></s> B </s>, longest_first."""

    n_added_pair = 4

    def __init__(self, vocab, merges):
        self.vocab = vocab
        self.encoder = Encoder(vocab, merges)
        self.cls = vocab["<s>"]
        self.sep = vocab["</s>"]
        self.pad_id = vocab["<pad>"]

    def pieces(self, text):
        return self.encoder.encode(text)

    def build(self, a, b):
        ids = [self.cls] + a + [self.sep, self.sep] + b + [self.sep]
        return {"input_ids": ids, "attention_mask": [1] * len(ids)}
