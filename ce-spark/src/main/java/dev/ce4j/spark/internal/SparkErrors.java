package dev.ce4j.spark.internal;

import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Spark action on the driver and turns a failed task's {@code ce} error back into that error:
 * Spark wraps it in a {@code SparkException} ("Job aborted due to stage failure: ...") whose message
 * is mostly the scheduler's, and the task's exception reaches the driver only as text in it; the
 * user should read what went wrong first. Stateless.
 */
public final class SparkErrors {
  /** A ce exception as Spark quotes a failed task: class name, message, then its stack trace. */
  private static final Pattern QUOTED = Pattern.compile(
      "(dev\\.ce4j\\.[\\w.]*?(\\w*Exception)): (.*?)(?:\\R\\s+at |\\R\\RDriver stacktrace|$)", Pattern.DOTALL);

  private SparkErrors() {}

  /**
   * Runs an action.
   *
   * @param <T> the result type
   * @param action the action, never null
   * @return its result
   * @throws CeException with the message of the first {@link CeException} among the causes (the
   *     Spark exception kept as the cause), or the original exception if there is none
   */
  public static <T> T run(Supplier<T> action) {
    try {
      return action.get();
    } catch (CeException e) {
      throw e;
    } catch (Exception e) { // SparkException is checked in Java's eyes, though Scala throws it undeclared
      for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
        if (t instanceof InvalidInputException ce) {
          throw new InvalidInputException(ce.getMessage(), e);
        }
        if (t instanceof CeException ce) {
          throw new CeException(ce.getMessage(), e);
        }
      }
      for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
        Matcher m = QUOTED.matcher(String.valueOf(t.getMessage()));
        if (m.find()) {
          throw m.group(2).equals("InvalidInputException")
              ? new InvalidInputException(m.group(3), e) : new CeException(m.group(3), e);
        }
      }
      throw SparkErrors.<RuntimeException>sneaky(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E sneaky(Exception e) throws E {
    throw (E) e;
  }
}
