/**
 * The model: {@link dev.ce4j.core.model.BertConfig} and a forward pass that computes exactly what
 * Hugging Face's {@code BertForSequenceClassification} computes, written with DJL NDArray
 * operations on one parameter array per Hugging Face tensor name ({@link
 * dev.ce4j.core.model.BertWeights}), so that loading, saving, gradients and optimiser state are all
 * keyed by the names transformers uses.
 */
package dev.ce4j.core.model;
