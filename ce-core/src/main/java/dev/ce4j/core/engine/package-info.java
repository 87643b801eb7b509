/**
 * Access to DJL's PyTorch engine: the one place that names the engine, reports its native library
 * and thread count, and switches autograd off for inference on the calling thread.
 */
package dev.ce4j.core.engine;
