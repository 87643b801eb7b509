/** Not API: executor-side caches, column checks and Spark error unwrapping shared by the jobs. */
package dev.ce4j.spark.internal;
