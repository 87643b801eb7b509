"""A torch transcription of transformers' DebertaV2ForSequenceClassification (DeBERTa-v2 and v3),
with transformers' module and parameter names, so that state_dict() keys are the tensor names of
model.safetensors. Written for torch 1.13 from huggingface/transformers (v5 line)
src/transformers/models/deberta_v2/modeling_deberta_v2.py (the version without XSoftmax /
StableDropout: nn.Dropout everywhere, the attention mask applied with masked_fill of the dtype's
minimum before a plain softmax) and configuration_deberta_v2.py; see make_deberta_fixtures.py for
the commit read.

What it computes:
  embeddings   word (+ position when position_biased_input) (+ token type when type_vocab_size
               > 0), embed_proj (no bias) when embedding_size != hidden_size, LayerNorm, times the
               attention mask, dropout
  encoder      relative positions q - k, log-bucketed when position_buckets > 0
               (make_log_bucket_position, float32 arithmetic as transformers), built once;
               rel_embeddings (LayerNorm'd when norm_rel_ebd has layer_norm); each layer:
               disentangled attention (content->content q k^T / s, + c2p and p2c terms gathered
               by relative position, s = sqrt(head_dim * (1 + number of c2p/p2c terms))), mask
               [b, 1, t, t] = m_i m_j, masked_fill(min), softmax, dropout, context; then
               SelfOutput, Intermediate, Output (post-LayerNorm, as BERT)
  conv         (conv_kernel_size > 0, DeBERTa-v2-xlarge) after the first layer: Conv1d of the
               embedding output (padding (k - 1) / 2, conv_groups), zero at padding, dropout,
               conv_act, plus the first layer's output, LayerNorm, times the mask
  head         ContextPooler (dropout(pooler_dropout) of h[:, 0], dense, pooler_hidden_act),
               dropout (cls_dropout if set, else hidden_dropout_prob), classifier
"""

import torch
from torch import nn


def act(name):
    if name == "gelu":
        return nn.GELU()
    if name == "relu":
        return nn.ReLU()
    if name == "tanh":
        return nn.Tanh()
    raise ValueError("activation " + name)


def make_log_bucket_position(relative_pos, bucket_size, max_position):
    sign = torch.sign(relative_pos)
    mid = bucket_size // 2
    abs_pos = torch.where((relative_pos < mid) & (relative_pos > -mid),
                          torch.tensor(mid - 1).type_as(relative_pos), torch.abs(relative_pos))
    log_pos = torch.ceil(torch.log(abs_pos / mid) / torch.log(torch.tensor((max_position - 1) / mid))
                         * (mid - 1)) + mid
    return torch.where(abs_pos <= mid, relative_pos.type_as(log_pos), log_pos * sign)


def build_relative_position(query_size, key_size, bucket_size=-1, max_position=-1):
    q_ids = torch.arange(query_size, dtype=torch.long)
    k_ids = torch.arange(key_size, dtype=torch.long)
    rel_pos_ids = q_ids[:, None] - k_ids[None, :]
    if bucket_size > 0 and max_position > 0:
        rel_pos_ids = make_log_bucket_position(rel_pos_ids, bucket_size, max_position)
    rel_pos_ids = rel_pos_ids.to(torch.long)
    return rel_pos_ids[:query_size, :].unsqueeze(0)


def scaled_size_sqrt(layer, scale_factor):
    return torch.sqrt(torch.tensor(layer.size(-1), dtype=torch.float) * scale_factor)


class DisentangledSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.num_attention_heads = c["num_attention_heads"]
        self.attention_head_size = c["hidden_size"] // c["num_attention_heads"]
        self.all_head_size = self.num_attention_heads * self.attention_head_size
        self.query_proj = nn.Linear(c["hidden_size"], self.all_head_size, bias=True)
        self.key_proj = nn.Linear(c["hidden_size"], self.all_head_size, bias=True)
        self.value_proj = nn.Linear(c["hidden_size"], self.all_head_size, bias=True)
        self.share_att_key = c.get("share_att_key", False)
        self.pos_att_type = c["pos_att_type"] or []
        self.relative_attention = c.get("relative_attention", False)
        if self.relative_attention:
            self.position_buckets = c.get("position_buckets", -1)
            self.max_relative_positions = c.get("max_relative_positions", -1)
            if self.max_relative_positions < 1:
                self.max_relative_positions = c["max_position_embeddings"]
            self.pos_ebd_size = self.max_relative_positions
            if self.position_buckets > 0:
                self.pos_ebd_size = self.position_buckets
            self.pos_dropout = nn.Dropout(c["hidden_dropout_prob"])
            if not self.share_att_key:
                if "c2p" in self.pos_att_type:
                    self.pos_key_proj = nn.Linear(c["hidden_size"], self.all_head_size, bias=True)
                if "p2c" in self.pos_att_type:
                    self.pos_query_proj = nn.Linear(c["hidden_size"], self.all_head_size)
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])

    def transpose_for_scores(self, x):
        x = x.view(x.size()[:-1] + (self.num_attention_heads, -1))
        return x.permute(0, 2, 1, 3).contiguous().view(-1, x.size(1), x.size(-1))

    def forward(self, hidden_states, attention_mask, relative_pos, rel_embeddings):
        query_layer = self.transpose_for_scores(self.query_proj(hidden_states))
        key_layer = self.transpose_for_scores(self.key_proj(hidden_states))
        value_layer = self.transpose_for_scores(self.value_proj(hidden_states))
        scale_factor = 1 + ("c2p" in self.pos_att_type) + ("p2c" in self.pos_att_type)
        scale = scaled_size_sqrt(query_layer, scale_factor)
        scores = torch.bmm(query_layer, key_layer.transpose(-1, -2) / scale.to(dtype=query_layer.dtype))
        if self.relative_attention:
            rel_embeddings = self.pos_dropout(rel_embeddings)
            scores = scores + self.disentangled_attention_bias(
                query_layer, key_layer, relative_pos, rel_embeddings, scale_factor)
        scores = scores.view(-1, self.num_attention_heads, scores.size(-2), scores.size(-1))
        scores = scores.masked_fill(~attention_mask.bool(), torch.finfo(query_layer.dtype).min)
        probs = self.dropout(nn.functional.softmax(scores, dim=-1))
        context = torch.bmm(probs.view(-1, probs.size(-2), probs.size(-1)), value_layer)
        context = context.view(-1, self.num_attention_heads, context.size(-2), context.size(-1))
        context = context.permute(0, 2, 1, 3).contiguous()
        return context.view(context.size()[:-2] + (-1,))

    def disentangled_attention_bias(self, query_layer, key_layer, relative_pos, rel_embeddings,
                                    scale_factor):
        relative_pos = relative_pos.unsqueeze(1)  # [1, 1, q, k]
        att_span = self.pos_ebd_size
        rel_embeddings = rel_embeddings[0:att_span * 2, :].unsqueeze(0)
        n = query_layer.size(0) // self.num_attention_heads
        if self.share_att_key:
            pos_query_layer = self.transpose_for_scores(self.query_proj(rel_embeddings)).repeat(n, 1, 1)
            pos_key_layer = self.transpose_for_scores(self.key_proj(rel_embeddings)).repeat(n, 1, 1)
        else:
            if "c2p" in self.pos_att_type:
                pos_key_layer = self.transpose_for_scores(self.pos_key_proj(rel_embeddings)).repeat(n, 1, 1)
            if "p2c" in self.pos_att_type:
                pos_query_layer = self.transpose_for_scores(self.pos_query_proj(rel_embeddings)).repeat(n, 1, 1)
        score = 0
        if "c2p" in self.pos_att_type:
            scale = scaled_size_sqrt(pos_key_layer, scale_factor)
            c2p_att = torch.bmm(query_layer, pos_key_layer.transpose(-1, -2))
            c2p_pos = torch.clamp(relative_pos + att_span, 0, att_span * 2 - 1)
            c2p_att = torch.gather(c2p_att, dim=-1, index=c2p_pos.squeeze(0).expand(
                [query_layer.size(0), query_layer.size(1), relative_pos.size(-1)]))
            score += c2p_att / scale.to(dtype=c2p_att.dtype)
        if "p2c" in self.pos_att_type:
            scale = scaled_size_sqrt(pos_query_layer, scale_factor)
            # build_rpos: query and key have the same length here, so r_pos is relative_pos
            p2c_pos = torch.clamp(-relative_pos + att_span, 0, att_span * 2 - 1)
            p2c_att = torch.bmm(key_layer, pos_query_layer.transpose(-1, -2))
            p2c_att = torch.gather(p2c_att, dim=-1, index=p2c_pos.squeeze(0).expand(
                [query_layer.size(0), key_layer.size(-2), key_layer.size(-2)])).transpose(-1, -2)
            score += p2c_att / scale.to(dtype=p2c_att.dtype)
        return score


class DebertaV2SelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, hidden_states, input_tensor):
        return self.LayerNorm(self.dropout(self.dense(hidden_states)) + input_tensor)


class DebertaV2Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = DisentangledSelfAttention(c)
        self.output = DebertaV2SelfOutput(c)

    def forward(self, hidden_states, attention_mask, relative_pos, rel_embeddings):
        return self.output(self.self(hidden_states, attention_mask, relative_pos, rel_embeddings),
                           hidden_states)


class DebertaV2Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.act = act(c["hidden_act"])

    def forward(self, x):
        return self.act(self.dense(x))


class DebertaV2Output(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["intermediate_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, hidden_states, input_tensor):
        return self.LayerNorm(self.dropout(self.dense(hidden_states)) + input_tensor)


class DebertaV2Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = DebertaV2Attention(c)
        self.intermediate = DebertaV2Intermediate(c)
        self.output = DebertaV2Output(c)

    def forward(self, hidden_states, attention_mask, relative_pos, rel_embeddings):
        a = self.attention(hidden_states, attention_mask, relative_pos, rel_embeddings)
        return self.output(self.intermediate(a), a)


class ConvLayer(nn.Module):
    """DeBERTa-v2-xlarge's convolution after the first layer (conv_kernel_size > 0)."""

    def __init__(self, c):
        super().__init__()
        kernel_size = c.get("conv_kernel_size", 3)
        groups = c.get("conv_groups", 1)
        self.conv_act = act(c.get("conv_act", "tanh"))
        self.conv = nn.Conv1d(c["hidden_size"], c["hidden_size"], kernel_size,
                              padding=(kernel_size - 1) // 2, groups=groups)
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, hidden_states, residual_states, input_mask):
        out = self.conv(hidden_states.permute(0, 2, 1).contiguous()).permute(0, 2, 1).contiguous()
        rmask = (1 - input_mask).bool()
        out.masked_fill_(rmask.unsqueeze(-1).expand(out.size()), 0)
        out = self.conv_act(self.dropout(out))
        output = self.LayerNorm(residual_states + out)
        return output * input_mask.unsqueeze(2).to(output.dtype)


class DebertaV2Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([DebertaV2Layer(c) for _ in range(c["num_hidden_layers"])])
        self.relative_attention = c.get("relative_attention", False)
        if self.relative_attention:
            self.max_relative_positions = c.get("max_relative_positions", -1)
            if self.max_relative_positions < 1:
                self.max_relative_positions = c["max_position_embeddings"]
            self.position_buckets = c.get("position_buckets", -1)
            pos_ebd_size = self.max_relative_positions * 2
            if self.position_buckets > 0:
                pos_ebd_size = self.position_buckets * 2
            self.rel_embeddings = nn.Embedding(pos_ebd_size, c["hidden_size"])
        self.norm_rel_ebd = [x.strip() for x in c.get("norm_rel_ebd", "none").lower().split("|")]
        if "layer_norm" in self.norm_rel_ebd:
            self.LayerNorm = nn.LayerNorm(c["hidden_size"], c["layer_norm_eps"], elementwise_affine=True)
        self.conv = ConvLayer(c) if c.get("conv_kernel_size", 0) > 0 else None

    def get_rel_embedding(self):
        rel = self.rel_embeddings.weight if self.relative_attention else None
        if rel is not None and "layer_norm" in self.norm_rel_ebd:
            rel = self.LayerNorm(rel)
        return rel

    def forward(self, hidden_states, attention_mask, trace=None):
        ext = attention_mask.unsqueeze(1).unsqueeze(2)
        mask4 = ext * ext.squeeze(-2).unsqueeze(-1)  # [b, 1, t, t]
        relative_pos = None
        if self.relative_attention:
            t = hidden_states.size(-2)
            relative_pos = build_relative_position(t, t, self.position_buckets, self.max_relative_positions)
        rel_embeddings = self.get_rel_embedding()
        next_kv = hidden_states
        for i, layer in enumerate(self.layer):
            output_states = layer(next_kv, mask4, relative_pos, rel_embeddings)
            if i == 0 and self.conv is not None:
                output_states = self.conv(hidden_states, output_states, attention_mask)
            next_kv = output_states
            if trace is not None:
                trace.append(output_states)
        return next_kv


class DebertaV2Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.hidden_size = c["hidden_size"]
        self.embedding_size = c.get("embedding_size", c["hidden_size"])
        self.word_embeddings = nn.Embedding(c["vocab_size"], self.embedding_size,
                                            padding_idx=c["pad_token_id"])
        self.position_biased_input = c.get("position_biased_input", True)
        if self.position_biased_input:
            self.position_embeddings = nn.Embedding(c["max_position_embeddings"], self.embedding_size)
        self.type_vocab_size = c["type_vocab_size"]
        if self.type_vocab_size > 0:
            self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], self.embedding_size)
        if self.embedding_size != c["hidden_size"]:
            self.embed_proj = nn.Linear(self.embedding_size, c["hidden_size"], bias=False)
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, input_ids, token_type_ids, mask):
        t = input_ids.size(1)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        embeddings = self.word_embeddings(input_ids)
        if self.position_biased_input:
            embeddings = embeddings + self.position_embeddings(torch.arange(t).unsqueeze(0))
        if self.type_vocab_size > 0:
            embeddings = embeddings + self.token_type_embeddings(token_type_ids)
        if self.embedding_size != self.hidden_size:
            embeddings = self.embed_proj(embeddings)
        embeddings = self.LayerNorm(embeddings)
        embeddings = embeddings * mask.unsqueeze(2).to(embeddings.dtype)
        return self.dropout(embeddings)


class DebertaV2Model(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = DebertaV2Embeddings(c)
        self.encoder = DebertaV2Encoder(c)

    def forward(self, input_ids, attention_mask, token_type_ids, trace=None):
        h = self.embeddings(input_ids, token_type_ids, attention_mask)
        if trace is not None:
            trace.append(h)
        return self.encoder(h, attention_mask, trace)


class ContextPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["pooler_hidden_size"], c["pooler_hidden_size"])
        self.dropout = nn.Dropout(c["pooler_dropout"])
        self.act = act(c["pooler_hidden_act"])

    def forward(self, hidden_states):
        return self.act(self.dense(self.dropout(hidden_states[:, 0])))


class DebertaV2ForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.deberta = DebertaV2Model(c)
        self.pooler = ContextPooler(c)
        self.classifier = nn.Linear(c["hidden_size"], c["num_labels"])
        drop_out = c.get("cls_dropout")
        self.dropout = nn.Dropout(c["hidden_dropout_prob"] if drop_out is None else drop_out)

    def forward(self, input_ids, attention_mask, token_type_ids=None, trace=None):
        h = self.deberta(input_ids, attention_mask, token_type_ids, trace)
        pooled = self.pooler(h)
        if trace is not None:
            trace.append(pooled)
        return self.classifier(self.dropout(pooled))

    def padding_rows(self, c):
        return {"deberta.embeddings.word_embeddings.weight": c["pad_token_id"]}


def set_dropout(model, p):
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.p = p
