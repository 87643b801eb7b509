/**
 * Access to DJL's PyTorch engine: the one place that names the engine, reports its native library
 * and thread count, switches autograd off for inference on the calling thread, and sets libtorch's
 * global determinism switches ({@link dev.ce4j.core.engine.TorchDeterminism}), and loads code-only
 * TorchScript modules built in memory ({@link dev.ce4j.core.engine.TorchScriptArchive}).
 */
package dev.ce4j.core.engine;
