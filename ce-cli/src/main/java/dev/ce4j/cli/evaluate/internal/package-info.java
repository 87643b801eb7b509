/**
 * How {@code ce evaluate} reads predictions and writes metrics: the JSON Lines format of each
 * {@link dev.ce4j.api.eval.InputKind} and the JSON form of an
 * {@link dev.ce4j.api.eval.Evaluation}. Not API.
 */
package dev.ce4j.cli.evaluate.internal;
