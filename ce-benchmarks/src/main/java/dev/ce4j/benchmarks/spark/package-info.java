/** ce-spark's overhead: scoring in Spark {@code local[2]} next to single-JVM {@code predict}. */
package dev.ce4j.benchmarks.spark;
