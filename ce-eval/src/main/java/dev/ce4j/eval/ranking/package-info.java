/**
 * Ranking metrics for rerankers: {@link dev.ce4j.eval.ranking.RerankingEvaluator} (id
 * {@code reranking}) reads scored, graded documents grouped by query and reports MRR@k, NDCG@k
 * and MAP, each handling tied scores without depending on input order.
 */
package dev.ce4j.eval.ranking;
