package dev.ce4j.cli.evaluate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ce4j.api.eval.Evaluator;
import dev.ce4j.api.eval.EvaluatorRegistry;
import dev.ce4j.api.eval.MetricSpec;
import dev.ce4j.api.eval.ParameterSpec;
import dev.ce4j.api.eval.Parameters;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.cli.evaluate.internal.InputFormat;
import dev.ce4j.cli.internal.PluginsOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ce evaluators}: lists every evaluator {@link EvaluatorRegistry} finds, plugins included,
 * with its input kind and file format, description, parameters (name, default, description) and
 * the metrics it declares with its default parameters (key, kind, direction, description); as
 * text, or as a JSON array with {@code --json}. Not thread-safe: one instance serves one run.
 */
@Command(
    name = "evaluators",
    mixinStandardHelpOptions = true,
    description = "List the available evaluators, their input format and parameters.")
public final class EvaluatorsCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private PluginsOption plugins;

  @Option(names = "--json", description = "Print a JSON array instead of text.")
  private boolean json;

  /** Creates the command; picocli fills in its options. */
  public EvaluatorsCommand() {
    // picocli injects the fields
  }

  /**
   * Prints the list.
   *
   * @return {@link ExitCodes#OK}
   * @throws dev.ce4j.api.CeException if plugin discovery fails
   */
  @Override
  public Integer call() {
    try (PluginsOption.Plugins loaded = plugins.open()) {
      List<Evaluator> evaluators = loaded.evaluators().evaluators();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(toJson(evaluators));
      } else {
        printText(evaluators, out);
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  private static void printText(List<Evaluator> evaluators, PrintWriter out) {
    if (evaluators.isEmpty()) {
      out.println("No evaluators found.");
      return;
    }
    String sep = "";
    for (Evaluator e : evaluators) {
      out.print(sep);
      sep = System.lineSeparator();
      out.println(e.id());
      if (!e.description().isBlank()) {
        out.println("  " + e.description());
      }
      out.println("  input: " + kindName(e) + ", " + InputFormat.explain(e.inputKind()));
      out.println("         " + InputFormat.example(e.inputKind()));
      List<ParameterSpec> specs = e.parameters();
      if (specs.isEmpty()) {
        out.println("  parameters: none");
      } else {
        out.println("  parameters:");
        int nameWidth = specs.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        int defaultWidth = specs.stream().mapToInt(s -> defaultText(s).length()).max().orElse(0);
        for (ParameterSpec s : specs) {
          out.println("    " + pad(s.name(), nameWidth) + "  " + pad(defaultText(s), defaultWidth) + "  "
              + s.description());
        }
      }
      printMetrics(e, out);
    }
  }

  private static void printMetrics(Evaluator e, PrintWriter out) {
    List<MetricSpec> metrics = e.metrics(Parameters.empty());
    if (metrics.isEmpty()) {
      out.println("  metrics: not declared (a number or a per-label array each; lower is better for a key"
          + " ending in 'loss', higher for the others)");
      return;
    }
    out.println("  metrics" + (e.parameters().isEmpty() ? "" : " (with the default parameters)") + ":");
    int keyWidth = metrics.stream().mapToInt(m -> m.key().length()).max().orElse(0);
    int kindWidth = metrics.stream().mapToInt(m -> m.kind().jsonName().length()).max().orElse(0);
    int directionWidth = metrics.stream().mapToInt(m -> directionText(m).length()).max().orElse(0);
    for (MetricSpec m : metrics) {
      out.println(("    " + pad(m.key(), keyWidth) + "  " + pad(m.kind().jsonName(), kindWidth) + "  "
          + pad(directionText(m), directionWidth) + "  " + m.description()).stripTrailing());
    }
  }

  private static String directionText(MetricSpec m) {
    return m.direction() == MetricSpec.Direction.NONE ? "-" : m.direction().jsonName() + " is better";
  }

  private static String toJson(List<Evaluator> evaluators) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
      g.writeStartArray();
      for (Evaluator e : evaluators) {
        g.writeStartObject();
        g.writeStringField("id", e.id());
        g.writeStringField("input_kind", kindName(e));
        g.writeStringField("input_example", InputFormat.example(e.inputKind()));
        g.writeStringField("description", e.description());
        g.writeArrayFieldStart("parameters");
        for (ParameterSpec s : e.parameters()) {
          g.writeStartObject();
          g.writeStringField("name", s.name());
          g.writeFieldName("default");
          if (s.defaultValue().isPresent()) {
            g.writeString(s.defaultValue().get());
          } else {
            g.writeNull();
          }
          g.writeStringField("description", s.description());
          g.writeEndObject();
        }
        g.writeEndArray();
        List<MetricSpec> metrics = e.metrics(Parameters.empty());
        g.writeBooleanField("metrics_declared", !metrics.isEmpty());
        g.writeArrayFieldStart("metrics");
        for (MetricSpec m : metrics) {
          g.writeStartObject();
          g.writeStringField("key", m.key());
          g.writeStringField("kind", m.kind().jsonName());
          g.writeStringField("direction", m.direction().jsonName());
          g.writeStringField("description", m.description());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write JSON to a string", ex);
    }
    return text.toString();
  }

  private static String kindName(Evaluator e) {
    return e.inputKind().name().toLowerCase(Locale.ROOT);
  }

  private static String defaultText(ParameterSpec spec) {
    return spec.defaultValue().map(v -> "(default " + v + ")").orElse("(no default)");
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
