/**
 * Tests of the BOM: its contents against the parent's modules; the downstream build that imports
 * it lives in {@code src/it/downstream} and is run by maven-invoker-plugin.
 */
package dev.ce4j.bomcheck;
