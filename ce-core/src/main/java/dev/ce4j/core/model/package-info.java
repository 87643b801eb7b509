/**
 * The model: {@link dev.ce4j.core.model.BertConfig} and a forward pass that computes exactly what
 * Hugging Face's {@code BertForSequenceClassification} computes, written with DJL NDArray
 * operations on one parameter array per Hugging Face tensor name ({@link
 * dev.ce4j.core.model.BertWeights}), so that loading, saving, gradients and optimiser state are all
 * keyed by the names transformers uses. At inference the same pass also runs as one TorchScript call
 * ({@link dev.ce4j.core.model.BertScript}), bit for bit the same logits.
 */
package dev.ce4j.core.model;
