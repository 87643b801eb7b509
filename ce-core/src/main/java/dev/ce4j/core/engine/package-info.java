/**
 * Access to DJL's PyTorch engine: the one place that names the engine, reports its native library
 * and thread count, switches autograd off for inference on the calling thread, and sets libtorch's
 * global determinism switches ({@link dev.ce4j.core.engine.TorchDeterminism}).
 */
package dev.ce4j.core.engine;
