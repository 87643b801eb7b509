package dev.ce4j.test;

import dev.ce4j.api.eval.Evaluator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Puts the evaluator's class and id in front of the message of every failing contract check, so
 * that a build report listing many contract tests says which evaluator broke the contract. An
 * assertion keeps its expected and actual values (IDEs show the difference) and its stack trace; the
 * original failure is the cause. Aborted checks pass through unchanged. Stateless.
 */
final class NamesTheEvaluator implements TestExecutionExceptionHandler {
  /** For JUnit. */
  NamesTheEvaluator() {}

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    if (failure instanceof TestAbortedException) {
      throw failure;
    }
    String label = label(context);
    if (label == null) {
      throw failure;
    }
    String message = label + ": " + (failure instanceof AssertionError
        ? String.valueOf(failure.getMessage()).strip()
        : "it threw " + failure);
    AssertionError named;
    if (failure instanceof AssertionFailedError f && (f.isExpectedDefined() || f.isActualDefined())) {
      named = new AssertionFailedError(message,
          f.isExpectedDefined() ? f.getExpected().getValue() : null,
          f.isActualDefined() ? f.getActual().getValue() : null, failure);
    } else {
      named = new AssertionFailedError(message, failure);
    }
    named.setStackTrace(failure.getStackTrace());
    throw named;
  }

  /** "evaluator com.example.FooEvaluator (id 'foo')", or null when there is no contract instance. */
  private static String label(ExtensionContext context) {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      if (instance instanceof EvaluatorContractTest contract) {
        Evaluator evaluator;
        try {
          evaluator = contract.evaluator();
        } catch (RuntimeException | LinkageError e) {
          return "evaluator of " + contract.getClass().getName() + " (evaluator() threw " + e + ")";
        }
        if (evaluator == null) {
          return "evaluator of " + contract.getClass().getName() + " (evaluator() returned null)";
        }
        String id;
        try {
          id = "'" + evaluator.id() + "'";
        } catch (RuntimeException e) {
          id = "unknown: id() threw " + e;
        }
        return "evaluator " + evaluator.getClass().getName() + " (id " + id + ")";
      }
    }
    return null;
  }
}
