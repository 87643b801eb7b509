/** Helpers shared by the benchmarks; not an API. */
package dev.ce4j.benchmarks.internal;
