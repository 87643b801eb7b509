package dev.ce4j.core.io;

import dev.ce4j.core.CeVersion;
import dev.ce4j.core.arch.ModelConfig;
import java.util.List;
import java.util.Objects;

/**
 * A model folder's {@code README.md}, as the Hugging Face Hub shows it: the metadata block
 * sentence-transformers writes (tags, {@code pipeline_tag}, {@code library_name}), what the model
 * is (architecture, labels, maximum length, activation, the weights' fingerprint, the {@code ce}
 * version that saved it), how to load it in Python and in Java, and sections a caller adds (a
 * training run's data, arguments and metrics). Immutable.
 *
 * @param config the model's configuration, never null
 * @param fingerprint the weights' fingerprint ({@code ce fingerprint}), never null
 * @param sections further sections in Markdown, each starting with its {@code ##} heading, never
 *     null
 */
public record ModelCard(ModelConfig config, String fingerprint, List<String> sections) {
  /** The file name. */
  public static final String FILE = "README.md";

  /** Copies the sections. */
  public ModelCard {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(fingerprint, "fingerprint");
    sections = List.copyOf(sections);
  }

  /**
   * The card as Markdown.
   *
   * @return the text, never null
   */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("---\ntags:\n- sentence-transformers\n- cross-encoder\n- reranker\n- ce\n")
        .append("pipeline_tag: text-classification\nlibrary_name: sentence-transformers\n---\n\n");
    md.append("# Cross-encoder (").append(config.modelType()).append(")\n\n");
    md.append("A cross-encoder saved by `ce` ").append(CeVersion.get())
        .append(": it reads a (query, document) pair together and scores it. The folder loads in"
            + " sentence-transformers (`CrossEncoder`), transformers"
            + " (`AutoModelForSequenceClassification`) and `ce`.\n\n");
    md.append("## Model\n\n");
    md.append("- **Architecture:** `").append(config.modelType()).append("`, ").append(config.describeSizes())
        .append(", ").append(String.format(java.util.Locale.ROOT, "%,d", config.parameterCount()))
        .append(" weights\n");
    md.append("- **Outputs:** ").append(config.numLabels()).append(config.numLabels() == 1 ? " (" : " (labels ")
        .append(config.numLabels() == 1 ? "a relevance score" : String.join(", ", config.labels())).append(")\n");
    md.append("- **Activation:** `").append(config.activation().className()).append("`\n");
    md.append("- **Maximum sequence length:** ").append(config.maxLength()).append(" tokens\n");
    md.append("- **Fingerprint** (SHA-256 of the weights, `ce fingerprint`): `").append(fingerprint).append("`\n\n");
    md.append("## Usage\n\n```python\nfrom sentence_transformers import CrossEncoder\n\n")
        .append("model = CrossEncoder(\"path/to/this/folder\")\n")
        .append("scores = model.predict([(\"a query\", \"a document\")])\n```\n\n")
        .append("```java\ntry (CrossEncoder model = CrossEncoder.load(Path.of(\"path/to/this/folder\"))) {\n")
        .append("  double[][] scores = model.predict(List.of(TextPair.of(\"a query\", \"a document\")));\n}\n```\n");
    for (String s : sections) {
      md.append('\n').append(s.strip()).append('\n');
    }
    return md.toString();
  }
}
