/**
 * The {@code ce} command line: {@link dev.ce4j.cli.CeCommand} is the entry point and holds one
 * subcommand per capability, each in its own sub-package ({@code evaluate}: {@code ce evaluators}
 * and {@code ce evaluate}). {@link dev.ce4j.cli.ExitCodes} documents what the process exit status
 * means. Helpers shared by the subcommands live in {@code dev.ce4j.cli.internal} and are not API.
 */
package dev.ce4j.cli;
