#!/usr/bin/env python3
"""The PyTorch-eager side of ce's training-speed benchmark.

Usage: train_steps_torch.py MODEL_FOLDER BATCHES_FILE THREADS LR WEIGHT_DECAY MAX_GRAD_NORM TOTAL_STEPS

Needs only torch and numpy (Debian's python3-torch works): the BERT forward of transformers'
BertForSequenceClassification is written here in plain torch, and the weights are read from the
model folder's model.safetensors with numpy, so neither transformers nor safetensors is needed.

The training step is what transformers' Trainer does for a cross-encoder with one label:
dropout on (train mode), BCEWithLogitsLoss (mean), backward, clip_grad_norm_, torch.optim.AdamW
with transformers' two parameter groups (no weight decay on biases and LayerNorm parameters), a
linear learning-rate schedule without warmup over TOTAL_STEPS, zero_grad (torch 1.13's default,
set_to_none=False).

BATCHES_FILE, written by dev.ce4j.benchmarks.train.TrainingSpeedBenchmark (little endian):
int32 batch count; then per batch int32 B, int32 T, int64 ids[B*T], int64 token types[B*T],
int64 attention mask[B*T], float32 labels[B]; then int32 R and float32 reference logits[R] of
the first batch, computed by ce at inference before training (a check of this forward pass).

Protocol: prints `ready key=value ...` once loaded, then for each stdin line `steps K` runs the
next K batches and prints `done seconds=S loss=L`; `quit` prints `bye peak_rss_mib=M` and exits.
"""

import json
import math
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        raw = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        a = np.frombuffer(raw, dtype=DTYPES[info["dtype"]], count=(end - start) // np.dtype(DTYPES[info["dtype"]]).itemsize, offset=start)
        tensors[name] = torch.from_numpy(a.astype(np.float32).reshape(info["shape"]).copy())
    return tensors


class Bert(torch.nn.Module):
    """transformers' BertForSequenceClassification forward (absolute positions, erf GELU)."""

    def __init__(self, config, weights):
        super().__init__()
        self.c = config
        # module names with dots are not allowed; keep the tensors in a ParameterDict keyed by
        # the safetensors names with '.' replaced
        self.p = torch.nn.ParameterDict({k.replace(".", "__"): torch.nn.Parameter(v) for k, v in weights.items()})
        self.heads = config["num_attention_heads"]
        self.eps = config.get("layer_norm_eps", 1e-12)
        self.hidden_drop = config.get("hidden_dropout_prob", 0.1)
        self.attn_drop = config.get("attention_probs_dropout_prob", 0.1)
        cd = config.get("classifier_dropout")
        self.cls_drop = self.hidden_drop if cd is None else cd

    def w(self, name):
        return self.p[name.replace(".", "__")]

    def linear(self, x, prefix):
        return F.linear(x, self.w(prefix + ".weight"), self.w(prefix + ".bias"))

    def ln(self, x, prefix):
        return F.layer_norm(x, (x.shape[-1],), self.w(prefix + ".weight"), self.w(prefix + ".bias"), self.eps)

    def forward(self, ids, types, mask):
        b, t = ids.shape
        h = self.c["hidden_size"]
        hs = h // self.heads
        pos = torch.arange(t, dtype=torch.long).unsqueeze(0)
        x = (F.embedding(ids, self.w("bert.embeddings.word_embeddings.weight"))
             + F.embedding(types, self.w("bert.embeddings.token_type_embeddings.weight"))
             + F.embedding(pos, self.w("bert.embeddings.position_embeddings.weight")))
        x = F.dropout(self.ln(x, "bert.embeddings.LayerNorm"), self.hidden_drop, self.training)
        ext = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for l in range(self.c["num_hidden_layers"]):
            p = "bert.encoder.layer.%d." % l
            q = self.linear(x, p + "attention.self.query").view(b, t, self.heads, hs).permute(0, 2, 1, 3)
            k = self.linear(x, p + "attention.self.key").view(b, t, self.heads, hs).permute(0, 2, 1, 3)
            v = self.linear(x, p + "attention.self.value").view(b, t, self.heads, hs).permute(0, 2, 1, 3)
            scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hs) + ext
            probs = F.dropout(F.softmax(scores, dim=-1), self.attn_drop, self.training)
            ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous().view(b, t, h)
            a = F.dropout(self.linear(ctx, p + "attention.output.dense"), self.hidden_drop, self.training)
            a = self.ln(a + x, p + "attention.output.LayerNorm")
            i = F.gelu(self.linear(a, p + "intermediate.dense"))
            o = F.dropout(self.linear(i, p + "output.dense"), self.hidden_drop, self.training)
            x = self.ln(o + a, p + "output.LayerNorm")
        pooled = torch.tanh(self.linear(x[:, 0], "bert.pooler.dense"))
        pooled = F.dropout(pooled, self.cls_drop, self.training)
        return self.linear(pooled, "classifier")


def read_batches(path):
    with open(path, "rb") as f:
        data = f.read()
    off = 0

    def take(fmt_dtype, count):
        nonlocal off
        a = np.frombuffer(data, dtype=fmt_dtype, count=count, offset=off)
        off += a.nbytes
        return a

    count = int(take("<i4", 1)[0])
    batches = []
    for _ in range(count):
        b, t = (int(v) for v in take("<i4", 2))
        ids = torch.from_numpy(take("<i8", b * t).reshape(b, t).copy())
        types = torch.from_numpy(take("<i8", b * t).reshape(b, t).copy())
        mask = torch.from_numpy(take("<i8", b * t).reshape(b, t).copy())
        labels = torch.from_numpy(take("<f4", b).copy())
        batches.append((ids, types, mask, labels))
    r = int(take("<i4", 1)[0])
    reference = torch.from_numpy(take("<f4", r).copy())
    return batches, reference


def no_decay(name):
    # ce's ParameterGroups.isNoDecay, which is transformers' grouping for BERT
    return name.endswith(".bias") or "LayerNorm." in name or "layer_norm" in name


def main():
    folder, batches_file = sys.argv[1], sys.argv[2]
    threads, lr, wd, max_norm, total = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    with open(folder + "/config.json") as f:
        config = json.load(f)
    model = Bert(config, read_safetensors(folder + "/model.safetensors"))
    batches, reference = read_batches(batches_file)

    model.eval()
    with torch.no_grad():
        ids, types, mask, _ = batches[0]
        logits = model(ids, types, mask).view(-1)
    max_diff = float((logits - reference).abs().max())

    model.train()
    named = [(k.replace("__", "."), v) for k, v in model.p.items()]
    groups = [
        {"params": [v for k, v in named if not no_decay(k)], "weight_decay": wd},
        {"params": [v for k, v in named if no_decay(k)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, (total - s) / max(1, total)))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    params = [v for _, v in named]
    print("ready torch=%s threads=%d interop=%d batches=%d params=%d forward_max_abs_diff=%.3g"
          % (torch.__version__, torch.get_num_threads(), torch.get_num_interop_threads(), len(batches),
             sum(p.numel() for p in params), max_diff), flush=True)

    nxt = 0
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "quit":
            break
        k = int(cmd[1])
        loss_sum = 0.0
        start = time.perf_counter()
        for _ in range(k):
            ids, types, mask, labels = batches[nxt % len(batches)]
            nxt += 1
            logits = model(ids, types, mask).view(-1)
            loss = loss_fn(logits, labels)
            loss.backward()
            loss_sum += loss.item()
            torch.nn.utils.clip_grad_norm_(params, max_norm)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=False)
        seconds = time.perf_counter() - start
        print("done seconds=%.6f loss=%.6f" % (seconds, loss_sum / k), flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("bye peak_rss_mib=%.0f" % rss, flush=True)


if __name__ == "__main__":
    main()
