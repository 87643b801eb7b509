package dev.ce4j.cli.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.train.reproduce.ReproduceReport;
import dev.ce4j.train.reproduce.Reproducer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ce reproduce RUN_DIR}: retrains a recorded run from its {@code run.json} (see {@link
 * Reproducer}) and reports a match or the first point of divergence (step, expected and actual
 * fingerprint). Human-readable lines go to standard output, and its last line is a JSON summary
 * with {@code "match"}. Exit status 0 on a match, {@value #DIVERGED} when the replay diverges.
 * Not thread-safe: one instance serves one run.
 */
@Command(
    name = "reproduce",
    mixinStandardHelpOptions = true,
    description = {
      "Retrain a recorded run from its run.json and compare every checkpoint fingerprint, the final"
          + " fingerprint and the metric log.",
      "",
      "Exit status 0 on a bitwise match, 3 on a divergence (the first differing step and"
          + " fingerprints are reported).",
      ""
    })
public final class ReproduceCommand implements Callable<Integer> {
  /** The exit status when the replay does not match the record: {@link ExitCodes#REPRODUCE_DIVERGED}. */
  public static final int DIVERGED = ExitCodes.REPRODUCE_DIVERGED;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A training output folder holding run.json.")
  private Path runDir;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Where to retrain (an empty or missing folder); default: a new temporary folder.")
  private Path work;

  /** Creates the command; picocli fills in its options. */
  public ReproduceCommand() {
    // picocli injects the fields
  }

  /**
   * Replays and reports.
   *
   * @return {@link ExitCodes#OK} on a match, {@link #DIVERGED} otherwise
   * @throws InvalidInputException if the run folder is missing or has no readable manifest, or
   *     {@code --work} is a file or a non-empty folder
   * @throws IOException if the temporary folder cannot be created
   */
  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(runDir)) {
      throw new InvalidInputException(runDir + (Files.exists(runDir) ? " is not a folder" : " does not exist")
          + "; give the output folder of a ce train run");
    }
    if (!Files.isRegularFile(runDir.resolve("run.json"))) {
      throw new InvalidInputException(runDir + " holds no run.json; give the output folder of ce train");
    }
    if (work != null) {
      requireNewOrEmpty(work);
    }
    Path replay = work != null ? work : Files.createTempDirectory("ce-reproduce-");
    PrintStream progress = ErrStream.of(spec.commandLine().getErr());
    ReproduceReport r = Reproducer.reproduce(runDir, replay, progress);
    PrintWriter out = spec.commandLine().getOut();
    for (String line : r.lines()) {
      out.println(line);
    }
    out.println(summary(r, replay));
    out.flush();
    return r.matches() ? ExitCodes.OK : DIVERGED;
  }

  /** The replay trains into a folder of its own: a new or empty one, never the recorded run's. */
  private static void requireNewOrEmpty(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException("--work " + dir + " is a file; give a new or empty folder for the replay");
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new InvalidInputException(
              "--work " + dir + " is not empty; give a new or empty folder for the replay (it is trained into)");
        }
      }
    }
  }

  private static String summary(ReproduceReport r, Path replay) throws JsonProcessingException {
    ObjectNode o = JSON.createObjectNode();
    o.put("match", r.matches());
    o.put("replay", replay.toString());
    o.put("checkpointsCompared", r.checkpointsCompared());
    if (r.divergence() == null) {
      o.putNull("divergence");
    } else {
      ObjectNode d = o.putObject("divergence");
      d.put("what", r.divergence().what());
      d.put("step", r.divergence().step());
      d.put("expected", r.divergence().expected());
      d.put("actual", r.divergence().actual());
    }
    o.put("metricsMatch", r.metricsMatch());
    o.set("dataChanges", JSON.valueToTree(r.dataChanges()));
    o.set("environmentChanges", JSON.valueToTree(r.environmentChanges()));
    return JSON.writeValueAsString(o);
  }
}
