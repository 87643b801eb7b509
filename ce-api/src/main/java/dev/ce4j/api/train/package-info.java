/**
 * The {@link dev.ce4j.api.train.Trainer} contract: something that trains a model to completion
 * (or resumes it) and reports a {@link dev.ce4j.api.train.TrainingResult}.
 */
package dev.ce4j.api.train;
