/**
 * Helpers shared by the {@code ce} subcommands: error reporting and exit statuses, the
 * {@code --plugins} option, and typed access to the records of JSON Lines files (read by
 * {@code ce-core}'s {@link dev.ce4j.core.io.lines.JsonLines}) with line-accurate error messages.
 * Not API: these types may change without notice.
 */
package dev.ce4j.cli.internal;
