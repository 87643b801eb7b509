"""Torch transcriptions of transformers' sequence-classification models for RoBERTa /
XLM-RoBERTa, ELECTRA and DistilBERT, with transformers' module and parameter names, so that
state_dict() keys are the tensor names of model.safetensors.

Transcribed from huggingface/transformers (v5 line):
  models/bert/modeling_bert.py           BertSelfAttention / eager_attention_forward, BertSelfOutput,
                                         BertIntermediate, BertOutput, BertLayer (used by RoBERTa
                                         and ELECTRA: their layers are copies of BERT's)
  models/roberta/modular_roberta.py      commit 296fd445: RobertaEmbeddings (position ids from
                                         input ids, counted from padding_idx + 1 over non-padding
                                         tokens; token_type_ids default to zeros),
                                         RobertaClassificationHead, RobertaForSequenceClassification
  models/xlm_roberta                     XLMRobertaForSequenceClassification = the RoBERTa model
  models/electra/modeling_electra.py     commit 4770c6d8: ElectraEmbeddings (embedding_size),
                                         embeddings_project when embedding_size != hidden_size,
                                         ElectraClassificationHead (dense -> gelu -> out_proj)
  models/distilbert/modular_distilbert.py commit c27dd37e: Embeddings (no token types, LayerNorm eps
                                         1e-12 fixed), DistilBertSelfAttention (q_lin/k_lin/v_lin/
                                         out_lin), FFN (lin1 -> activation -> lin2), TransformerBlock
                                         (sa_layer_norm, output_layer_norm, eps 1e-12 fixed),
                                         DistilBertForSequenceClassification (pre_classifier -> ReLU
                                         -> dropout -> classifier on the first token)
Attention is transformers' "eager" path: softmax(q k^T * head_dim^-0.5 + mask) v, the mask 0 for
kept keys and the dtype's most negative value for padding (create_bidirectional_mask). "gelu" is
the exact erf GELU (ACT2FN["gelu"] = GELUActivation), "relu" is ReLU.
"""
import torch
from torch import nn


def activation(name):
    if name == "gelu":
        return nn.GELU()
    if name == "relu":
        return nn.ReLU()
    raise ValueError("activation " + name)


def additive_mask(attention_mask, dtype):
    """[batch, seq] of 1/0 -> [batch, 1, 1, seq] of 0 / finfo(dtype).min."""
    m = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - m) * torch.finfo(dtype).min


def eager_attention(module, query, key, value, mask, scaling, dropout_p):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if mask is not None:
        attn_weights = attn_weights + mask
    attn_weights = nn.functional.softmax(attn_weights, dim=-1)
    attn_weights = nn.functional.dropout(attn_weights, p=dropout_p, training=module.training)
    attn_output = torch.matmul(attn_weights, value)
    return attn_output.transpose(1, 2).contiguous()


# ---------------------------------------------------------------------------------------------
# BERT-style encoder (RoBERTa, XLM-RoBERTa, ELECTRA)
# ---------------------------------------------------------------------------------------------
class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.num_attention_heads = c["num_attention_heads"]
        self.attention_head_size = c["hidden_size"] // c["num_attention_heads"]
        self.all_head_size = self.num_attention_heads * self.attention_head_size
        self.query = nn.Linear(c["hidden_size"], self.all_head_size)
        self.key = nn.Linear(c["hidden_size"], self.all_head_size)
        self.value = nn.Linear(c["hidden_size"], self.all_head_size)
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])
        self.scaling = self.attention_head_size ** -0.5

    def forward(self, hidden_states, mask):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.attention_head_size)
        q = self.query(hidden_states).view(hidden_shape).transpose(1, 2)
        k = self.key(hidden_states).view(hidden_shape).transpose(1, 2)
        v = self.value(hidden_states).view(hidden_shape).transpose(1, 2)
        out = eager_attention(self, q, k, v, mask, self.scaling, self.dropout.p)
        return out.reshape(*input_shape, -1).contiguous()


class BertSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, hidden_states, input_tensor):
        hidden_states = self.dropout(self.dense(hidden_states))
        return self.LayerNorm(hidden_states + input_tensor)


class BertAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertSelfOutput(c)

    def forward(self, hidden_states, mask):
        return self.output(self.self(hidden_states, mask), hidden_states)


class BertIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.intermediate_act_fn = activation(c["hidden_act"])

    def forward(self, hidden_states):
        return self.intermediate_act_fn(self.dense(hidden_states))


class BertOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["intermediate_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, hidden_states, input_tensor):
        hidden_states = self.dropout(self.dense(hidden_states))
        return self.LayerNorm(hidden_states + input_tensor)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, hidden_states, mask):
        attention_output = self.attention(hidden_states, mask)
        return self.output(self.intermediate(attention_output), attention_output)


class BertEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, hidden_states, mask, trace=None):
        for layer in self.layer:
            hidden_states = layer(hidden_states, mask)
            if trace is not None:
                trace.append(hidden_states)
        return hidden_states


# ---------------------------------------------------------------------------------------------
# RoBERTa / XLM-RoBERTa
# ---------------------------------------------------------------------------------------------
def create_position_ids_from_input_ids(input_ids, padding_idx, past_key_values_length=0):
    """Non-padding tokens get padding_idx + 1, padding_idx + 2, ...; padding gets padding_idx."""
    mask = input_ids.ne(padding_idx).int()
    incremental_indices = (torch.cumsum(mask, dim=1).type_as(mask) + past_key_values_length) * mask
    return incremental_indices.long() + padding_idx


class RobertaEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        # registration order of transformers 5 (the modular file deletes and re-creates
        # position_embeddings, so it comes last)
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"],
                                            padding_idx=c["pad_token_id"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])
        self.padding_idx = c["pad_token_id"]
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"],
                                                padding_idx=self.padding_idx)

    def forward(self, input_ids, token_type_ids=None):
        position_ids = create_position_ids_from_input_ids(input_ids, self.padding_idx)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        embeddings = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        embeddings = embeddings + self.position_embeddings(position_ids)
        return self.dropout(self.LayerNorm(embeddings))


class RobertaModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = RobertaEmbeddings(c)
        self.encoder = BertEncoder(c)  # add_pooling_layer=False: no pooler

    def forward(self, input_ids, attention_mask, trace=None):
        h = self.embeddings(input_ids)
        if trace is not None:
            trace.append(h)
        return self.encoder(h, additive_mask(attention_mask, h.dtype), trace)


class RobertaClassificationHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        p = c["classifier_dropout"] if c["classifier_dropout"] is not None else c["hidden_dropout_prob"]
        self.dropout = nn.Dropout(p)
        self.out_proj = nn.Linear(c["hidden_size"], c["num_labels"])

    def forward(self, features, trace=None):
        x = features[:, 0, :]
        x = self.dropout(x)
        x = torch.tanh(self.dense(x))
        if trace is not None:
            trace.append(x)
        x = self.dropout(x)
        return self.out_proj(x)


class RobertaForSequenceClassification(nn.Module):
    """Also XLMRobertaForSequenceClassification (same modules and names)."""

    def __init__(self, c):
        super().__init__()
        self.roberta = RobertaModel(c)
        self.classifier = RobertaClassificationHead(c)

    def forward(self, input_ids, attention_mask, token_type_ids=None, trace=None):
        return self.classifier(self.roberta(input_ids, attention_mask, trace), trace)

    def padding_rows(self, c):
        return {"roberta.embeddings.word_embeddings.weight": c["pad_token_id"],
                "roberta.embeddings.position_embeddings.weight": c["pad_token_id"]}


# ---------------------------------------------------------------------------------------------
# ELECTRA
# ---------------------------------------------------------------------------------------------
class ElectraEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        e = c["embedding_size"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], e, padding_idx=c["pad_token_id"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], e)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], e)
        self.LayerNorm = nn.LayerNorm(e, eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, input_ids, token_type_ids):
        position_ids = torch.arange(input_ids.shape[1])[None, :]
        embeddings = (self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
                      + self.position_embeddings(position_ids))
        return self.dropout(self.LayerNorm(embeddings))


class ElectraModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = ElectraEmbeddings(c)
        if c["embedding_size"] != c["hidden_size"]:
            self.embeddings_project = nn.Linear(c["embedding_size"], c["hidden_size"])
        self.encoder = BertEncoder(c)

    def forward(self, input_ids, attention_mask, token_type_ids, trace=None):
        h = self.embeddings(input_ids, token_type_ids)
        if hasattr(self, "embeddings_project"):
            h = self.embeddings_project(h)
        if trace is not None:
            trace.append(h)
        return self.encoder(h, additive_mask(attention_mask, h.dtype), trace)


class ElectraClassificationHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        p = c["classifier_dropout"] if c["classifier_dropout"] is not None else c["hidden_dropout_prob"]
        self.activation = nn.GELU()  # get_activation("gelu"), whatever hidden_act says
        self.dropout = nn.Dropout(p)
        self.out_proj = nn.Linear(c["hidden_size"], c["num_labels"])

    def forward(self, features, trace=None):
        x = features[:, 0, :]
        x = self.dropout(x)
        x = self.activation(self.dense(x))
        if trace is not None:
            trace.append(x)
        x = self.dropout(x)
        return self.out_proj(x)


class ElectraForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.electra = ElectraModel(c)
        self.classifier = ElectraClassificationHead(c)

    def forward(self, input_ids, attention_mask, token_type_ids, trace=None):
        return self.classifier(self.electra(input_ids, attention_mask, token_type_ids, trace), trace)

    def padding_rows(self, c):
        return {"electra.embeddings.word_embeddings.weight": c["pad_token_id"]}


# ---------------------------------------------------------------------------------------------
# DistilBERT
# ---------------------------------------------------------------------------------------------
class DistilBertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["dim"], padding_idx=c["pad_token_id"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["dim"])
        self.LayerNorm = nn.LayerNorm(c["dim"], eps=1e-12)
        self.dropout = nn.Dropout(c["dropout"])

    def forward(self, input_ids):
        position_ids = torch.arange(input_ids.shape[1])[None, :]
        embeddings = self.word_embeddings(input_ids) + self.position_embeddings(position_ids)
        return self.dropout(self.LayerNorm(embeddings))


class DistilBertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_heads = c["n_heads"]
        self.dim = c["dim"]
        self.attention_head_size = self.dim // self.n_heads
        self.scaling = self.attention_head_size ** -0.5
        self.q_lin = nn.Linear(c["dim"], c["dim"])
        self.k_lin = nn.Linear(c["dim"], c["dim"])
        self.v_lin = nn.Linear(c["dim"], c["dim"])
        self.out_lin = nn.Linear(c["dim"], c["dim"])
        self.dropout = nn.Dropout(p=c["attention_dropout"])

    def forward(self, hidden_states, mask):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.attention_head_size)
        q = self.q_lin(hidden_states).view(*hidden_shape).transpose(1, 2)
        k = self.k_lin(hidden_states).view(*hidden_shape).transpose(1, 2)
        v = self.v_lin(hidden_states).view(*hidden_shape).transpose(1, 2)
        out = eager_attention(self, q, k, v, mask, self.scaling, self.dropout.p)
        return self.out_lin(out.reshape(*input_shape, -1).contiguous())


class FFN(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dropout = nn.Dropout(p=c["dropout"])
        self.lin1 = nn.Linear(c["dim"], c["hidden_dim"])
        self.lin2 = nn.Linear(c["hidden_dim"], c["dim"])
        self.activation = activation(c["activation"])

    def forward(self, x):
        return self.dropout(self.lin2(self.activation(self.lin1(x))))


class TransformerBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = DistilBertSelfAttention(c)
        self.sa_layer_norm = nn.LayerNorm(c["dim"], eps=1e-12)
        self.ffn = FFN(c)
        self.output_layer_norm = nn.LayerNorm(c["dim"], eps=1e-12)

    def forward(self, hidden_states, mask):
        attention_output = self.sa_layer_norm(self.attention(hidden_states, mask) + hidden_states)
        return self.output_layer_norm(self.ffn(attention_output) + attention_output)


class DistilBertTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([TransformerBlock(c) for _ in range(c["n_layers"])])

    def forward(self, hidden_states, mask, trace=None):
        for layer in self.layer:
            hidden_states = layer(hidden_states, mask)
            if trace is not None:
                trace.append(hidden_states)
        return hidden_states


class DistilBertModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = DistilBertEmbeddings(c)
        self.transformer = DistilBertTransformer(c)

    def forward(self, input_ids, attention_mask, trace=None):
        h = self.embeddings(input_ids)
        if trace is not None:
            trace.append(h)
        return self.transformer(h, additive_mask(attention_mask, h.dtype), trace)


class DistilBertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.distilbert = DistilBertModel(c)
        self.pre_classifier = nn.Linear(c["dim"], c["dim"])
        self.classifier = nn.Linear(c["dim"], c["num_labels"])
        self.dropout = nn.Dropout(c["seq_classif_dropout"])

    def forward(self, input_ids, attention_mask, token_type_ids=None, trace=None):
        hidden_state = self.distilbert(input_ids, attention_mask, trace)
        pooled_output = hidden_state[:, 0]
        pooled_output = nn.functional.relu(self.pre_classifier(pooled_output))
        if trace is not None:
            trace.append(pooled_output)
        pooled_output = self.dropout(pooled_output)
        return self.classifier(pooled_output)

    def padding_rows(self, c):
        return {"distilbert.embeddings.word_embeddings.weight": c["pad_token_id"]}


def set_dropout(model, p):
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.p = p
