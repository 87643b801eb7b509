/**
 * Import of a BERT encoder from an ONNX export (for example all-MiniLM-L6-v2), without any deep
 * learning engine.
 *
 * <p>{@link dev.ce4j.core.onnx.OnnxBertImporter} parses the ONNX protobuf with protobuf-java
 * (classes generated from the vendored {@code onnx.proto}), recovers the Hugging Face name of every
 * weight from the graph (an exporter that folds the transpose of a {@code Linear} weight stores it
 * as an anonymous {@code [in, out]} {@code MatMul} input; the importer follows the {@code MatMul ->
 * Add(bias)} edge to find the layer and transposes the weight back to Hugging Face's {@code [out,
 * in]}), infers the architecture ({@link dev.ce4j.core.onnx.ImportedBertConfig}) and returns the
 * tensors as {@link dev.ce4j.core.onnx.NamedTensor}s with the {@code bert.}-prefixed names that
 * {@code BertForSequenceClassification} uses. {@link dev.ce4j.core.onnx.OnnxImport} adds a seeded
 * pooler (when the graph has none) and classifier and writes a complete model folder.
 *
 * <p>Nothing here loads a deep learning engine.
 */
package dev.ce4j.core.onnx;
