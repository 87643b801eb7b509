/**
 * A multi-class cross-encoder: {@link dev.ce4j.examples.usage.multiclass.WordNetNli} builds a
 * balanced natural-language-inference dataset from WordNet 3.1 and {@link
 * dev.ce4j.examples.usage.multiclass.TrainNliClassifier} trains a three-class model on it with the
 * cross-entropy loss, evaluated with {@code multiclass-classification}.
 */
package dev.ce4j.examples.usage.multiclass;
