"""BERT-style WordPiece for ELECTRA and DistilBERT: a small vocabulary built here, its
tokenizer.json, and an independent encoder.

The encoder transcribes transformers' BasicTokenizer + WordpieceTokenizer
(src/transformers/models/bert/tokenization_bert.py, the pure-Python one of the 4.x line) and
follows the Rust `tokenizers` BertNormalizer + BertPreTokenizer + WordPiece (0.23) where the two
differ, because transformers 5 tokenizes BERT-family text with the Rust library only:
  * no NFC normalisation (BasicTokenizer has applied NFC since 4.3x, the Rust normalizer never
    did: with a cased vocabulary "cafe\\u0301" stays e + combining accent, one unknown word);
  * otherwise identical: control characters and U+0000 / U+FFFD removed, whitespace to " ",
    CJK ideographs isolated, lowercasing + accent stripping (NFD, drop Mn) when uncased,
    punctuation (ASCII ranges or Unicode P*) split off, greedy longest-match-first with "##",
    more than 100 characters in a word -> [UNK].
tokenizer.json is what transformers' BertConverter builds and the Rust library saves (the
layout of the BERT folders written by transformers 5.17 under
../../resources/dev/ce4j/core/interop/st-saved): BertNormalizer, BertPreTokenizer, WordPiece,
TemplateProcessing "[CLS]:0 $A:0 [SEP]:0" / "... $B:1 [SEP]:1", WordPiece decoder.
"""
import unicodedata

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
MAX_CHARS_PER_WORD = 100


def _is_whitespace(char):
    if char in (" ", "\t", "\n", "\r"):
        return True
    return unicodedata.category(char) == "Zs"


def _is_control(char):
    if char in ("\t", "\n", "\r"):
        return False
    return unicodedata.category(char).startswith("C")


def _is_punctuation(char):
    cp = ord(char)
    if (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126):
        return True
    return unicodedata.category(char).startswith("P")


def _is_chinese_char(cp):
    return ((0x4E00 <= cp <= 0x9FFF) or (0x3400 <= cp <= 0x4DBF) or (0x20000 <= cp <= 0x2A6DF)
            or (0x2A700 <= cp <= 0x2B73F) or (0x2B740 <= cp <= 0x2B81F)
            or (0x2B820 <= cp <= 0x2CEAF) or (0xF900 <= cp <= 0xFAFF)
            or (0x2F800 <= cp <= 0x2FA1F))


def whitespace_tokenize(text):
    text = text.strip()
    return text.split() if text else []


class BasicTokenizer:
    def __init__(self, do_lower_case):
        self.do_lower_case = do_lower_case

    def tokenize(self, text):
        text = self._clean_text(text)
        text = self._tokenize_chinese_chars(text)
        split_tokens = []
        for token in whitespace_tokenize(text):
            if self.do_lower_case:
                token = token.lower()
                token = self._run_strip_accents(token)
            split_tokens.extend(self._run_split_on_punc(token))
        return whitespace_tokenize(" ".join(split_tokens))

    @staticmethod
    def _run_strip_accents(text):
        text = unicodedata.normalize("NFD", text)
        return "".join(c for c in text if unicodedata.category(c) != "Mn")

    @staticmethod
    def _run_split_on_punc(text):
        output = []
        start_new_word = True
        for char in text:
            if _is_punctuation(char):
                output.append([char])
                start_new_word = True
            else:
                if start_new_word:
                    output.append([])
                start_new_word = False
                output[-1].append(char)
        return ["".join(x) for x in output]

    @staticmethod
    def _tokenize_chinese_chars(text):
        output = []
        for char in text:
            if _is_chinese_char(ord(char)):
                output += [" ", char, " "]
            else:
                output.append(char)
        return "".join(output)

    @staticmethod
    def _clean_text(text):
        output = []
        for char in text:
            cp = ord(char)
            if cp == 0 or cp == 0xFFFD or _is_control(char):
                continue
            output.append(" " if _is_whitespace(char) else char)
        return "".join(output)


class WordpieceTokenizer:
    def __init__(self, vocab, unk_token="[UNK]"):
        self.vocab = vocab
        self.unk_token = unk_token

    def tokenize(self, text):
        output_tokens = []
        for token in whitespace_tokenize(text):
            chars = list(token)
            if len(chars) > MAX_CHARS_PER_WORD:
                output_tokens.append(self.unk_token)
                continue
            is_bad = False
            start = 0
            sub_tokens = []
            while start < len(chars):
                end = len(chars)
                cur_substr = None
                while start < end:
                    substr = "".join(chars[start:end])
                    if start > 0:
                        substr = "##" + substr
                    if substr in self.vocab:
                        cur_substr = substr
                        break
                    end -= 1
                if cur_substr is None:
                    is_bad = True
                    break
                sub_tokens.append(cur_substr)
                start = end
            if is_bad:
                output_tokens.append(self.unk_token)
            else:
                output_tokens.extend(sub_tokens)
        return output_tokens


def _is_emoji_like(ch):
    """Symbols (emoji) and combining marks are left out of the vocabulary."""
    return unicodedata.category(ch) in ("So", "Mn") or ord(ch) >= 0x1F000


def build_vocab(texts, do_lower_case, n_words):
    """[PAD] [UNK] [CLS] [SEP] [MASK], every character seen (alone and as ##c) except symbols
    such as emoji (so those words become [UNK]), a few suffixes, then the n_words most frequent
    words of two or more characters (ties alphabetical)."""
    basic = BasicTokenizer(do_lower_case)
    counts = {}
    chars = set()
    for text in texts:
        for word in basic.tokenize(text):
            counts[word] = counts.get(word, 0) + 1
            for ch in word:
                if not _is_emoji_like(ch):
                    chars.add(ch)
    vocab = {}
    for s in SPECIALS:
        vocab[s] = len(vocab)
    for ch in sorted(chars):
        vocab[ch] = len(vocab)
    for ch in sorted(chars):
        if not _is_punctuation(ch) and not _is_chinese_char(ord(ch)):
            vocab["##" + ch] = len(vocab)
    for suffix in ["##ing", "##ed", "##er", "##es", "##ly", "##tion", "##ment", "##ie"]:
        if suffix not in vocab:
            vocab[suffix] = len(vocab)
    words = [w for w in counts if len(w) > 1 and not any(_is_emoji_like(c) for c in w)]
    words.sort(key=lambda w: (-counts[w], w))
    for w in words[:n_words]:
        if w not in vocab:
            vocab[w] = len(vocab)
    return vocab


def added_token(id_, content):
    return {"id": id_, "content": content, "single_word": False, "lstrip": False,
            "rstrip": False, "normalized": False, "special": True}


def tokenizer_json(vocab, do_lower_case):
    def special(t, type_id):
        return {"SpecialToken": {"id": t, "type_id": type_id}}

    def seq(t, type_id):
        return {"Sequence": {"id": t, "type_id": type_id}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [added_token(vocab[s], s) for s in SPECIALS],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": do_lower_case},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0)],
            "pair": [special("[CLS]", 0), seq("A", 0), special("[SEP]", 0), seq("B", 1),
                     special("[SEP]", 1)],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [vocab["[CLS]"]], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [vocab["[SEP]"]], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": MAX_CHARS_PER_WORD,
                  "vocab": dict(sorted(vocab.items(), key=lambda kv: kv[1]))},
    }


def tokenizer_config(max_length, do_lower_case, tokenizer_class):
    return {
        "backend": "tokenizers",
        "cls_token": "[CLS]",
        "do_lower_case": do_lower_case,
        "mask_token": "[MASK]",
        "model_max_length": max_length,
        "pad_token": "[PAD]",
        "sep_token": "[SEP]",
        "strip_accents": None,
        "tokenize_chinese_chars": True,
        "tokenizer_class": tokenizer_class,
        "unk_token": "[UNK]",
    }


def special_tokens_map():
    return {"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]",
            "sep_token": "[SEP]", "unk_token": "[UNK]"}


class PairEncoder:
    """Encodes a pair as BertTokenizer does: [CLS] A [SEP] B [SEP], type ids 0 then 1."""

    n_added_pair = 3

    def __init__(self, vocab, do_lower_case):
        self.vocab = vocab
        self.basic = BasicTokenizer(do_lower_case)
        self.wordpiece = WordpieceTokenizer(vocab)
        self.cls, self.sep, self.pad_id = vocab["[CLS]"], vocab["[SEP]"], vocab["[PAD]"]

    def piece_strings(self, text):
        out = []
        for word in self.basic.tokenize(text):
            out.extend(self.wordpiece.tokenize(word))
        return out

    def pieces(self, text):
        return [self.vocab[t] for t in self.piece_strings(text)]

    def build(self, a, b):
        ids = [self.cls] + a + [self.sep] + b + [self.sep]
        types = [0] * (len(a) + 2) + [1] * (len(b) + 1)
        return {"input_ids": ids, "attention_mask": [1] * len(ids), "token_type_ids": types}
