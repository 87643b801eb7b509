package dev.ce4j.cli.internal;

import dev.ce4j.api.CeException;
import dev.ce4j.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure of a {@code ce} run into one message on standard error and an exit status
 * from {@link ExitCodes}.
 *
 * <p>Usage errors and {@link CeException}s (bad input, plugin problems) exit with
 * {@link ExitCodes#INVALID_INPUT} and print only their message. Any other exception is a bug: it
 * exits with {@link ExitCodes#INTERNAL_ERROR} and prints a short message and how to see the stack
 * trace. The stack trace is printed when {@code --debug} was given or the environment variable
 * {@code CE_DEBUG} is set to anything but {@code 0}, {@code false} or the empty string. A failed
 * write to standard output (a full disk, a closed pipe) is also something the user can fix: see
 * {@link #handleOutputFailure}. Immutable and thread-safe.
 */
public final class ErrorReporter
    implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

  /** The environment variable that turns on stack traces. */
  public static final String DEBUG_ENV = "CE_DEBUG";

  /** The option that turns on stack traces. */
  public static final String DEBUG_OPTION = "--debug";

  private final UnaryOperator<String> env;

  /**
   * Creates a reporter.
   *
   * @param env the environment variables, never null; a missing variable maps to null
   */
  public ErrorReporter(UnaryOperator<String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    String name = commandLine.getCommandSpec().qualifiedName();
    boolean debug = debugRequested(parseResult);
    int status;
    if (ex instanceof CeException) {
      err.println(name + ": " + ex.getMessage());
      status = ExitCodes.INVALID_INPUT;
    } else {
      err.println(name + ": internal error: " + describe(ex));
      if (!debug) {
        err.println("Rerun with " + DEBUG_OPTION + " (or set " + DEBUG_ENV
            + "=1) to see the stack trace, and please report it.");
      }
      status = ExitCodes.INTERNAL_ERROR;
    }
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return status;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    err.println(name + ": " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + name + " --help' for more information.");
    if (debugRequested(cl.getParseResult()) || debugFromEnv()) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.INVALID_INPUT;
  }

  /**
   * Reports an {@link Error} that escaped the command (a plugin missing one of its dependencies,
   * memory exhausted): a message, the stack trace when {@code CE_DEBUG} is set, and
   * {@link ExitCodes#INTERNAL_ERROR}.
   *
   * @param error the error, never null
   * @param err where to print, never null
   * @return {@link ExitCodes#INTERNAL_ERROR}
   */
  public int handleError(Error error, PrintWriter err) {
    if (error instanceof OutOfMemoryError) {
      err.println("ce: out of memory; give Java more heap, for example CE_JAVA_OPTS=-Xmx8g");
    } else {
      err.println("ce: internal error: " + describe(error));
      if (error instanceof LinkageError) {
        err.println("A plugin jar may lack one of its dependencies.");
      }
    }
    if (debugFromEnv()) {
      error.printStackTrace(err);
    } else {
      err.println("Set " + DEBUG_ENV + "=1 to see the stack trace.");
    }
    err.flush();
    return ExitCodes.INTERNAL_ERROR;
  }

  /**
   * Reports that writing to standard output failed (a full disk, a closed pipe): the command's
   * results, help or version text are incomplete. Prints one line naming the command and the
   * reason, such as {@code ce predict: cannot write the results to standard output: No space left
   * on device}, plus the stack trace when asked for.
   *
   * <p>The failure is something the user can fix, so a run that had succeeded (or whose {@code ce
   * reproduce} diverged, a result that did not reach its reader) exits with {@link
   * ExitCodes#INVALID_INPUT}; a run that had already failed keeps its status and message.
   *
   * @param status the status the command ended with
   * @param parseResult the parse result of the root command, may be null
   * @param failure the exception of the failed write, or null when only the writer's error state is
   *     known
   * @param err where to print, never null
   * @return the exit status of the run
   */
  public int handleOutputFailure(int status, ParseResult parseResult, IOException failure, PrintWriter err) {
    if (status != ExitCodes.OK && status != ExitCodes.REPRODUCE_DIVERGED) {
      return status;
    }
    String reason = failure == null
        ? " (the writer reported an error)"
        : ": " + (failure.getMessage() == null || failure.getMessage().isBlank()
            ? failure.getClass().getSimpleName()
            : failure.getMessage());
    err.println(commandName(parseResult) + ": cannot write " + whatWasWritten(parseResult)
        + " to standard output" + reason);
    if (failure != null && debugRequested(parseResult)) {
      failure.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.INVALID_INPUT;
  }

  /** The qualified name of the command that ran, such as {@code ce predict}. */
  private static String commandName(ParseResult parseResult) {
    String name = "ce";
    for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
      name = r.commandSpec().qualifiedName();
    }
    return name;
  }

  /** What went to standard output: the help, the version or the results. */
  private static String whatWasWritten(ParseResult parseResult) {
    for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.isUsageHelpRequested() || r.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
        return "the help";
      }
      if (r.isVersionHelpRequested()) {
        return "the version";
      }
    }
    return "the results";
  }

  /**
   * Whether stack traces were asked for, by option or environment.
   *
   * @param parseResult the parse result of the root command, may be null
   * @return true to print stack traces
   */
  boolean debugRequested(ParseResult parseResult) {
    for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption(DEBUG_OPTION)) {
        return true;
      }
    }
    return debugFromEnv();
  }

  private boolean debugFromEnv() {
    String value = env.apply(DEBUG_ENV);
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    return !v.isEmpty() && !v.equals("0") && !v.equals("false");
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getName() + (message == null ? "" : ": " + message);
  }
}
