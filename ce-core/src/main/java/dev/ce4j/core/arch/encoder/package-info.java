/**
 * The shared BERT-shaped encoder: post-LayerNorm layers of multi-head self-attention and a
 * feed-forward block under a classification head on the first token, run from a table of tensor
 * names and switches ({@link dev.ce4j.core.arch.encoder.EncoderLayout}) by an operation-by-operation
 * pass ({@link dev.ce4j.core.arch.encoder.EncoderClassifier}, what training differentiates) and by
 * one generated TorchScript call ({@link dev.ce4j.core.arch.encoder.EncoderScript}, what scoring
 * runs). BERT, RoBERTa, XLM-RoBERTa, ELECTRA and DistilBERT are tables of it.
 */
package dev.ce4j.core.arch.encoder;
