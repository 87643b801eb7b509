package dev.ce4j.eval.internal;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import java.util.OptionalDouble;

/**
 * The parameters the classification evaluators share, {@code beta}, {@code zero_division} and
 * {@code threshold}: their specs and their validated values. Stateless and thread-safe.
 */
public final class ClassificationParameters {
  /** The F-beta weight parameter, {@code beta}. */
  public static final String BETA = "beta";
  /** The zero-division parameter, {@code zero_division}. */
  public static final String ZERO_DIVISION = ClassificationZeroDivision.PARAMETER;
  /** The decision threshold parameter, {@code threshold}. */
  public static final String THRESHOLD = "threshold";

  /** The spec of {@code beta}: default 1. */
  public static final ParameterSpec BETA_SPEC = ParameterSpec.of(
      BETA,
      "weight of recall against precision in the F-beta score; a number > 0 (1 gives F1)",
      "1");

  /** The spec of {@code zero_division}: default 0. */
  public static final ParameterSpec ZERO_DIVISION_SPEC = ParameterSpec.of(
      ZERO_DIVISION,
      "value of a precision, recall or F-beta whose denominator is zero: 0, 1, or nan to leave it"
          + " undefined and out of the averages",
      "0");

  private ClassificationParameters() {}

  /**
   * The validated {@code beta}, 1 when absent.
   *
   * <p>It must be a number greater than 0 whose square is a positive finite double (about
   * 1.5e-154 to 1.3e154), because the F-beta score uses {@code beta * beta}.
   *
   * @param parameters the parameters, never null
   * @return beta, greater than 0
   * @throws InvalidInputException naming {@code beta} if it is not a number or out of range
   */
  public static double beta(Parameters parameters) {
    double beta = parameters.getDouble(BETA, 1.0);
    if (!(beta > 0)) {
      throw new InvalidInputException(
          "parameter '" + BETA + "' must be a number > 0, got '" + raw(parameters, BETA)
              + "'; use 1 for F1, 2 to weigh recall higher, 0.5 to weigh precision higher");
    }
    double beta2 = beta * beta;
    if (!Double.isFinite(beta2) || beta2 < Double.MIN_NORMAL) {
      throw new InvalidInputException(
          "parameter '" + BETA + "' is '" + raw(parameters, BETA)
              + "', whose square is not a usable number; choose a beta between 1e-150 and 1e150");
    }
    return beta;
  }

  /**
   * The validated {@code zero_division}, {@link ClassificationZeroDivision#ZERO} when absent.
   *
   * @param parameters the parameters, never null
   * @return the setting, never null
   * @throws InvalidInputException naming {@code zero_division} if it is not 0, 1 or nan
   */
  public static ClassificationZeroDivision zeroDivision(Parameters parameters) {
    return parameters.get(ZERO_DIVISION)
        .map(ClassificationZeroDivision::parse)
        .orElse(ClassificationZeroDivision.ZERO);
  }

  /**
   * The {@code threshold}, if given.
   *
   * @param parameters the parameters, never null
   * @return the threshold, or empty when absent
   * @throws InvalidInputException naming {@code threshold} if it is not a finite number
   */
  public static OptionalDouble threshold(Parameters parameters) {
    return parameters.getDouble(THRESHOLD);
  }

  private static String raw(Parameters parameters, String name) {
    return parameters.get(name).orElse("");
  }
}
