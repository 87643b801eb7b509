/**
 * BERT ({@code model_type} {@code bert}): exactly what Hugging Face's {@code
 * BertForSequenceClassification} computes, as a table of the shared encoder ({@link
 * dev.ce4j.core.arch.bert.BertArchitecture#layout}) over one parameter array per Hugging Face tensor
 * name ({@link dev.ce4j.core.arch.bert.BertTensors}).
 */
package dev.ce4j.core.arch.bert;
