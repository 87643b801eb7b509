/**
 * RoBERTa and XLM-RoBERTa ({@code model_type} {@code roberta} and {@code xlm-roberta}, one
 * architecture with the id {@code roberta}): exactly what Hugging Face's {@code
 * RobertaForSequenceClassification} and {@code XLMRobertaForSequenceClassification} compute, as a
 * table of the shared encoder ({@link dev.ce4j.core.arch.roberta.RobertaArchitecture#layout}) over
 * one parameter array per Hugging Face tensor name ({@link
 * dev.ce4j.core.arch.roberta.RobertaTensors}). Positions are counted after the padding index, as
 * transformers counts them from the token ids; the head is {@code dropout, dense, tanh, dropout,
 * out_proj} on the first token ({@code <s>}).
 */
package dev.ce4j.core.arch.roberta;
