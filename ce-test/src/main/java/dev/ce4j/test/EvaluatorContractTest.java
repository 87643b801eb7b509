package dev.ce4j.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Evaluation;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.api.eval.Predictions;
import dev.ce4j.test.internal.Describe;
import dev.ce4j.test.internal.RawInput;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every {@link Evaluator} must pass, ours and third parties': extend this class in
 * your tests, say which evaluator to check and what it must answer on a perfect and on a worst
 * input, and JUnit runs the whole contract against it.
 *
 * <pre>{@code
 * class AccuracyContractTest extends EvaluatorContractTest {
 *   @Override protected Evaluator evaluator() { return new AccuracyEvaluator(); }
 *   @Override protected Case perfect() { return Case.of(new PointwisePredictions(new double[] {0.9, 0.1}, new double[] {1, 0}), Map.of("accuracy", 1.0)); }
 *   @Override protected Case worst() { return Case.of(new PointwisePredictions(new double[] {0.1, 0.9}, new double[] {1, 0}), Map.of("accuracy", 0.0)); }
 * }
 * }</pre>
 *
 * <p>The contract, as the nested groups below check it:
 * <ul>
 *   <li><b>id</b>: lowercase letters, digits and {@code -}; the same on every call and for every
 *       instance; the {@link Evaluation#evaluatorId()} of every result;</li>
 *   <li><b>construction and discovery</b>: a public class with a public no-argument constructor,
 *       registered in {@code META-INF/services/dev.ce4j.api.eval.Evaluator} so that
 *       {@link EvaluatorRegistry#load()} finds it under its id (this catches an
 *       {@code @AutoService} processor that silently did not run); a non-null
 *       {@link Evaluator#inputKind()} that matches the predictions given here; well-formed
 *       metadata;</li>
 *   <li><b>results</b>: the expected values on the {@link #perfect()} and {@link #worst()}
 *       inputs; equal results for equal inputs, on one instance and across instances; at least
 *       one metric, every key lowercase without whitespace; exactly the metrics
 *       {@link Evaluator#metrics(Parameters)} declares, each of its declared shape (a number or
 *       an array; counts whole numbers), when it declares any;</li>
 *   <li><b>inputs</b>: never modified; empty input handled as documented (by default rejected
 *       with {@link InvalidInputException}, see {@link #checkEmptyInput}); predictions of another
 *       kind rejected with {@link InvalidInputException}; {@code null} predictions or parameters
 *       rejected with {@link NullPointerException};</li>
 *   <li><b>parameters</b>: an unknown parameter rejected with an {@link InvalidInputException}
 *       that names it; every declared default, passed explicitly, gives the same result as
 *       leaving it out.</li>
 * </ul>
 *
 * <p>Every check evaluates with {@link Parameters#empty()} unless it says otherwise. A subclass
 * may add its own tests and may override {@link #typical()}, {@link #tolerance()} and
 * {@link #checkEmptyInput}. JUnit creates a new instance per test; {@link #evaluator()} may
 * return a new or a shared evaluator. A failing check's message starts with the evaluator's class
 * and id, so a report that runs many contract tests says which evaluator broke the contract.
 *
 * <p>{@code ce-test} brings the JUnit Jupiter API, params and engine at the version {@code ce} is
 * built with; a project that uses the kit should take its JUnit from here (or import the same
 * {@code junit-bom}) so that the engine and the API match.
 */
@ExtendWith(NamesTheEvaluator.class)
public abstract class EvaluatorContractTest {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern KEY = Pattern.compile("\\S+");
  private static final long TYPICAL_SEED = 20_240_601L;

  /** For subclasses. */
  protected EvaluatorContractTest() {}

  /**
   * The evaluator under test, as its public no-argument constructor makes it.
   *
   * @return the evaluator, never null
   */
  protected abstract Evaluator evaluator();

  /**
   * An input the evaluator must score as perfectly as it can, with the values it must give.
   *
   * @return the case, never null
   */
  protected abstract Case perfect();

  /**
   * An input the evaluator must score as badly as it can, with the values it must give.
   *
   * @return the case, never null
   */
  protected abstract Case worst();

  /**
   * An ordinary input, for the checks that need one without expected values (determinism,
   * parameters, inputs not modified). By default {@link ContractInputs#typical} of the
   * evaluator's input kind; override it when the evaluator needs more specific data (for example
   * numeric labels for a regression metric).
   *
   * @return predictions of the evaluator's input kind that it accepts, never null
   */
  protected Predictions typical() {
    return ContractInputs.typical(evaluator().inputKind(), TYPICAL_SEED);
  }

  /**
   * The absolute tolerance for the expected values of {@link #perfect()} and {@link #worst()}.
   *
   * @return a tolerance {@code >= 0}; {@code 1e-9} by default
   */
  protected double tolerance() {
    return 1e-9;
  }

  /**
   * Checks what the evaluator does with empty predictions of its kind. The default expects an
   * {@link InvalidInputException} with a non-blank message; override it, with the assertions
   * that match, for an evaluator that documents another behaviour (for example {@code NaN}
   * metrics).
   *
   * @param evaluator the evaluator under test, never null
   * @param empty valid predictions of its input kind with no samples, never null
   */
  protected void checkEmptyInput(Evaluator evaluator, Predictions empty) {
    assertThatThrownBy(() -> evaluator.evaluate(empty, Parameters.empty()))
        .as("%s on empty predictions: the default contract is an InvalidInputException;"
            + " override checkEmptyInput if the evaluator documents another behaviour", evaluator.id())
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(e.getMessage()).as("the exception's message").isNotBlank());
  }

  /**
   * An input with the values an evaluator must give on it, each within {@link #tolerance()}
   * ({@code NaN} expects {@code NaN}). Keys the map does not name are not checked.
   *
   * @param predictions the input, never null
   * @param expected metric key to expected value, never null, at least one entry
   */
  public record Case(Predictions predictions, Map<String, Double> expected) {
    /**
     * Validates and copies.
     *
     * @param predictions the input, never null
     * @param expected metric key to expected value, never null, at least one entry
     */
    public Case {
      Objects.requireNonNull(predictions, "predictions");
      expected = Map.copyOf(expected);
      if (expected.isEmpty()) {
        throw new IllegalArgumentException("a case must expect at least one metric value");
      }
    }

    /**
     * Shorthand for the constructor.
     *
     * @param predictions the input, never null
     * @param expected metric key to expected value, never null, at least one entry
     * @return the case, never null
     */
    public static Case of(Predictions predictions, Map<String, Double> expected) {
      return new Case(predictions, expected);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Checks of {@link Evaluator#id()}. */
  @Nested
  @DisplayName("its id")
  public class IdContract {
    /** For JUnit. */
    public IdContract() {}

    /** The id has the registry's format. */
    @Test
    @DisplayName("is lowercase letters, digits and '-', starting with a letter")
    public void idIsWellFormed() {
      String id = evaluator().id();
      assertThat(id).as("id() of %s", evaluator().getClass().getName()).isNotNull();
      assertThat(ID.matcher(id).matches())
          .as("id '%s' must match %s, such as 'binary-classification'", id, ID.pattern())
          .isTrue();
    }

    /** The id does not change between calls. */
    @Test
    @DisplayName("is the same on every call")
    public void idIsStable() {
      Evaluator evaluator = evaluator();
      String first = evaluator.id();
      for (int i = 0; i < 3; i++) {
        assertThat(evaluator.id()).as("id() called again").isEqualTo(first);
      }
    }

    /** Every instance has the same id. */
    @Test
    @DisplayName("is the same for two fresh instances")
    public void idIsSameForFreshInstances() {
      String a = newInstance().id();
      String b = newInstance().id();
      assertThat(a).as("id() of two instances made by the no-argument constructor").isEqualTo(b);
      assertThat(evaluator().id()).as("id() of evaluator() and of a fresh instance").isEqualTo(a);
    }

    /** Results carry the id. */
    @Test
    @DisplayName("is the evaluatorId of every Evaluation it returns")
    public void evaluationsCarryTheId() {
      Evaluator evaluator = evaluator();
      String id = evaluator.id();
      for (Map.Entry<String, Predictions> input : inputs().entrySet()) {
        assertThat(evaluate(evaluator, input.getValue(), Parameters.empty()).evaluatorId())
            .as("evaluatorId of the result on the %s input", input.getKey())
            .isEqualTo(id);
      }
    }
  }

  /** Checks of construction, registration and metadata. */
  @Nested
  @DisplayName("its construction and discovery")
  public class DiscoveryContract {
    /** For JUnit. */
    public DiscoveryContract() {}

    /** ServiceLoader can instantiate it. */
    @Test
    @DisplayName("is a public, concrete class with a public no-argument constructor")
    public void hasPublicNoArgConstructor() {
      Class<? extends Evaluator> type = evaluator().getClass();
      assertThat(Modifier.isPublic(type.getModifiers())).as("%s is public", type.getName()).isTrue();
      assertThat(Modifier.isAbstract(type.getModifiers())).as("%s is abstract", type.getName()).isFalse();
      assertThat(newInstance()).as("a fresh instance").isInstanceOf(type);
    }

    /** It is registered, and the registry finds it. */
    @Test
    @DisplayName("is registered in META-INF/services and found by EvaluatorRegistry.load() under its id")
    public void isDiscoverable() {
      Evaluator evaluator = evaluator();
      EvaluatorRegistry registry = EvaluatorRegistry.load();
      assertThat(registry.ids())
          .as("ids discovered by EvaluatorRegistry.load(); is %s annotated with"
              + " @AutoService(Evaluator.class) and does the annotation processor run? (or list it in"
              + " META-INF/services/dev.ce4j.api.eval.Evaluator)", evaluator.getClass().getName())
          .contains(evaluator.id());
      assertThat(registry.get(evaluator.id()).getClass())
          .as("the class registered under '%s'", evaluator.id())
          .isEqualTo(evaluator.getClass());
    }

    /** The declared input kind matches the test data. */
    @Test
    @DisplayName("declares an input kind that matches the predictions it is tested with")
    public void inputKindMatches() {
      InputKind kind = evaluator().inputKind();
      assertThat(kind).as("inputKind()").isNotNull();
      for (Map.Entry<String, Predictions> input : inputs().entrySet()) {
        assertThat(input.getValue().kind()).as("kind of the %s input", input.getKey()).isEqualTo(kind);
      }
    }

    /** The optional metadata is well formed. */
    @Test
    @DisplayName("describes itself and declares each parameter and each metric once")
    public void describesItself() {
      Evaluator evaluator = evaluator();
      assertThat(evaluator.description()).as("description()").isNotNull();
      List<ParameterSpec> specs = evaluator.parameters();
      assertThat(specs).as("parameters()").isNotNull().doesNotContainNull();
      Set<String> names = new HashSet<>();
      for (ParameterSpec spec : specs) {
        assertThat(names.add(spec.name())).as("parameter '%s' declared once", spec.name()).isTrue();
      }
      List<MetricSpec> metrics = evaluator.metrics(Parameters.empty());
      assertThat(metrics).as("metrics(Parameters.empty())").isNotNull().doesNotContainNull();
      Set<String> keys = new HashSet<>();
      for (MetricSpec metric : metrics) {
        assertThat(keys.add(metric.key())).as("metric '%s' declared once", metric.key()).isTrue();
      }
    }
  }

  /** Checks of the values an evaluator returns. */
  @Nested
  @DisplayName("its results")
  public class ResultContract {
    /** For JUnit. */
    public ResultContract() {}

    /** Expected values on the perfect input. */
    @Test
    @DisplayName("reach the expected values on the perfect input")
    public void perfectInputReachesExpectations() {
      assertCase("perfect", perfect());
    }

    /** Expected values on the worst input. */
    @Test
    @DisplayName("reach the expected values on the worst input")
    public void worstInputReachesExpectations() {
      assertCase("worst", worst());
    }

    /** Determinism on one instance. */
    @Test
    @DisplayName("are equal when one instance evaluates the same input twice")
    public void sameInputTwiceGivesEqualResults() {
      Evaluator evaluator = evaluator();
      for (Map.Entry<String, Predictions> input : inputs().entrySet()) {
        Evaluation first = evaluate(evaluator, input.getValue(), Parameters.empty());
        Evaluation second = evaluate(evaluator, ContractInputs.copyOf(input.getValue()), Parameters.empty());
        assertThat(second).as("second evaluation of the %s input", input.getKey()).isEqualTo(first);
      }
    }

    /** Determinism across instances. */
    @Test
    @DisplayName("are equal across two fresh instances")
    public void freshInstancesGiveEqualResults() {
      Evaluator a = newInstance();
      Evaluator b = newInstance();
      for (Map.Entry<String, Predictions> input : inputs().entrySet()) {
        assertThat(evaluate(b, input.getValue(), Parameters.empty()))
            .as("evaluation of the %s input by a second instance", input.getKey())
            .isEqualTo(evaluate(a, input.getValue(), Parameters.empty()));
      }
    }

    /** Metric keys follow the naming rules. */
    @Test
    @DisplayName("have at least one metric, every key lowercase without whitespace")
    public void keysAreLowercase() {
      Evaluator evaluator = evaluator();
      for (Map.Entry<String, Predictions> input : inputs().entrySet()) {
        Set<String> keys = evaluate(evaluator, input.getValue(), Parameters.empty()).keys();
        assertThat(keys).as("metric keys on the %s input", input.getKey()).isNotEmpty();
        for (String key : keys) {
          assertThat(key.toLowerCase(Locale.ROOT).equals(key) && KEY.matcher(key).matches())
              .as("metric key '%s' is lowercase without whitespace, such as 'f1_macro' or 'mrr@10'", key)
              .isTrue();
        }
      }
    }

    /** The declared metrics are the ones returned. */
    @Test
    @DisplayName("are exactly the declared metrics, each of its declared shape (when metrics are declared)")
    public void metricsMatchDeclaration() {
      Evaluator evaluator = evaluator();
      List<MetricSpec> declared = evaluator.metrics(Parameters.empty());
      if (declared == null || declared.isEmpty()) {
        return; // undeclared: a trainer infers the metrics from the results (MetricSpec.inferred)
      }
      SoftAssertions softly = new SoftAssertions();
      for (Map.Entry<String, Predictions> input : inputs().entrySet()) {
        Evaluation evaluation = evaluate(evaluator, input.getValue(), Parameters.empty());
        softly.assertThat(MetricSpec.mismatches(declared, evaluation))
            .as("how the result on the %s input (keys %s) disagrees with metrics(Parameters.empty())",
                input.getKey(), evaluation.keys())
            .isEmpty();
      }
      softly.assertAll();
    }
  }

  /** Checks of how inputs are treated. */
  @Nested
  @DisplayName("its inputs")
  public class InputContract {
    /** For JUnit. */
    public InputContract() {}

    /** Inputs are read, never written. */
    @Test
    @DisplayName("are never modified")
    public void inputsAreNeverModified() {
      Evaluator evaluator = evaluator();
      for (Map.Entry<String, Predictions> input : inputs().entrySet()) {
        Predictions predictions = input.getValue();
        Predictions before = ContractInputs.copyOf(predictions);
        evaluate(evaluator, predictions, Parameters.empty());
        assertUnchanged(evaluator, input.getKey(), before, predictions);

        RawInput raw = RawInput.of(before);
        evaluate(evaluator, raw.predictions(), Parameters.empty());
        assertUnchanged(evaluator, input.getKey() + " (rebuilt from arrays)", before, raw.predictions());
        assertThat(raw.unchanged())
            .as("%s modified the arrays passed into the %s input", evaluator.id(), input.getKey())
            .isTrue();
      }
    }

    /** Empty input behaves as documented. */
    @Test
    @DisplayName("that are empty are handled as documented (by default: InvalidInputException)")
    public void emptyInputHandledAsDocumented() {
      Evaluator evaluator = evaluator();
      checkEmptyInput(evaluator, ContractInputs.empty(evaluator.inputKind()));
    }

    /** Predictions of another kind are refused. */
    @Test
    @DisplayName("of another kind are rejected with InvalidInputException")
    public void otherKindsRejected() {
      Evaluator evaluator = evaluator();
      SoftAssertions softly = new SoftAssertions();
      for (InputKind kind : InputKind.values()) {
        if (kind != evaluator.inputKind()) {
          Predictions other = ContractInputs.typical(kind, TYPICAL_SEED);
          softly.assertThatThrownBy(() -> evaluator.evaluate(other, Parameters.empty()))
              .as("%s given %s predictions", evaluator.id(), kind)
              .isInstanceOf(InvalidInputException.class)
              .satisfies(e -> assertThat(e.getMessage()).as("the exception's message").isNotBlank());
        }
      }
      softly.assertAll();
    }

    /** Null predictions are refused. */
    @Test
    @DisplayName("that are null are rejected with NullPointerException")
    public void nullPredictionsRejected() {
      Evaluator evaluator = evaluator();
      assertThatThrownBy(() -> evaluator.evaluate(null, Parameters.empty()))
          .as("evaluate(null, Parameters.empty())")
          .isInstanceOf(NullPointerException.class);
    }

    /** Null parameters are refused. */
    @Test
    @DisplayName("with null parameters are rejected with NullPointerException")
    public void nullParametersRejected() {
      Evaluator evaluator = evaluator();
      Predictions predictions = typical();
      assertThatThrownBy(() -> evaluator.evaluate(predictions, null))
          .as("evaluate(predictions, null)")
          .isInstanceOf(NullPointerException.class);
    }
  }

  /** Checks of {@link Evaluator#parameters()} and their handling. */
  @Nested
  @DisplayName("its parameters")
  public class ParameterContract {
    /** For JUnit. */
    public ParameterContract() {}

    /** Typos in parameter names are reported. */
    @Test
    @DisplayName("that are unknown are rejected with InvalidInputException naming them")
    public void unknownParameterRejected() {
      Evaluator evaluator = evaluator();
      String unknown = "no_such_parameter";
      while (declares(evaluator, unknown)) {
        unknown += "_";
      }
      Parameters parameters = Parameters.of(Map.of(unknown, "1"));
      Predictions predictions = typical();
      assertThatThrownBy(() -> evaluator.evaluate(predictions, parameters))
          .as("evaluate with the undeclared parameter '%s'", unknown)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(unknown);
    }

    /** Declared defaults are the defaults actually used. */
    @Test
    @DisplayName("give the same result when their declared default is passed explicitly")
    public void explicitDefaultsGiveSameResult() {
      Evaluator evaluator = evaluator();
      Map<String, Predictions> inputs = inputs();
      SoftAssertions softly = new SoftAssertions();
      for (ParameterSpec spec : evaluator.parameters()) {
        if (spec.defaultValue().isEmpty()) {
          continue;
        }
        Parameters explicit = Parameters.of(Map.of(spec.name(), spec.defaultValue().get()));
        for (Map.Entry<String, Predictions> input : inputs.entrySet()) {
          softly.assertThat(evaluate(evaluator, input.getValue(), explicit))
              .as("%s=%s on the %s input, against leaving it out",
                  spec.name(), spec.defaultValue().get(), input.getKey())
              .isEqualTo(evaluate(evaluator, input.getValue(), Parameters.empty()));
        }
      }
      softly.assertAll();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private Map<String, Predictions> inputs() {
    Map<String, Predictions> inputs = new LinkedHashMap<>();
    inputs.put("perfect", perfect().predictions());
    inputs.put("worst", worst().predictions());
    inputs.put("typical", Objects.requireNonNull(typical(), "typical()"));
    return inputs;
  }

  private static boolean declares(Evaluator evaluator, String name) {
    return evaluator.parameters().stream().anyMatch(s -> s.name().equals(name));
  }

  private static Evaluation evaluate(Evaluator evaluator, Predictions predictions, Parameters parameters) {
    Evaluation evaluation = evaluator.evaluate(predictions, parameters);
    assertThat(evaluation).as("%s.evaluate(...) returned null", evaluator.getClass().getName()).isNotNull();
    return evaluation;
  }

  private static void assertUnchanged(Evaluator evaluator, String name, Predictions before, Predictions after) {
    if (!after.equals(before)) {
      throw new AssertionError(evaluator.id() + " modified the " + name + " input it evaluated:\n  before: "
          + Describe.of(before) + "\n  after:  " + Describe.of(after));
    }
  }

  private void assertCase(String name, Case c) {
    Evaluation evaluation = evaluate(evaluator(), c.predictions(), Parameters.empty());
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, Double> expected : c.expected().entrySet()) {
      String key = expected.getKey();
      if (!evaluation.has(key)) {
        softly.fail("the %s input gave no metric '%s'; it gave %s", name, key, evaluation.keys());
      } else if (evaluation.isArray(key)) {
        softly.fail("metric '%s' is an array; a Case expects scalar metrics", key);
      } else if (expected.getValue().isNaN()) {
        softly.assertThat(evaluation.get(key)).as("%s on the %s input", key, name).isNaN();
      } else {
        softly.assertThat(evaluation.get(key))
            .as("%s on the %s input", key, name)
            .isCloseTo(expected.getValue(), within(tolerance()));
      }
    }
    softly.assertAll();
  }

  private Evaluator newInstance() {
    Class<? extends Evaluator> type = evaluator().getClass();
    Constructor<? extends Evaluator> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new AssertionError(type.getName() + " has no public no-argument constructor;"
          + " ServiceLoader needs one to instantiate the evaluator", e);
    }
    try {
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw new AssertionError("the no-argument constructor of " + type.getName() + " threw", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot instantiate " + type.getName() + ": " + e, e);
    }
  }
}
