/**
 * BERT ({@code model_type} {@code bert}): a forward pass that computes exactly what Hugging Face's
 * {@code BertForSequenceClassification} computes, written with DJL NDArray operations on one
 * parameter array per Hugging Face tensor name ({@link dev.ce4j.core.arch.bert.BertTensors}), and
 * at inference the same pass as one TorchScript call ({@link dev.ce4j.core.arch.bert.BertScript}),
 * bit for bit the same logits, or with oneDNN products on the CPU.
 */
package dev.ce4j.core.arch.bert;
