package dev.ce4j.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables the contract fixtures of {@link EvaluatorContractKitTest} only when that test launches
 * them (it sets {@link #PARAMETER}), so that a build tool or IDE that finds them on its own skips
 * them instead of reporting their deliberate failures.
 */
public class LaunchedByKitTest implements ExecutionCondition {
  /** The configuration parameter that the kit test sets to {@code true}. */
  public static final String PARAMETER = "dev.ce4j.test.kit-self-test";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return context.getConfigurationParameter(PARAMETER).filter("true"::equals).isPresent()
        ? ConditionEvaluationResult.enabled("launched by EvaluatorContractKitTest")
        : ConditionEvaluationResult.disabled("a deliberately broken fixture; EvaluatorContractKitTest runs it");
  }
}
