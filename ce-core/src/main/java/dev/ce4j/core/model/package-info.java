/**
 * What every architecture's model is made of: its weights by Hugging Face name on a device ({@link
 * dev.ce4j.core.model.ModelWeights}), a batch of inputs ({@link dev.ce4j.core.model.ModelInputs}),
 * tensors in Java memory ({@link dev.ce4j.core.model.FloatTensor}), seeded initialisation ({@link
 * dev.ce4j.core.model.WeightInit}) and the score activation ({@link
 * dev.ce4j.core.model.ScoreActivation}). The architectures themselves are in {@link
 * dev.ce4j.core.arch}.
 */
package dev.ce4j.core.model;
