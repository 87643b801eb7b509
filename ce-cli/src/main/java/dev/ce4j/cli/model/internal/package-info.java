/**
 * How the model commands read their inputs and write their outputs: JSON Lines pairs, documents
 * one per line, score lines, the output-folder check and the {@code --device} option. Not API.
 */
package dev.ce4j.cli.model.internal;
