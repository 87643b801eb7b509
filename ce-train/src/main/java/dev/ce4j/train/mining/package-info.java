/**
 * Seeded hard-negative mining with BM25 (Lucene): for each query, candidates from an in-memory
 * BM25 index of the corpus, its positives excluded, chosen by rank or by seeded sampling within a
 * rank range, optionally filtered by score margins; as sentence-transformers' {@code
 * mine_hard_negatives}, reproducibly.
 */
package dev.ce4j.train.mining;
