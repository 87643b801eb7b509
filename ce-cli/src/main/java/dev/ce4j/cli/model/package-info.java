/**
 * The model commands: {@code ce import-onnx} and {@code ce init} write model folders (an imported
 * ONNX encoder, or seeded random weights), {@code ce predict} scores (query, document) pairs,
 * {@code ce rank} ranks documents for a query, and {@code ce fingerprint} hashes a model's
 * weights. Models are {@link dev.ce4j.core.CrossEncoder}s from {@code ce-core}; the native engine
 * is loaded only when a command that runs a model runs, and each such command reports its device
 * on standard error.
 */
package dev.ce4j.cli.model;
