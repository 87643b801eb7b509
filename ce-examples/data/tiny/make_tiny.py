#!/usr/bin/env python3
"""Writes the tiny training example of ce-examples/configs/tiny.json, deterministically.

Outputs (committed next to this script, so nothing needs Python to train):
  tokenizer.json  a BERT WordPiece tokenizer whose vocabulary is the words of the data
  config.json     a tiny BERT config (hidden 32, 2 layers, 2 heads) sized to that vocabulary
  train.jsonl     labelled pairs: {"pair": [query, document], "label": 0 or 1}
  dev.jsonl       listwise dev data: {"id", "query", "documents", "labels"}

Standard library only; the same output on every run (a fixed-seed random.Random).
Run: python3 make_tiny.py  (from any folder; it writes next to itself).
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

TOPICS = {
    "cooking": ["pasta", "sauce", "oven", "recipe", "bake", "flour", "garlic", "salt"],
    "football": ["goal", "match", "striker", "league", "referee", "penalty", "coach", "team"],
    "astronomy": ["planet", "orbit", "telescope", "galaxy", "star", "comet", "moon", "nebula"],
    "gardening": ["soil", "seed", "water", "tomato", "compost", "prune", "flower", "root"],
    "computing": ["code", "compiler", "memory", "thread", "kernel", "bug", "cache", "disk"],
    "music": ["guitar", "melody", "chord", "piano", "rhythm", "song", "drum", "tempo"],
}
FILLER = ["the", "a", "of", "and", "to", "in", "is", "how", "what", "about", "with", "for"]
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def sentence(rng, topic, n):
    words = TOPICS[topic]
    out = []
    for _ in range(n):
        out.append(rng.choice(words) if rng.random() < 0.6 else rng.choice(FILLER))
    return " ".join(out)


def main():
    rng = random.Random(20260101)
    topics = sorted(TOPICS)
    train = []
    for i in range(96):
        t = topics[i % len(topics)]
        q = "what about " + sentence(rng, t, 3)
        if rng.random() < 0.5:
            d, label = sentence(rng, t, 8), 1
        else:
            other = rng.choice([x for x in topics if x != t])
            d, label = sentence(rng, other, 8), 0
        train.append({"pair": [q, d], "label": label})
    dev = []
    for i in range(12):
        t = topics[i % len(topics)]
        q = "how to " + sentence(rng, t, 3)
        docs, labels = [], []
        for j in range(4):
            if j == i % 4:
                docs.append(sentence(rng, t, 8))
                labels.append(1)
            else:
                other = rng.choice([x for x in topics if x != t])
                docs.append(sentence(rng, other, 8))
                labels.append(0)
        dev.append({"id": "q%02d" % i, "query": q, "documents": docs, "labels": labels})

    words = sorted({w for ws in TOPICS.values() for w in ws} | set(FILLER))
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    vocab = SPECIAL + letters + ["##" + c for c in letters] + words
    ids = {tok: i for i, tok in enumerate(vocab)}
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": ids[s], "content": s, "single_word": False, "lstrip": False,
             "rstrip": False, "normalized": False, "special": True}
            for s in SPECIAL
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True,
                       "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                       {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                     {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                s: {"id": s, "ids": [ids[s]], "tokens": [s]} for s in ["[CLS]", "[SEP]"]
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }
    config = {
        "architectures": ["BertForSequenceClassification"],
        "model_type": "bert",
        "vocab_size": len(vocab),
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 64,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": 64,
        "type_vocab_size": 2,
        "initializer_range": 0.02,
        "layer_norm_eps": 1e-12,
        "pad_token_id": 0,
        "num_labels": 1,
    }

    def dump(name, obj):
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            json.dump(obj, f, indent=2, sort_keys=False)
            f.write("\n")

    def lines(name, records):
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")

    dump("tokenizer.json", tokenizer)
    dump("config.json", config)
    lines("train.jsonl", train)
    lines("dev.jsonl", dev)


if __name__ == "__main__":
    main()
