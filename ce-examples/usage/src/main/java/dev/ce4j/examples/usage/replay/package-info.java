/**
 * Reproducibility: {@link dev.ce4j.examples.usage.replay.ReplayRun} replays a run from its
 * manifest ({@code run.json}) and shows a match and a divergence.
 */
package dev.ce4j.examples.usage.replay;
