/**
 * {@code ce}'s contracts, on the JDK alone: {@link dev.ce4j.api.eval.Evaluator} and its value
 * types, {@link dev.ce4j.api.seed.SeedStrategy}, {@link dev.ce4j.api.train.Trainer}. Every package
 * is API. {@link dev.ce4j.api.eval.EvaluatorRegistry} finds evaluators with {@link
 * java.util.ServiceLoader}: in named modules that {@code provides} them and on the class path.
 */
module dev.ce4j.api {
  requires java.logging;

  exports dev.ce4j.api;
  exports dev.ce4j.api.eval;
  exports dev.ce4j.api.seed;
  exports dev.ce4j.api.train;

  uses dev.ce4j.api.eval.Evaluator;
}
