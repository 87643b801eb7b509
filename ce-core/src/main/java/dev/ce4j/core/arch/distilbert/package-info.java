/**
 * DistilBERT ({@code model_type} {@code distilbert}): exactly what Hugging Face's {@code
 * DistilBertForSequenceClassification} computes, as a table of the shared encoder ({@link
 * dev.ce4j.core.arch.distilbert.DistilBertArchitecture#layout}) over one parameter array per Hugging
 * Face tensor name ({@link dev.ce4j.core.arch.distilbert.DistilBertTensors}): word and position
 * embeddings (no token types), post-LayerNorm blocks with GELU or ReLU feed-forward, and {@code
 * pre_classifier}, ReLU, {@code classifier} on the first token.
 */
package dev.ce4j.core.arch.distilbert;
