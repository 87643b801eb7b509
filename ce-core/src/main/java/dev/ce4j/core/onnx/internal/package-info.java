/**
 * Non-API helpers of the ONNX import: tensor decoding, constant folding of shape arithmetic and the
 * graph look-ups that {@link dev.ce4j.core.onnx.OnnxBertImporter} builds on.
 */
package dev.ce4j.core.onnx.internal;
