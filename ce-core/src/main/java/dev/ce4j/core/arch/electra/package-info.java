/**
 * ELECTRA ({@code model_type} {@code electra}): exactly what Hugging Face's {@code
 * ElectraForSequenceClassification} computes (the discriminator's body with its optional embedding
 * projection, and ELECTRA's GELU classification head), as a table of the shared encoder ({@link
 * dev.ce4j.core.arch.electra.ElectraArchitecture#layout}) over one parameter array per Hugging Face
 * tensor name ({@link dev.ce4j.core.arch.electra.ElectraTensors}).
 */
package dev.ce4j.core.arch.electra;
