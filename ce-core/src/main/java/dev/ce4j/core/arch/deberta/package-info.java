/**
 * DeBERTa-v2 and DeBERTa-v3 ({@code model_type} {@code deberta-v2}): what Hugging Face's {@code
 * DebertaV2ForSequenceClassification} computes, written from DJL operations over one parameter
 * array per Hugging Face tensor name ({@link dev.ce4j.core.arch.deberta.DebertaV2Tensors}):
 * disentangled self-attention with content-to-position and position-to-content terms over
 * (log-bucketed) relative positions, optional absolute positions, token types and embedding
 * projection, DeBERTa-v2-xlarge's convolution after the first layer, and the {@code ContextPooler}
 * head. Transcribed from huggingface/transformers' v5
 * {@code models/deberta_v2/modeling_deberta_v2.py} and {@code configuration_deberta_v2.py}
 * (commits named in {@code ce-core/src/test/python/architectures/README.md}); checked against the
 * fixtures of {@code make_deberta_fixtures.py}.
 */
package dev.ce4j.core.arch.deberta;
