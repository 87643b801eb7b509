package dev.ce4j.train;

import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.train.internal.InMemoryInputs;
import dev.ce4j.train.loss.Loss;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a {@link CrossEncoderTrainer.Builder} sets besides the arguments.
 *
 * @param inMemory the in-memory model and data, or null when the arguments name files
 * @param output the output folder, never null
 * @param resume whether to continue from the latest complete checkpoint
 * @param force whether to resume although the run differs from the checkpoint's
 * @param callbacks the callbacks, never null
 * @param registry the evaluators to look ids up in, or null for {@link EvaluatorRegistry#load()}
 * @param customLoss a loss used instead of the arguments', or null
 * @param progressOut where progress lines go, never null
 * @param env the environment variables' lookup, never null
 */
record TrainerOptions(
    InMemoryInputs inMemory, Path output, boolean resume, boolean force, List<TrainingCallback> callbacks,
    EvaluatorRegistry registry, Loss customLoss, PrintStream progressOut, UnaryOperator<String> env) {
  TrainerOptions {
    callbacks = List.copyOf(callbacks);
  }
}
