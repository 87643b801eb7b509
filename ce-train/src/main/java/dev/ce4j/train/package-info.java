/**
 * The reproducible trainer: {@link dev.ce4j.train.CrossEncoderTrainer} (a {@link
 * dev.ce4j.api.train.Trainer}) trains a cross-encoder from a {@link
 * dev.ce4j.train.config.TrainingArguments}, checkpoints it crash-safely, resumes it bit for bit
 * and records a replayable manifest. Sub-packages hold its parts: configuration, data, sampling,
 * losses, optimiser, schedules, checkpoints, manifests, progress, mining, and reproduction of a
 * recorded run.
 */
package dev.ce4j.train;
