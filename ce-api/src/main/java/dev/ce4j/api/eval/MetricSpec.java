package dev.ce4j.api.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Declares one metric an {@link Evaluator} returns: its key, its {@link Kind} (one number, a whole
 * count, or one value per label) and its {@link Direction} (whether a higher or a lower value is
 * better, or neither).
 *
 * <p>A trainer ranks checkpoints and stops early by a metric's direction, refuses a per-label
 * metric where one number is needed, and prints counts as integers. An evaluator that declares no
 * metrics ({@link Evaluator#metrics(Parameters)} empty) is described by {@link #inferred}: every
 * metric it returns is a {@link Kind#SCALAR} or {@link Kind#PER_LABEL} value by the shape it has,
 * lower-is-better when its key ends with {@code loss}, higher-is-better otherwise.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the metric key, as in {@link Evaluation#keys()}: non-blank, lowercase, without
 *     whitespace; never null
 * @param kind what the value is, never null
 * @param direction which way is better, never null
 * @param description one sentence for {@code ce evaluators}, never null (may be empty)
 */
public record MetricSpec(String key, Kind kind, Direction direction, String description) {
  private static final Pattern KEY = Pattern.compile("\\S+");

  /** What a metric's value is. */
  public enum Kind {
    /** One real number ({@link Evaluation#get}), {@code NaN} when undefined. */
    SCALAR,
    /** One whole number {@code >= 0} ({@link Evaluation#get}), such as a number of queries. */
    COUNT,
    /** One real number per label or class ({@link Evaluation#getArray}), in label order. */
    PER_LABEL,
    /** One whole number {@code >= 0} per label or class ({@link Evaluation#getArray}). */
    COUNT_PER_LABEL;

    /**
     * Whether the value is an array ({@link Evaluation#getArray}).
     *
     * @return true for {@link #PER_LABEL} and {@link #COUNT_PER_LABEL}
     */
    public boolean isArray() {
      return this == PER_LABEL || this == COUNT_PER_LABEL;
    }

    /**
     * Whether the values are whole numbers, to be printed without a fraction.
     *
     * @return true for {@link #COUNT} and {@link #COUNT_PER_LABEL}
     */
    public boolean isCount() {
      return this == COUNT || this == COUNT_PER_LABEL;
    }

    /**
     * The name used in JSON and listings: {@code scalar}, {@code count}, {@code per_label},
     * {@code count_per_label}.
     *
     * @return the lowercase name, never null
     */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Which way a metric improves. */
  public enum Direction {
    /** A higher value is better, as for F1 or NDCG. */
    HIGHER_IS_BETTER("higher"),
    /** A lower value is better, as for a loss or a calibration error. */
    LOWER_IS_BETTER("lower"),
    /** Neither: the value describes the data or a setting (a count, a threshold). */
    NONE("none");

    private final String jsonName;

    Direction(String jsonName) {
      this.jsonName = jsonName;
    }

    /**
     * The name used in JSON and listings: {@code higher}, {@code lower} or {@code none}.
     *
     * @return the name, never null
     */
    public String jsonName() {
      return jsonName;
    }
  }

  /** Validates the key and the fields. */
  public MetricSpec {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(description, "description");
    if (!KEY.matcher(key).matches() || !key.equals(key.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "metric key '" + key + "' must be non-blank lowercase without whitespace, such as 'f1_macro' or 'mrr@10'");
    }
  }

  /**
   * A number where higher is better, such as F1.
   *
   * @param key the key, never null
   * @param description one sentence, never null
   * @return the spec, never null
   */
  public static MetricSpec higherIsBetter(String key, String description) {
    return new MetricSpec(key, Kind.SCALAR, Direction.HIGHER_IS_BETTER, description);
  }

  /**
   * A number where lower is better, such as a loss or a calibration error.
   *
   * @param key the key, never null
   * @param description one sentence, never null
   * @return the spec, never null
   */
  public static MetricSpec lowerIsBetter(String key, String description) {
    return new MetricSpec(key, Kind.SCALAR, Direction.LOWER_IS_BETTER, description);
  }

  /**
   * A number that is neither better high nor low, such as a chosen threshold.
   *
   * @param key the key, never null
   * @param description one sentence, never null
   * @return the spec, never null
   */
  public static MetricSpec neutral(String key, String description) {
    return new MetricSpec(key, Kind.SCALAR, Direction.NONE, description);
  }

  /**
   * A whole number that describes the data, such as the number of queries.
   *
   * @param key the key, never null
   * @param description one sentence, never null
   * @return the spec, never null
   */
  public static MetricSpec count(String key, String description) {
    return new MetricSpec(key, Kind.COUNT, Direction.NONE, description);
  }

  /**
   * One value per label or class.
   *
   * @param key the key, never null
   * @param direction which way each value improves, never null
   * @param description one sentence, never null
   * @return the spec, never null
   */
  public static MetricSpec perLabel(String key, Direction direction, String description) {
    return new MetricSpec(key, Kind.PER_LABEL, direction, description);
  }

  /**
   * One whole number per label or class, such as the support.
   *
   * @param key the key, never null
   * @param description one sentence, never null
   * @return the spec, never null
   */
  public static MetricSpec countPerLabel(String key, String description) {
    return new MetricSpec(key, Kind.COUNT_PER_LABEL, Direction.NONE, description);
  }

  /**
   * The rule for metrics of an evaluator that declares none: {@link Kind#PER_LABEL} for an array,
   * else {@link Kind#SCALAR}; {@link Direction#LOWER_IS_BETTER} when the key ends with {@code loss}
   * (in any case), else {@link Direction#HIGHER_IS_BETTER}.
   *
   * @param key the key, never null
   * @param array whether the value is an array
   * @return the spec, with an empty description; never null
   */
  public static MetricSpec inferred(String key, boolean array) {
    return new MetricSpec(key, array ? Kind.PER_LABEL : Kind.SCALAR, inferredDirection(key), "");
  }

  /**
   * The direction {@link #inferred} gives a key: {@link Direction#LOWER_IS_BETTER} when it ends
   * with {@code loss} (in any case), else {@link Direction#HIGHER_IS_BETTER}. Any text is accepted,
   * such as a prefixed key {@code dev/eval_loss} as a user wrote it.
   *
   * @param key the key, never null
   * @return the direction, never null
   */
  public static Direction inferredDirection(String key) {
    return key.toLowerCase(Locale.ROOT).endsWith("loss") ? Direction.LOWER_IS_BETTER : Direction.HIGHER_IS_BETTER;
  }

  /**
   * The metrics an evaluation holds, as declared by its evaluator for these parameters, or by
   * {@link #inferred} from the evaluation when the evaluator declares none.
   *
   * @param evaluator the evaluator that produced the evaluation, never null
   * @param parameters the parameters it ran with, never null
   * @param evaluation its result, never null
   * @return one spec per metric, in the declaration's order (or the evaluation's); never null
   * @throws dev.ce4j.api.InvalidInputException if the evaluator refuses the parameters
   */
  public static List<MetricSpec> of(Evaluator evaluator, Parameters parameters, Evaluation evaluation) {
    Objects.requireNonNull(evaluation, "evaluation");
    List<MetricSpec> declared = Objects.requireNonNull(evaluator, "evaluator")
        .metrics(Objects.requireNonNull(parameters, "parameters"));
    if (declared != null && !declared.isEmpty()) {
      return List.copyOf(declared);
    }
    List<MetricSpec> out = new ArrayList<>();
    for (String key : evaluation.keys()) {
      out.add(inferred(key, evaluation.isArray(key)));
    }
    return List.copyOf(out);
  }

  /**
   * How an evaluation disagrees with a declaration: a declared key it lacks, a key it has that is
   * not declared, a value of the wrong shape (an array for a number or the reverse), a count that
   * is not a whole number {@code >= 0}, and a key declared twice. {@code NaN} is accepted for every
   * kind.
   *
   * @param declared the declared metrics, never null
   * @param evaluation the result to check, never null
   * @return one sentence per disagreement, empty when they agree; never null
   */
  public static List<String> mismatches(List<MetricSpec> declared, Evaluation evaluation) {
    Objects.requireNonNull(evaluation, "evaluation");
    List<String> out = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (MetricSpec spec : Objects.requireNonNull(declared, "declared")) {
      if (!keys.add(spec.key())) {
        out.add("metric '" + spec.key() + "' is declared twice");
        continue;
      }
      if (!evaluation.has(spec.key())) {
        out.add("declared metric '" + spec.key() + "' is missing from the result");
      } else if (spec.kind().isArray() != evaluation.isArray(spec.key())) {
        out.add("metric '" + spec.key() + "' is declared " + spec.kind().jsonName() + " but is "
            + (evaluation.isArray(spec.key()) ? "an array" : "a single number"));
      } else if (spec.kind().isCount()) {
        double[] values = spec.kind().isArray()
            ? evaluation.getArray(spec.key())
            : new double[] {evaluation.get(spec.key())};
        for (double v : values) {
          if (!Double.isNaN(v) && !(v >= 0 && v == Math.rint(v) && Double.isFinite(v))) {
            out.add("metric '" + spec.key() + "' is declared a count but holds " + v
                + ", not a whole number >= 0");
            break;
          }
        }
      }
    }
    for (String key : evaluation.keys()) {
      if (!keys.contains(key)) {
        out.add("metric '" + key + "' is in the result but not declared");
      }
    }
    return out;
  }
}
