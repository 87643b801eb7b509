/**
 * Training benchmarks: {@code ce}'s {@link dev.ce4j.train.CrossEncoderTrainer} against PyTorch
 * eager on the same all-MiniLM-L6-v2 training steps, measured side by side in one run ({@link
 * dev.ce4j.benchmarks.train.TrainingSpeedBenchmark}), and the resident memory of a long run
 * ({@link dev.ce4j.benchmarks.train.TrainingRssBenchmark}); {@code main} programs, not tests.
 */
package dev.ce4j.benchmarks.train;
