/**
 * The main job of the ce examples, {@code ./ce demo}: fine-tunes all-MiniLM-L6-v2 into a
 * WordNet reverse-dictionary reranker on the CPU, compares it with BM25 and with the model before
 * fine-tuning, trains a second, multi-label model on WordNet relations, and writes a report. See
 * {@link dev.ce4j.examples.demo.DemoMain}.
 */
package dev.ce4j.examples.demo;
