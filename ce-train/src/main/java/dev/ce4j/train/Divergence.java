package dev.ce4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.train.checkpoint.Checkpoint;
import dev.ce4j.train.checkpoint.CheckpointDirectory;
import dev.ce4j.train.config.TrainingArguments;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Detects a diverged run and words its {@link TrainingDivergedException}: which value stopped being
 * finite, the last good checkpoint, and what to change.
 */
final class Divergence {
  private final TrainingArguments args;
  private final TrainerSession session;
  private final CheckpointDirectory checkpoints;

  Divergence(TrainingArguments args, TrainerSession session, CheckpointDirectory checkpoints) {
    this.args = args;
    this.session = session;
    this.checkpoints = checkpoints;
  }

  /**
   * The exception that stops a run diverged at a step.
   *
   * @param step the step that diverged
   * @param what what is no longer finite, never null
   * @return the exception, never null
   * @throws IOException if the checkpoints cannot be listed
   */
  TrainingDivergedException diverged(long step, String what) throws IOException {
    Optional<Checkpoint> last = checkpoints.latest();
    return new TrainingDivergedException(
        step,
        "training diverged at step " + step + ": " + what + " (learning rate " + args.learningRate()
            + "). " + (last.isPresent()
                ? "The last good checkpoint is " + last.get().directory() + "."
                : "No checkpoint was written before.")
            + (args.maxGradNorm() > 0
                ? " Lower learningRate (or maxGradNorm, now " + args.maxGradNorm() + "), then train again"
                : " Lower learningRate or set maxGradNorm (gradient clipping), then train again"));
  }

  /**
   * Stops the run when a weight is NaN or infinite, naming the first such tensor.
   *
   * @param step the step just taken
   * @throws TrainingDivergedException if a weight is not finite
   * @throws IOException if the checkpoints cannot be listed
   */
  @SuppressWarnings("try") // the scopes act by being open
  void requireFiniteWeights(long step) throws IOException {
    String bad = null;
    try (PyTorch.GradScope noGrad = PyTorch.noGrad();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Map.Entry<String, NDArray> e : session.model.weights().asMap().entrySet()) {
        NDArray w = e.getValue();
        if (w.isNaN().any().getBoolean() || w.isInfinite().any().getBoolean()) {
          bad = e.getKey();
          break;
        }
      }
    }
    if (bad != null) {
      throw diverged(step, "the weights are no longer finite after the optimiser step (first: " + bad + ")");
    }
  }
}
