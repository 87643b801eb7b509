/**
 * How a {@link dev.ce4j.core.CrossEncoder} scores, call by call: {@link PredictOptions} (batch size,
 * {@link PredictActivation}, a {@link PredictionListener} for progress) and {@link RankOptions}, as
 * sentence-transformers' {@code CrossEncoder.predict} and {@code rank} take them.
 */
package dev.ce4j.core.predict;
