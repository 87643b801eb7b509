/**
 * Deterministic WordNet 3.1 datasets for the demo: a reverse-dictionary reranking task, binary
 * (definition, words) pairs and multi-label (word, word) relation pairs, split by word so that
 * nothing leaks between train, dev and test. See {@link
 * dev.ce4j.examples.demo.wordnet.WordNetDatasets}.
 */
package dev.ce4j.examples.demo.wordnet;
