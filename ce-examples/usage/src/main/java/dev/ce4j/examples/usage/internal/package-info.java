/**
 * What the examples share and nothing outside them should use: argument parsing ({@link
 * dev.ce4j.examples.usage.internal.Arguments}), the exit status of a {@code main} ({@link
 * dev.ce4j.examples.usage.internal.ExampleMain}), output folders ({@link
 * dev.ce4j.examples.usage.internal.OutputFolder}), the engine's thread pinning ({@link
 * dev.ce4j.examples.usage.internal.EngineThreads}), progress lines ({@link
 * dev.ce4j.examples.usage.internal.Progress}) and the tiny model fixture ({@link
 * dev.ce4j.examples.usage.internal.TinyFixture}).
 */
package dev.ce4j.examples.usage.internal;
