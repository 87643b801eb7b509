package dev.ce4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Runs {@code ce} in this JVM with captured output, the way the tests drive the command line.
 *
 * @param status the exit status
 * @param out everything written to standard output
 * @param err everything written to standard error
 */
public record CliRun(int status, String out, String err) {

  /**
   * Runs {@code ce} with an empty environment.
   *
   * @param args the arguments
   * @return the outcome
   */
  public static CliRun ce(String... args) {
    return ce(Map.of(), args);
  }

  /**
   * Runs {@code ce} with the given environment variables.
   *
   * @param env the environment
   * @param args the arguments
   * @return the outcome
   */
  public static CliRun ce(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = CeCommand.run(args, new PrintWriter(out), new PrintWriter(err), env::get);
    return new CliRun(status, out.toString(), err.toString());
  }

  /**
   * Whether standard error holds a Java stack trace or an exception class name.
   *
   * @return true if it does
   */
  public boolean errHasStackTrace() {
    return err.contains("\tat ") || err.contains("at dev.") || err.contains("at java.")
        || err.contains("Exception") || err.contains("Caused by");
  }
}
