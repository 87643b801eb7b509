/**
 * Scoring and ranking with a saved model: {@link
 * dev.ce4j.examples.usage.scoring.ScoreAndRank} loads a model folder, scores (query, document)
 * pairs and ranks documents for a query.
 */
package dev.ce4j.examples.usage.scoring;
