/**
 * The optimiser: {@link dev.ce4j.train.optim.AdamW}, which reproduces {@code torch.optim.AdamW}'s
 * update with transformers' parameter groups, and {@link dev.ce4j.train.optim.GradientClipping}
 * by global L2 norm. Both work in place on the live parameter {@code NDArray}s of DJL's PyTorch
 * engine and their gradients.
 */
package dev.ce4j.train.optim;
