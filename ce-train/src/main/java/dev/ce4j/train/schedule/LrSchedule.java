package dev.ce4j.train.schedule;

/**
 * A learning-rate schedule: the multiplier of the base learning rate for each optimiser step.
 *
 * <p>Steps count from 0: the first optimiser update uses {@code multiplier(0)}, as transformers'
 * trainer does (it calls {@code optimizer.step()} before {@code lr_scheduler.step()}, and PyTorch's
 * {@code LambdaLR} starts at 0), so with warmup the first update has learning rate 0. The
 * learning rate of step {@code s} is {@code baseLr * multiplier(s)}, computed in double as PyTorch
 * does. Implementations are pure functions of the step: stateless, thread-safe, and a resumed run
 * needs only the step number.
 */
@FunctionalInterface
public interface LrSchedule {
  /**
   * The multiplier of the base learning rate at an optimiser step.
   *
   * @param step the number of optimiser updates done before this one, at least 0
   * @return the multiplier, in [0, 1]
   */
  double multiplier(long step);
}
