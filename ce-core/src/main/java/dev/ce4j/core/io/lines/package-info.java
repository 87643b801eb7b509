/**
 * Line-oriented input files, read one line at a time: {@link dev.ce4j.core.io.lines.TextLines} splits
 * a UTF-8 text file into lines (every {@code ce} input file that has one entry per line) and {@link
 * dev.ce4j.core.io.lines.JsonLines} parses each line as one JSON value (training data, predictions,
 * pairs to score) and writes JSON Lines files.
 *
 * <p>Every problem is an {@link dev.ce4j.api.InvalidInputException} whose message starts with the
 * file and the 1-based line, {@code FILE, line N[, column C]: ...}, the line counted as editors
 * count it.
 */
package dev.ce4j.core.io.lines;
