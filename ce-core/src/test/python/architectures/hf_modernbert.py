"""A torch transcription of transformers' ModernBertForSequenceClassification (the "eager"
attention path, which pads), with transformers' module and parameter names, so that
state_dict() keys are the tensor names of model.safetensors. Runs on torch 1.13 (Debian's), which
has no LayerNorm(bias=False): LayerNorm below is F.layer_norm with an optional bias.

Transcribed from huggingface/transformers (v5 line), read for this file:
  src/transformers/models/modernbert/modeling_modernbert.py        commit 000c33fd
  src/transformers/models/modernbert/configuration_modernbert.py   commit 001f85b3

What it computes (config keys in quotes):
  * embeddings: tok_embeddings -> norm -> dropout("embedding_dropout"); no position embedding;
  * rotary embeddings: for each layer type, inv_freq = 1 / theta^(arange(0, head_dim, 2) / head_dim)
    in float32, angles = inv_freq * position (float32, positions 0..t-1 of the padded batch, i.e.
    per sequence with right padding), emb = cat(angles, angles), cos / sin in float32 (also when
    the model runs in float64: transformers forces float32 there and casts the result);
    "full_attention" layers use rope_parameters.full_attention.rope_theta (the old
    "global_rope_theta"), "sliding_attention" layers the sliding one ("local_rope_theta");
  * layer i: global attention when i % global_attn_every_n_layers == 0, else sliding-window
    attention where query j sees key k only when |j - k| <= local_attention // 2 (the window is
    applied with masked_fill of the padding mask, so a key outside the window or padded gets the
    dtype's most negative value once); layer 0 has no attn_norm (nn.Identity);
    h = h + out_drop(Wo(attention(attn_norm(h)))), h = h + mlp(mlp_norm(h)) with
    mlp(x) = Wo(drop(act(input) * gate)), (input, gate) = Wi(x).chunk(2);
    attention = softmax(q_rot k_rot^T * head_dim^-0.5 + mask) v, dropout on the probabilities;
    Wqkv's output is [q | k | v], each split into heads in order;
  * final_norm on every token, then pooling: "cls" = h[:, 0], "mean" = sum(h * mask) / sum(mask);
  * head: norm(act(dense(pooled))) with "classifier_activation", dropout("classifier_dropout"),
    classifier (always with a bias).
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


def activation(name):
    if name == "gelu":
        return nn.GELU()
    if name == "relu":
        return nn.ReLU()
    if name in ("silu", "swish"):
        return nn.SiLU()
    raise ValueError("activation " + name)


class LayerNorm(nn.Module):
    """nn.LayerNorm(hidden, eps, bias=...) of torch >= 2.1."""

    def __init__(self, hidden, eps, bias):
        super().__init__()
        self.hidden = hidden
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(hidden))
        self.bias = nn.Parameter(torch.zeros(hidden)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, (self.hidden,), self.weight, self.bias, self.eps)


def layer_is_global(c, i):
    return i % c["global_attn_every_n_layers"] == 0


def rotary_cos_sin(theta, head_dim, seq_len, dtype):
    """ModernBertRotaryEmbedding.forward for positions 0..seq_len-1 (compute_default_rope_parameters
    then the float32 product, cat, cos and sin), cast to the model's dtype."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).to(dtype=torch.float)
                                / head_dim))
    position_ids = torch.arange(seq_len).unsqueeze(0)
    inv_freq_expanded = inv_freq[None, :, None].float().expand(position_ids.shape[0], -1, 1)
    position_ids_expanded = position_ids[:, None, :].float()
    freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def masks(c, attention_mask, dtype):
    """ModernBertModel._update_attention_mask: the global additive mask [b, 1, t, t] and the
    sliding-window one."""
    b, t = attention_mask.shape
    m = attention_mask[:, None, None, :].to(dtype).expand(b, 1, t, t)
    global_mask = (1.0 - m) * torch.finfo(dtype).min
    rows = torch.arange(t).unsqueeze(0)
    distance = torch.abs(rows - rows.T)
    window = (distance <= c["local_attention"] // 2).unsqueeze(0).unsqueeze(0)
    sliding = global_mask.masked_fill(window.logical_not(), torch.finfo(dtype).min)
    return global_mask, sliding


class ModernBertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.tok_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=c["pad_token_id"])
        self.norm = LayerNorm(c["hidden_size"], c["norm_eps"], c["norm_bias"])
        self.drop = nn.Dropout(c["embedding_dropout"])

    def forward(self, input_ids):
        return self.drop(self.norm(self.tok_embeddings(input_ids)))


class ModernBertAttention(nn.Module):
    def __init__(self, c, layer_id):
        super().__init__()
        self.num_heads = c["num_attention_heads"]
        self.head_dim = c["hidden_size"] // self.num_heads
        self.all_head_size = self.head_dim * self.num_heads
        self.attention_dropout = c["attention_dropout"]
        self.Wqkv = nn.Linear(c["hidden_size"], 3 * self.all_head_size, bias=c["attention_bias"])
        self.is_global = layer_is_global(c, layer_id)
        self.Wo = nn.Linear(c["hidden_size"], c["hidden_size"], bias=c["attention_bias"])
        self.out_drop = nn.Dropout(c["attention_dropout"]) if c["attention_dropout"] > 0 else nn.Identity()

    def forward(self, hidden_states, global_mask, sliding_mask, cos_sin):
        bs = hidden_states.shape[0]
        qkv = self.Wqkv(hidden_states).view(bs, -1, 3, self.num_heads, self.head_dim)
        cos, sin = cos_sin
        query, key, value = qkv.transpose(3, 1).unbind(dim=2)
        cos = cos.unsqueeze(1)
        sin = sin.unsqueeze(1)
        query = (query * cos) + (rotate_half(query) * sin)
        key = (key * cos) + (rotate_half(key) * sin)
        scale = self.head_dim ** -0.5
        attn_weights = torch.matmul(query, key.transpose(2, 3)) * scale
        attn_weights = attn_weights + (global_mask if self.is_global else sliding_mask)
        # transformers: softmax(dtype=float32).to(query.dtype); a no-op in float32, and left out
        # here for the float64 reference (which is meant to be exact arithmetic)
        attn_weights = F.softmax(attn_weights, dim=-1)
        attn_weights = F.dropout(attn_weights, p=self.attention_dropout, training=self.training)
        out = torch.matmul(attn_weights, value).transpose(1, 2).contiguous().view(bs, -1, self.all_head_size)
        return self.out_drop(self.Wo(out))


class ModernBertMLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.Wi = nn.Linear(c["hidden_size"], int(c["intermediate_size"]) * 2, bias=c["mlp_bias"])
        self.act = activation(c["hidden_activation"])
        self.drop = nn.Dropout(c["mlp_dropout"])
        self.Wo = nn.Linear(c["intermediate_size"], c["hidden_size"], bias=c["mlp_bias"])

    def forward(self, hidden_states):
        input, gate = self.Wi(hidden_states).chunk(2, dim=-1)
        return self.Wo(self.drop(self.act(input) * gate))


class ModernBertEncoderLayer(nn.Module):
    def __init__(self, c, layer_id):
        super().__init__()
        if layer_id == 0:
            self.attn_norm = nn.Identity()
        else:
            self.attn_norm = LayerNorm(c["hidden_size"], c["norm_eps"], c["norm_bias"])
        self.attn = ModernBertAttention(c, layer_id)
        self.mlp_norm = LayerNorm(c["hidden_size"], c["norm_eps"], c["norm_bias"])
        self.mlp = ModernBertMLP(c)

    def forward(self, h, global_mask, sliding_mask, cos_sin):
        h = h + self.attn(self.attn_norm(h), global_mask, sliding_mask, cos_sin)
        return h + self.mlp(self.mlp_norm(h))


class ModernBertModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embeddings = ModernBertEmbeddings(c)
        self.layers = nn.ModuleList([ModernBertEncoderLayer(c, i) for i in range(c["num_hidden_layers"])])
        self.final_norm = LayerNorm(c["hidden_size"], c["norm_eps"], c["norm_bias"])

    def forward(self, input_ids, attention_mask, trace=None):
        c = self.c
        h = self.embeddings(input_ids)
        if trace is not None:
            trace.append(h)
        global_mask, sliding_mask = masks(c, attention_mask, h.dtype)
        head_dim = c["hidden_size"] // c["num_attention_heads"]
        t = input_ids.shape[1]
        rope = {"full": rotary_cos_sin(c["global_rope_theta"], head_dim, t, h.dtype),
                "sliding": rotary_cos_sin(c["local_rope_theta"], head_dim, t, h.dtype)}
        for i, layer in enumerate(self.layers):
            h = layer(h, global_mask, sliding_mask, rope["full" if layer_is_global(c, i) else "sliding"])
            if trace is not None:
                trace.append(h)
        return self.final_norm(h)


class ModernBertPredictionHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"], c["classifier_bias"])
        self.act = activation(c["classifier_activation"])
        self.norm = LayerNorm(c["hidden_size"], c["norm_eps"], c["norm_bias"])

    def forward(self, x):
        return self.norm(self.act(self.dense(x)))


class ModernBertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.model = ModernBertModel(c)
        self.head = ModernBertPredictionHead(c)
        self.drop = nn.Dropout(c["classifier_dropout"])
        self.classifier = nn.Linear(c["hidden_size"], c["num_labels"])

    def forward(self, input_ids, attention_mask, token_type_ids=None, trace=None):
        h = self.model(input_ids, attention_mask, trace)
        if trace is not None:
            trace.append(h)
        if self.c["classifier_pooling"] == "cls":
            pooled = h[:, 0]
        else:
            pooled = (h * attention_mask.unsqueeze(-1)).sum(dim=1) / attention_mask.sum(dim=1, keepdim=True)
        pooled = self.head(pooled)
        if trace is not None:
            trace.append(pooled)
        return self.classifier(self.drop(pooled))


def fill_weights(model, seed):
    """Seeded weights far from transformers' initialisation (so tests are sensitive), in
    state_dict order: norm weights U(0.7, 1.3), norm biases and other biases N(0, 0.1^2),
    tok_embeddings N(0, 0.5^2) (its padding row too: padding must not matter), matrices
    N(0, 0.2^2)."""
    gen = torch.Generator().manual_seed(seed)

    def normal(shape, std):
        return (torch.randn(*shape, generator=gen, dtype=torch.float64) * std).to(torch.float32)

    def uniform(shape, low, high):
        t = torch.rand(*shape, generator=gen, dtype=torch.float64)
        return (low + (high - low) * t).to(torch.float32)

    for name, p in model.named_parameters():
        owner, leaf = name.rsplit(".", 1)
        if owner.endswith("norm"):
            value = uniform(p.shape, 0.7, 1.3) if leaf == "weight" else normal(p.shape, 0.1)
        elif leaf == "bias":
            value = normal(p.shape, 0.1)
        elif owner.endswith("tok_embeddings"):
            value = normal(p.shape, 0.5)
        else:
            value = normal(p.shape, 0.2)
        with torch.no_grad():
            p.copy_(value)


def init_stds(c):
    """_init_weights' standard deviations (truncated at +-initializer_cutoff_factor * std)."""
    return {"in": c["initializer_range"],
            "out": c["initializer_range"] / math.sqrt(2.0 * c["num_hidden_layers"]),
            "embedding": c["initializer_range"],
            "final_out": c["hidden_size"] ** -0.5}
