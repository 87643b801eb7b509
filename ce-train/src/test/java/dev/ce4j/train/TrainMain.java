package dev.ce4j.train;

import dev.ce4j.api.train.TrainingResult;
import dev.ce4j.core.engine.TorchDeterminism;
import dev.ce4j.train.config.Determinism;
import dev.ce4j.train.config.TrainingArguments;
import java.nio.file.Path;

/**
 * The entry point of the child JVMs of {@link ReproducibilityTest}: trains a config into an output
 * folder and prints {@code FINGERPRINT <hex> STEPS <n>} as the last line of standard output.
 *
 * <p>Arguments: {@code CONFIG OUTPUT [--resume] [--seed N] [--data-seed N] [--strict]}; with {@code
 * --strict} it trains with {@link Determinism#STRICT} and prints libtorch's determinism switches
 * as read after training to standard error ({@code DETERMINISM <flags>}).
 */
public final class TrainMain {
  private TrainMain() {}

  /**
   * Runs.
   *
   * @param args see the class comment
   */
  public static void main(String[] args) {
    TrainingArguments a = TrainingArguments.read(Path.of(args[0]));
    boolean resume = false;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--resume" -> resume = true;
        case "--seed" -> a = a.withSeed(Long.parseLong(args[++i]));
        case "--data-seed" -> a = a.toBuilder().optDataSeed(Long.parseLong(args[++i])).build();
        case "--strict" -> a = a.toBuilder().optDeterminism(Determinism.STRICT).build();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    try (CrossEncoderTrainer t = CrossEncoderTrainer.builder(a, Path.of(args[1])).resume(resume).build()) {
      TrainingResult r = t.train();
      if (a.determinism() == Determinism.STRICT) {
        System.err.println("DETERMINISM " + TorchDeterminism.read());
      }
      System.out.println("FINGERPRINT " + r.fingerprint() + " STEPS " + r.steps());
    }
  }
}
