/**
 * Speed of the {@code ce} cross-encoder (DJL/PyTorch) against ONNX Runtime on the same
 * all-MiniLM-L6-v2 weights, measured side by side in one run; a {@code main} program, not a test.
 */
package dev.ce4j.benchmarks.core;
