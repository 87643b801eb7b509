/**
 * Choosing the device a model runs on: explicitly ({@code cpu}, {@code gpu}, {@code gpu:N}) or
 * automatically (the first GPU when DJL's PyTorch engine finds one, else the CPU).
 *
 * <p>GPUs need a CUDA build of libtorch: set {@code PYTORCH_FLAVOR} (for example {@code cu124}) or
 * point {@code PYTORCH_LIBRARY_PATH} at an installed libtorch. The bundled {@code
 * pytorch-native-cpu} library only runs on the CPU.
 */
package dev.ce4j.core.device;
