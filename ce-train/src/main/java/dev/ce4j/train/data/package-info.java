/**
 * Training and evaluation data: JSON Lines readers that reject every bad record before training
 * starts (naming file and line), in-memory datasets of pairs and of listwise queries, their
 * conversion to {@link dev.ce4j.api.eval.Samples} for evaluators, and SHA-256 digests of data
 * files for the run manifest.
 */
package dev.ce4j.train.data;
