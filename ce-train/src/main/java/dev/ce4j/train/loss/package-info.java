/**
 * Training losses, as sentence-transformers defines them in {@code cross_encoder/losses}: each
 * maps the model's logits (and labels, and for lists a mask of valid documents) to a scalar
 * {@code NDArray} that autograd differentiates. {@link dev.ce4j.train.loss.Loss} is the common
 * interface; {@link dev.ce4j.train.loss.LossInput} says how a loss expects its batch laid out.
 */
package dev.ce4j.train.loss;
