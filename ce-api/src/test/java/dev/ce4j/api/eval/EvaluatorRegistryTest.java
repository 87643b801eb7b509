package dev.ce4j.api.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvaluatorRegistryTest {

  /** A minimal evaluator whose id is given. */
  public static class Fixed implements Evaluator {
    private final String id;

    Fixed(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public InputKind inputKind() {
      return InputKind.POINTWISE;
    }

    @Override
    public Evaluation evaluate(Predictions predictions, Parameters parameters) {
      return Evaluation.builder(id).put("n", predictions.size()).build();
    }
  }

  /** Registered in the test resources under registry/two. */
  public static class Alpha extends Fixed {
    /** For ServiceLoader. */
    public Alpha() {
      super("alpha");
    }
  }

  /** Registered in the test resources under registry/two. */
  public static class Beta extends Fixed {
    /** For ServiceLoader. */
    public Beta() {
      super("beta");
    }
  }

  /** Claims Alpha's id; registered with Alpha under registry/duplicate. */
  public static class AlphaTwin extends Fixed {
    /** For ServiceLoader. */
    public AlphaTwin() {
      super("alpha");
    }
  }

  /** A malformed id; registered under registry/malformed. */
  public static class Shouting extends Fixed {
    /** For ServiceLoader. */
    public Shouting() {
      super("SHOUTING");
    }
  }

  /** A constructor that throws; registered under registry/throwing-constructor. */
  public static class Throwing extends Fixed {
    /** For ServiceLoader. */
    public Throwing() {
      super("throwing");
      throw new IllegalStateException("no licence key");
    }
  }

  /** A static initialiser that throws; registered under registry/failing-static-init. */
  public static class FailingStaticInit extends Fixed {
    static final int VALUE = Integer.parseInt("not a number");

    /** For ServiceLoader. */
    public FailingStaticInit() {
      super("failing-" + VALUE);
    }
  }

  private static ClassLoader loaderWith(String folder) {
    URL url = Objects.requireNonNull(EvaluatorRegistryTest.class.getResource("/registry/" + folder + "/"), folder);
    return new URLClassLoader(new URL[] {url}, EvaluatorRegistryTest.class.getClassLoader());
  }

  @Test
  void loadFindsTheEvaluatorsInAServicesFile() {
    EvaluatorRegistry registry = EvaluatorRegistry.load(loaderWith("two"));
    assertThat(registry.ids()).containsExactly("alpha", "beta");
    assertThat(registry.get("alpha")).isInstanceOf(Alpha.class);
    assertThat(registry.evaluators()).extracting(Evaluator::id).containsExactly("alpha", "beta");
  }

  @Test
  void ceApiItselfRegistersNoEvaluator() {
    assertThat(EvaluatorRegistry.load().ids()).isEmpty();
  }

  @Test
  void loadNamesBothClassesOfADuplicateId() {
    assertThatThrownBy(() -> EvaluatorRegistry.load(loaderWith("duplicate")))
        .isInstanceOf(CeException.class)
        .hasMessageContaining("'alpha'")
        .hasMessageContaining(Alpha.class.getName())
        .hasMessageContaining(AlphaTwin.class.getName());
  }

  @Test
  void loadNamesTheClassOfAMalformedId() {
    assertThatThrownBy(() -> EvaluatorRegistry.load(loaderWith("malformed")))
        .isInstanceOf(CeException.class)
        .hasMessageContaining(Shouting.class.getName())
        .hasMessageContaining("'SHOUTING'");
  }

  @Test
  void loadReportsAProviderThatCannotBeLoaded() {
    assertThatThrownBy(() -> EvaluatorRegistry.load(loaderWith("missing-class")))
        .isInstanceOf(CeException.class)
        .hasMessageContaining("could not be loaded")
        .hasMessageContaining("dev.ce4j.api.eval.NoSuchEvaluator");
  }

  @Test
  void loadReportsAConstructorThatThrowsWithItsReason() {
    assertThatThrownBy(() -> EvaluatorRegistry.load(loaderWith("throwing-constructor")))
        .isInstanceOf(CeException.class)
        .hasMessage("an evaluator plugin could not be loaded: Provider " + Throwing.class.getName()
            + " could not be instantiated: its constructor failed: no licence key");
  }

  @Test
  void loadReportsAStaticInitialiserThatThrowsWithItsReason() {
    assertThatThrownBy(() -> EvaluatorRegistry.load(loaderWith("failing-static-init")))
        .isInstanceOf(CeException.class)
        .hasMessageContaining("Provider " + FailingStaticInit.class.getName() + " could not be instantiated")
        .hasMessageEndingWith("could not be instantiated: its static initialiser failed: For input string: \"not a number\"");
  }

  @Test
  void loadReportsAProviderThatIsNotAnEvaluator() {
    assertThatThrownBy(() -> EvaluatorRegistry.load(loaderWith("not-an-evaluator")))
        .isInstanceOf(CeException.class)
        .hasMessage("an evaluator plugin could not be loaded: Provider " + EvaluatorRegistryTest.class.getName()
            + " does not implement dev.ce4j.api.eval.Evaluator");
  }

  @Test
  void ofNamesBothClassesOfADuplicateId() {
    assertThatThrownBy(() -> EvaluatorRegistry.of(List.of(new Alpha(), new Beta(), new AlphaTwin())))
        .isInstanceOf(CeException.class)
        .hasMessageContaining("'alpha'")
        .hasMessageContaining(Alpha.class.getName())
        .hasMessageContaining(AlphaTwin.class.getName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Alpha", "alpha_beta", "", "-alpha", "alpha-", "1alpha", "al pha", "alpha--beta", "ålpha"})
  void aMalformedIdIsRejectedNamingTheClassAndQuotingTheId(String id) {
    assertThatThrownBy(() -> EvaluatorRegistry.of(List.of(new Fixed(id))))
        .isInstanceOf(CeException.class)
        .hasMessageContaining(Fixed.class.getName())
        .hasMessageContaining("'" + id + "'");
  }

  @Test
  void aNullIdIsRejectedNamingTheClass() {
    assertThatThrownBy(() -> EvaluatorRegistry.of(List.of(new Fixed(null))))
        .isInstanceOf(CeException.class)
        .hasMessageContaining(Fixed.class.getName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "mrr10", "binary-classification", "a-1", "x2-y3-z4"})
  void wellFormedIdsAreAccepted(String id) {
    assertThat(EvaluatorRegistry.of(List.of(new Fixed(id))).ids()).containsExactly(id);
  }

  @Test
  void anUnknownIdListsTheKnownIds() {
    EvaluatorRegistry registry = EvaluatorRegistry.of(List.of(new Beta(), new Alpha()));
    assertThatThrownBy(() -> registry.get("gamma"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'gamma'")
        .hasMessageContaining("alpha, beta");
  }

  @Test
  void idsAndEvaluatorsAreSortedAndImmutable() {
    EvaluatorRegistry registry = EvaluatorRegistry.of(List.of(new Beta(), new Alpha()));
    assertThat(registry.ids()).containsExactly("alpha", "beta");
    assertThat(registry.evaluators()).extracting(Evaluator::id).containsExactly("alpha", "beta");
    assertThatThrownBy(() -> registry.ids().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nullsAreRejected() {
    assertThatThrownBy(() -> EvaluatorRegistry.load(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> EvaluatorRegistry.of(java.util.Arrays.asList(new Alpha(), null)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> EvaluatorRegistry.of(List.of()).get(null)).isInstanceOf(NullPointerException.class);
  }
}
