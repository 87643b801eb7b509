/**
 * Helpers shared by the {@code ce} subcommands: error reporting and exit statuses, the
 * {@code --plugins} option, and reading JSON Lines files with line-accurate error messages. Not
 * API: these types may change without notice.
 */
package dev.ce4j.cli.internal;
