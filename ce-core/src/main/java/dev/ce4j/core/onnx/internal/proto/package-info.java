/**
 * Java classes generated at build time by {@code protoc} from the vendored {@code onnx.proto}
 * ({@code src/main/proto}); the only class is {@code OnnxProto}. Not API: use {@link
 * dev.ce4j.core.onnx.OnnxBertImporter}.
 */
package dev.ce4j.core.onnx.internal.proto;
