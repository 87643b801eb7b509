/**
 * Replaying a recorded run: {@link dev.ce4j.train.reproduce.Reproducer} retrains from a run's
 * {@code run.json} and reports a bitwise match or the first point of divergence.
 */
package dev.ce4j.train.reproduce;
