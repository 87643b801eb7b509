package dev.ce4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.seed.SeedStrategy;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.seed.EngineSeeds;
import dev.ce4j.train.config.TrainingArguments;
import dev.ce4j.train.internal.TrainingData;
import dev.ce4j.train.loss.Loss;
import dev.ce4j.train.optim.AdamW;
import dev.ce4j.train.optim.GradientClipping;
import dev.ce4j.train.sampling.BatchSampler;
import dev.ce4j.train.sampling.DataPosition;
import dev.ce4j.train.schedule.LrSchedule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One optimisation step: the engine reseeded with {@code seed(DROPOUT, step)}, up to {@code
 * gradientAccumulationSteps} batches of the current epoch forward and backward (each loss divided by
 * the step's batch count), the global gradient norm clipped, AdamW's update at the scheduled
 * learning rate, the gradients zeroed; the loop state moved on. A NaN or infinite loss or gradient
 * norm stops the run. Not thread-safe.
 */
final class TrainingStep {
  /**
   * What a step did.
   *
   * @param loss the step's mean batch loss
   * @param learningRate the learning rate it used
   * @param epochEnd whether it trained the last batch of its epoch
   */
  record Outcome(double loss, double learningRate, boolean epochEnd) {}

  private final TrainingArguments args;
  private final TrainingData data;
  private final Loss loss;
  private final BatchSampler sampler;
  private final SeedStrategy seeds;
  private final LrSchedule schedule;
  private final CrossEncoder model;
  private final AdamW optimizer;
  private final Divergence divergence;
  private final Engine engine = PyTorch.engine();
  private final List<NDArray> params;

  TrainingStep(RunSetup setup, Divergence divergence) {
    this.args = setup.args;
    this.data = setup.data;
    this.loss = setup.loss;
    this.sampler = setup.sampler;
    this.seeds = setup.seeds;
    this.schedule = setup.schedule;
    this.model = setup.session.model;
    this.optimizer = setup.session.optimizer;
    this.divergence = divergence;
    this.params = new ArrayList<>(model.weights().asMap().values());
  }

  /**
   * Takes the step at the state's position, advancing its step, position and loss accumulator.
   *
   * @param st the loop state, never null
   * @return what the step did, never null
   * @throws InvalidInputException if the epoch yields no batches
   * @throws TrainingDivergedException if the loss or the gradient norm is not finite
   * @throws IOException if the checkpoints cannot be listed for the divergence message
   */
  Outcome take(LoopState st) throws IOException {
    int accum = args.gradientAccumulationSteps();
    long epoch = st.position.epoch();
    int batchCount = sampler.batchCount(epoch);
    if (batchCount == 0) {
      throw new InvalidInputException("the training data yields no batches");
    }
    int first = st.position.batchIndex();
    int n = Math.min(accum, batchCount - first);
    EngineSeeds.seedEngine(seeds.seed(SeedPurpose.DROPOUT, st.step));
    double lossSum = 0;
    for (int j = 0; j < n; j++) {
      int[] indices = sampler.batch(epoch, first + j);
      SplittableRandom negatives =
          new SplittableRandom(seeds.seed(SeedPurpose.NEGATIVE_SAMPLING, st.step * accum + j));
      try (NDManager bm = model.manager().newSubManager();
          GradientCollector gc = engine.newGradientCollector()) {
        NDArray l = data.batch(model, indices, bm, negatives).loss(model, loss);
        lossSum += l.getFloat();
        // divide by an array of the batch's manager, not div(Number): DJL frees that scalar at
        // once while autograd still holds it for the backward pass
        gc.backward(n == 1 ? l : l.div(bm.create((float) n)));
      }
    }
    long stepNumber = st.step + 1;
    double stepLoss = lossSum / n;
    if (!Double.isFinite(stepLoss)) {
      optimizer.zeroGrad();
      throw divergence.diverged(stepNumber, "the training loss is " + stepLoss);
    }
    if (args.maxGradNorm() > 0) {
      double norm = GradientClipping.clipGradNorm(params, args.maxGradNorm());
      if (!Double.isFinite(norm)) {
        optimizer.zeroGrad();
        throw divergence.diverged(stepNumber, "the gradient norm is " + norm);
      }
    }
    double lr = args.learningRate() * schedule.multiplier(st.step);
    optimizer.step(lr);
    optimizer.zeroGrad();
    st.step = stepNumber;
    st.position =
        first + n < batchCount ? new DataPosition(epoch, first + n) : new DataPosition(epoch + 1, 0);
    boolean epochEnd = st.position.batchIndex() == 0;
    st.lossSum += stepLoss;
    st.lossCount++;
    return new Outcome(stepLoss, lr, epochEnd);
  }
}
