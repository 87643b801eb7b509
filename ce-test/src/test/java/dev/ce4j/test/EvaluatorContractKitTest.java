package dev.ce4j.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.PointwisePredictions;
import dev.ce4j.api.eval.Predictions;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Tests the contract kit itself: it runs {@link EvaluatorContractTest} through the JUnit Platform
 * Launcher against a correct evaluator, which must pass every check, and against evaluators that
 * each break one rule, which must fail exactly the checks for that rule. So the kit cannot
 * silently pass everything, and every one of its checks is shown to fail for some defect.
 */
class EvaluatorContractKitTest {

  /** Every check of the kit: the {@code @Test} methods of its nested groups. */
  private static final Set<String> ALL_CHECKS = Arrays.stream(EvaluatorContractTest.class.getDeclaredClasses())
      .filter(c -> c.isAnnotationPresent(Nested.class))
      .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
      .filter(m -> m.isAnnotationPresent(Test.class))
      .map(Method::getName)
      .collect(Collectors.toCollection(TreeSet::new));

  @Test
  void theKitHasTheChecksItDocuments() {
    assertThat(ALL_CHECKS).hasSize(21)
        .contains("idIsWellFormed", "isDiscoverable", "inputsAreNeverModified", "metricsMatchDeclaration");
  }

  @Test
  void aCorrectEvaluatorPassesEveryCheck() {
    Map<String, TestExecutionResult.Status> results = run(CorrectContract.class);
    assertThat(results.keySet()).as("checks that ran").isEqualTo(ALL_CHECKS);
    assertThat(results.values()).as("outcomes").containsOnly(TestExecutionResult.Status.SUCCESSFUL);
  }

  static Stream<Arguments> brokenEvaluators() {
    return Stream.of(
        broken(MutatesInputContract.class, "inputsAreNeverModified"),
        broken(NonDeterministicContract.class,
            "sameInputTwiceGivesEqualResults", "freshInstancesGiveEqualResults", "explicitDefaultsGiveSameResult"),
        broken(BadIdContract.class, "idIsWellFormed", "isDiscoverable"),
        broken(UnstableIdContract.class, "idIsStable", "evaluationsCarryTheId", "isDiscoverable",
            "sameInputTwiceGivesEqualResults", "explicitDefaultsGiveSameResult"),
        broken(InstanceIdContract.class,
            "idIsSameForFreshInstances", "isDiscoverable", "freshInstancesGiveEqualResults"),
        broken(UnregisteredContract.class, "isDiscoverable"),
        broken(NoPublicConstructorContract.class, "hasPublicNoArgConstructor", "idIsSameForFreshInstances",
            "isDiscoverable", "freshInstancesGiveEqualResults"),
        broken(AcceptsNullContract.class, "nullPredictionsRejected", "nullParametersRejected"),
        broken(LenientEmptyContract.class, "emptyInputHandledAsDocumented"),
        broken(InvertedContract.class, "perfectInputReachesExpectations", "worstInputReachesExpectations"),
        broken(IgnoresUnknownParametersContract.class, "unknownParameterRejected"),
        broken(IgnoresKindContract.class, "otherKindsRejected"),
        broken(MisdeclaredDefaultContract.class, "explicitDefaultsGiveSameResult"),
        broken(BadKeyContract.class, "keysAreLowercase"),
        broken(WrongEvaluationIdContract.class, "evaluationsCarryTheId"),
        broken(WrongKindDeclaredContract.class, "inputKindMatches", "otherKindsRejected"),
        broken(DuplicateParameterContract.class, "describesItself"),
        broken(MisdeclaredMetricsContract.class, "metricsMatchDeclaration"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenEvaluators")
  void aBrokenEvaluatorFailsExactlyTheChecksForItsDefect(Class<?> contract, Set<String> expectedFailures) {
    Map<String, TestExecutionResult.Status> results = run(contract);
    assertThat(results.keySet()).as("checks that ran").isEqualTo(ALL_CHECKS);
    Set<String> failed = results.entrySet().stream()
        .filter(e -> e.getValue() == TestExecutionResult.Status.FAILED)
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(failed).as("failed checks").isEqualTo(expectedFailures);
    assertThat(results.values()).as("outcomes").doesNotContain(TestExecutionResult.Status.ABORTED);
  }

  @Test
  void everyCheckFailsForSomeBrokenEvaluator() {
    Set<String> caught = brokenEvaluators()
        .flatMap(a -> ((Set<?>) a.get()[1]).stream())
        .map(String.class::cast)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(caught).isEqualTo(ALL_CHECKS);
  }

  @Test
  void aFailureNamesTheEvaluatorClassAndId() {
    Map<String, Throwable> failures = failures(InvertedContract.class);
    assertThat(failures).containsOnlyKeys("perfectInputReachesExpectations", "worstInputReachesExpectations");
    assertThat(failures.values()).allSatisfy(f -> assertThat(f)
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("evaluator " + BrokenEvaluators.Inverted.class.getName() + " (id 'inverted'): ")
        .hasMessageContaining("accuracy on the"));
  }

  @Test
  void aMisdeclaredMetricIsReportedByKeyAndDefect() {
    Throwable failure = failures(MisdeclaredMetricsContract.class).get("metricsMatchDeclaration");
    assertThat(failure).hasMessageStartingWith(
            "evaluator " + BrokenEvaluators.MisdeclaredMetrics.class.getName() + " (id 'misdeclared-metrics'): ")
        .hasMessageContaining("metric 'accuracy' is declared a count but holds 0.")
        .hasMessageContaining("declared metric 'precision' is missing from the result")
        .hasMessageContaining("metric 'error_rate' is in the result but not declared");
  }

  @Test
  void theFixturesAreSkippedUnlessTheKitTestLaunchesThem() {
    Map<String, TestExecutionResult.Status> results = run(BadIdContract.class, false);
    assertThat(results).as("checks that ran without the self-test switch").isEmpty();
  }

  @Test
  void aCaseNeedsAnExpectedValue() {
    Predictions p = new PointwisePredictions(new double[] {1}, new double[] {1});
    assertThatThrownBy(() -> EvaluatorContractTest.Case.of(p, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> EvaluatorContractTest.Case.of(null, Map.of("a", 1.0)))
        .isInstanceOf(NullPointerException.class);
  }

  // ---------------------------------------------------------------------------------------------

  private static Arguments broken(Class<?> contract, String... expectedFailures) {
    return Arguments.of(contract, new TreeSet<>(Arrays.asList(expectedFailures)));
  }

  private static Map<String, TestExecutionResult.Status> run(Class<?> contract) {
    return run(contract, true);
  }

  /** Runs a contract class and returns the failure of each failed check by method name. */
  private static Map<String, Throwable> failures(Class<?> contract) {
    Map<String, Throwable> failures = new TreeMap<>();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(contract))
        .configurationParameter(LaunchedByKitTest.PARAMETER, "true").build();
    LauncherFactory.create().execute(request, new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest() && result.getThrowable().isPresent()) {
          String check = test.getSource()
              .filter(org.junit.platform.engine.support.descriptor.MethodSource.class::isInstance)
              .map(s -> ((org.junit.platform.engine.support.descriptor.MethodSource) s).getMethodName())
              .orElse(test.getUniqueId());
          failures.put(check, result.getThrowable().get());
        }
      }
    });
    return failures;
  }

  /** Runs a contract class and returns each check's outcome by method name. */
  private static Map<String, TestExecutionResult.Status> run(Class<?> contract, boolean enable) {
    LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(contract));
    if (enable) {
      builder.configurationParameter(LaunchedByKitTest.PARAMETER, "true");
    }
    LauncherDiscoveryRequest request = builder.build();
    Map<String, TestExecutionResult.Status> results = new TreeMap<>();
    LauncherFactory.create().execute(request, new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest()) {
          String check = test.getSource()
              .filter(org.junit.platform.engine.support.descriptor.MethodSource.class::isInstance)
              .map(s -> ((org.junit.platform.engine.support.descriptor.MethodSource) s).getMethodName())
              .orElse(test.getUniqueId());
          assertThat(results.put(check, result.getStatus())).as("check %s ran once", check).isNull();
        }
      }
    });
    return results;
  }

  // ---- the contract subclasses the kit is run against ------------------------------------------

  /** The perfect and worst inputs of {@link ThresholdAccuracyEvaluatorContractTest}. */
  @ExtendWith(LaunchedByKitTest.class)
  abstract static class FixtureContract extends EvaluatorContractTest {
    @Override
    protected Case perfect() {
      return new ThresholdAccuracyEvaluatorContractTest().perfect();
    }

    @Override
    protected Case worst() {
      return new ThresholdAccuracyEvaluatorContractTest().worst();
    }
  }

  static class CorrectContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new ThresholdAccuracyEvaluator(); }
  }

  static class MutatesInputContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.MutatesInput(); }
  }

  static class NonDeterministicContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.NonDeterministic(); }
  }

  static class BadIdContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.BadId(); }
  }

  static class UnstableIdContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.UnstableId(); }
  }

  static class InstanceIdContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.InstanceId(); }
  }

  static class UnregisteredContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.Unregistered(); }
  }

  static class NoPublicConstructorContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.NoPublicConstructor("no-public-constructor"); }
  }

  static class AcceptsNullContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.AcceptsNull(); }
  }

  static class LenientEmptyContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.LenientEmpty(); }
  }

  static class InvertedContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.Inverted(); }
  }

  static class IgnoresUnknownParametersContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.IgnoresUnknownParameters(); }
  }

  static class IgnoresKindContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.IgnoresKind(); }
  }

  static class MisdeclaredDefaultContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.MisdeclaredDefault(); }
  }

  static class BadKeyContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.BadKey(); }
  }

  static class WrongEvaluationIdContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.WrongEvaluationId(); }
  }

  static class WrongKindDeclaredContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.WrongKindDeclared(); }

    @Override protected Predictions typical() { return ContractInputs.typical(InputKind.POINTWISE, 1); }
  }

  static class MisdeclaredMetricsContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.MisdeclaredMetrics(); }
  }

  static class DuplicateParameterContract extends FixtureContract {
    @Override protected Evaluator evaluator() { return new BrokenEvaluators.DuplicateParameter(); }
  }
}
