/**
 * Small evaluators for the command-line tests: they echo simple sums of what they read, so a
 * test can check that each input format was parsed exactly. Registered in the test
 * {@code META-INF/services} file, except those used only as plugins.
 */
package dev.ce4j.cli.testing;
