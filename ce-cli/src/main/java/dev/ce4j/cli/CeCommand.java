package dev.ce4j.cli;

import dev.ce4j.cli.evaluate.EvaluateCommand;
import dev.ce4j.cli.evaluate.EvaluatorsCommand;
import dev.ce4j.cli.internal.ErrorReporter;
import dev.ce4j.cli.model.ArchitecturesCommand;
import dev.ce4j.cli.model.FingerprintCommand;
import dev.ce4j.cli.model.ImportOnnxCommand;
import dev.ce4j.cli.model.InitCommand;
import dev.ce4j.cli.model.PredictCommand;
import dev.ce4j.cli.model.RankCommand;
import dev.ce4j.cli.train.ReproduceCommand;
import dev.ce4j.cli.train.TrainCommand;
import dev.ce4j.cli.internal.HelpLayout;
import dev.ce4j.cli.internal.OutputGuard;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
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
      ArchitecturesCommand.class,
      ImportOnnxCommand.class,
      InitCommand.class,
      PredictCommand.class,
      RankCommand.class,
      FingerprintCommand.class,
      TrainCommand.class,
      ReproduceCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success.",
      "1:internal error, a bug in ce or in a plugin (rerun with --debug or CE_DEBUG=1 for the stack"
          + " trace).",
      "2:bad usage, bad input, a plugin that cannot be loaded, or standard output that cannot be"
          + " written (a full disk, a closed pipe); the message names the option, file, line or jar.",
      "3:ce reproduce only: the replay differs from the recorded run."
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
   * <p>Results are written to the standard output file descriptor directly, not through {@link
   * System#out} (a {@code PrintStream}, which hides write errors), so that a full disk or a closed
   * pipe is seen and reported.
   *
   * @param args the command-line arguments, never null
   */
  public static void main(String[] args) {
    Writer out = new BufferedWriter(
        new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int status = run(args, out, err, System::getenv);
    System.exit(status);
  }

  /**
   * Runs {@code ce} in this JVM without exiting: what {@link #main} does, with the output streams
   * and the environment supplied by the caller (tests use this).
   *
   * <p>When writing to {@code out} fails (an {@link IOException} from a plain writer, or the error
   * state of a {@link PrintWriter}), the command's results are incomplete: a one-line message
   * naming the command and, where known, the reason goes to {@code err}, and the status is
   * {@link ExitCodes#INVALID_INPUT} unless the command had already failed.
   *
   * @param args the command-line arguments, never null
   * @param out where results go, never null; flushed, not closed, before returning
   * @param err where error messages go, never null; flushed before returning
   * @param env the environment variables, never null; a missing variable maps to null
   * @return the exit status, one of {@link ExitCodes}
   */
  public static int run(String[] args, Writer out, Writer err, UnaryOperator<String> env) {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(env, "env");
    OutputGuard guard = new OutputGuard(out);
    PrintWriter results = new PrintWriter(guard, true);
    PrintWriter messages = err instanceof PrintWriter p ? p : new PrintWriter(err, true);
    ErrorReporter reporter = new ErrorReporter(env);
    CommandLine cl = commandLine(results, messages, env);
    int status;
    try {
      status = cl.execute(args);
    } catch (OutOfMemoryError | LinkageError e) {
      status = reporter.handleError(e, messages);
    }
    results.flush();
    IOException failure = guard.failure();
    if (failure != null || (out instanceof PrintWriter p && p.checkError())) {
      status = reporter.handleOutputFailure(status, cl.getParseResult(), failure, messages);
    }
    messages.flush();
    return status;
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
    HelpLayout.apply(cl);
    for (CommandLine sub : cl.getSubcommands().values()) {
      // 'ce predict --version' says what 'ce --version' says, instead of printing nothing
      CommandSpec spec = sub.getCommandSpec();
      if (spec.versionProvider() == null && spec.version().length == 0) {
        spec.versionProvider(new Version());
      }
    }
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
