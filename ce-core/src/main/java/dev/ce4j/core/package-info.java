/**
 * {@code ce}'s core: {@link dev.ce4j.core.CrossEncoder}, a Hugging Face–compatible BERT
 * cross-encoder on DJL's PyTorch engine that loads and saves sentence-transformers model folders,
 * scores and ranks text pairs.
 *
 * <p>Sub-packages by capability: {@code model} (configuration, weights, forward pass), {@code io}
 * (safetensors, {@code config.json}, model folders), {@code tokenize}, {@code device}, {@code
 * engine} (the PyTorch engine, autograd mode), {@code seed} (the one place that seeds DJL's global
 * generators), {@code onnx} (importing encoders from ONNX exports).
 */
package dev.ce4j.core;
