package dev.ce4j.examples.usage.internal;

import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The exit status of an example, as the {@code ce} command line has it: 0 done, 2 bad arguments
 * or input (one line naming the problem), 1 any other failure of ce (one line). Stateless.
 */
public final class ExampleMain {
  /** Done. */
  public static final int OK = 0;
  /** A failure inside ce or the engine. */
  public static final int FAILED = 1;
  /** Bad arguments or input. */
  public static final int BAD_INPUT = 2;

  private ExampleMain() {}

  /**
   * Runs an example and maps its outcome to an exit status, printing the error's message.
   *
   * @param name the example's name, the prefix of error lines, never null
   * @param err where the error line goes, never null
   * @param body the example, never null
   * @return {@link #OK}, {@link #BAD_INPUT} or {@link #FAILED}
   */
  public static int exitStatus(String name, PrintStream err, Supplier<?> body) {
    Objects.requireNonNull(body, "body");
    try {
      body.get();
      return OK;
    } catch (InvalidInputException e) {
      err.println(name + ": " + e.getMessage());
      return BAD_INPUT;
    } catch (CeException | UncheckedIOException e) {
      err.println(name + ": " + e.getMessage());
      return FAILED;
    }
  }

  /**
   * Flushes standard output and exits the JVM with a status.
   *
   * @param status the exit status
   */
  public static void exit(int status) {
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }
}
