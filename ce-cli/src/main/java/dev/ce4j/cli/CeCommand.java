package dev.ce4j.cli;

import dev.ce4j.cli.evaluate.EvaluateCommand;
import dev.ce4j.cli.evaluate.EvaluatorsCommand;
import dev.ce4j.cli.internal.ErrorReporter;
import dev.ce4j.cli.model.FingerprintCommand;
import dev.ce4j.cli.model.ImportOnnxCommand;
import dev.ce4j.cli.model.InitCommand;
import dev.ce4j.cli.model.PredictCommand;
import dev.ce4j.cli.model.RankCommand;
import dev.ce4j.cli.train.ReproduceCommand;
import dev.ce4j.cli.train.TrainCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code ce} command: the entry point of the command line and the parent of every
 * subcommand.
 *
 * <p>Each subcommand is its own class in the sub-package of its capability and is listed in the
 * {@code subcommands} attribute below; adding one is adding a class and a line here. Exit
 * statuses are described by {@link ExitCodes}. Not thread-safe: one instance serves one run.
 */
@Command(
    name = "ce",
    mixinStandardHelpOptions = true,
    versionProvider = CeCommand.Version.class,
    description = "Train, evaluate and serve cross-encoder rerankers.",
    subcommands = {
      EvaluatorsCommand.class,
      EvaluateCommand.class,
      ImportOnnxCommand.class,
      InitCommand.class,
      PredictCommand.class,
      RankCommand.class,
      FingerprintCommand.class,
      TrainCommand.class,
      ReproduceCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit status: 0 success, 1 internal error (rerun with --debug or CE_DEBUG=1 for the stack"
          + " trace), 2 bad usage, bad input or a plugin problem."
    })
public final class CeCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with error messages (same as the environment variable"
          + " CE_DEBUG=1).")
  private boolean debug;

  /** Creates the command; picocli fills in its options. */
  public CeCommand() {
    // picocli injects the fields
  }

  /**
   * Runs {@code ce} and exits the JVM with its {@link ExitCodes exit status}.
   *
   * @param args the command-line arguments, never null
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int status = run(args, out, err, System::getenv);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs {@code ce} in this JVM without exiting: what {@link #main} does, with the output streams
   * and the environment supplied by the caller (tests use this).
   *
   * @param args the command-line arguments, never null
   * @param out where results go, never null; flushed before returning
   * @param err where error messages go, never null; flushed before returning
   * @param env the environment variables, never null; a missing variable maps to null
   * @return the exit status, one of {@link ExitCodes}
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, UnaryOperator<String> env) {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(env, "env");
    try {
      return commandLine(out, err, env).execute(args);
    } catch (OutOfMemoryError | LinkageError e) {
      return new ErrorReporter(env).handleError(e, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * A fully configured picocli command line for {@code ce}: output streams, exit codes and the
   * error handling described in {@link ExitCodes}.
   *
   * @param out where results go, never null
   * @param err where error messages go, never null
   * @param env the environment variables, never null
   * @return a new command line, never null
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, UnaryOperator<String> env) {
    ErrorReporter reporter = new ErrorReporter(env);
    CommandLine cl = new CommandLine(new CeCommand());
    cl.setOut(Objects.requireNonNull(out, "out"));
    cl.setErr(Objects.requireNonNull(err, "err"));
    cl.setExecutionExceptionHandler(reporter);
    cl.setParameterExceptionHandler(reporter);
    return cl;
  }

  /** Without a subcommand, {@code ce} is a usage error. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand; choose one of "
        + String.join(", ", spec.subcommands().keySet()));
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CeCommand.class.getPackage().getImplementationVersion();
      return new String[] {"ce " + (v == null ? "(development build)" : v)};
    }
  }
}
