/**
 * Model architectures as plugins: the {@link dev.ce4j.core.arch.Architecture} extension point (one
 * family of Hugging Face {@code *ForSequenceClassification} models: its configuration, tensors,
 * initialisation, head and forward passes), the configuration every architecture shares ({@link
 * dev.ce4j.core.arch.ModelConfig}) and the registry that discovers architectures with {@link
 * java.util.ServiceLoader} ({@link dev.ce4j.core.arch.Architectures}). Each architecture lives in a
 * sub-package of its own, such as {@link dev.ce4j.core.arch.bert}.
 */
package dev.ce4j.core.arch;
