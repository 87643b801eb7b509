package dev.ce4j.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.Architectures;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ce architectures}: lists the model architectures on the class path (see {@link
 * Architectures}), each with the {@code model_type} values it serves, its description and the jar
 * it comes from; as text, or as a JSON array with {@code --json}. Not thread-safe: one instance
 * serves one run.
 */
@Command(
    name = "architectures",
    mixinStandardHelpOptions = true,
    description = "List the model architectures ce can load, train and score, and the model_type values each serves.")
public final class ArchitecturesCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec private CommandSpec spec;

  @Option(names = "--json", description = "Print a JSON array instead of text.")
  private boolean json;

  /** Creates the command; picocli fills in its options. */
  public ArchitecturesCommand() {
    // picocli injects the fields
  }

  /**
   * Prints the list.
   *
   * @return {@link ExitCodes#OK}
   * @throws dev.ce4j.api.CeException if discovery fails (two architectures claim one id or type)
   */
  @Override
  public Integer call() {
    List<Architecture> all = Architectures.load().architectures();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode array = JSON.createArrayNode();
      for (Architecture a : all) {
        ObjectNode o = array.addObject();
        o.put("id", a.id());
        a.modelTypes().forEach(o.putArray("model_types")::add);
        o.put("description", a.description());
        o.put("class", a.getClass().getName());
        o.put("jar", jar(a));
      }
      out.println(array.toString());
    } else {
      for (Architecture a : all) {
        out.println(a.id() + "  model_type " + String.join(", ", a.modelTypes())
            + (a.description().isBlank() ? "" : "  " + a.description()) + "  (" + jar(a) + ")");
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The file name of the jar (or folder) a class comes from. */
  private static String jar(Architecture a) {
    CodeSource source = a.getClass().getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "?";
    }
    try {
      Path p = Path.of(source.getLocation().toURI());
      return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return source.getLocation().toString();
    }
  }
}
