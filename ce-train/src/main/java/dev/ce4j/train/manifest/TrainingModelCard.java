package dev.ce4j.train.manifest;

import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.io.ModelCard;
import dev.ce4j.train.config.ModelSource;
import dev.ce4j.train.config.TrainingArguments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model card of a training run's final model: {@link ModelCard}'s sections and the run's own,
 * from its manifest: the base model, the data files with their SHA-256, the loss, the seed, the
 * last evaluation's metrics, every argument (the JSON {@code run.json} records) and the command
 * that replays the run. Stateless.
 */
public final class TrainingModelCard {
  private TrainingModelCard() {}

  /**
   * The card.
   *
   * @param config the final model's configuration, never null
   * @param manifest the run's manifest, with its final fingerprint, never null
   * @param output the run folder, for the replay command, never null
   * @return the card, never null
   */
  public static ModelCard of(ModelConfig config, RunManifest manifest, Path output) {
    TrainingArguments args = manifest.arguments();
    List<String> sections = new ArrayList<>();
    StringBuilder t = new StringBuilder("## Training\n\n");
    ModelSource m = args.model();
    t.append("- **Base model:** ").append(m.path() != null
        ? "`" + m.path() + "`"
        : "none: initialised from the seed with `" + m.config() + "` and `" + m.tokenizer() + "`").append('\n');
    t.append("- **Loss:** `").append(args.loss().name()).append('`');
    if (!args.loss().params().asMap().isEmpty()) {
      t.append(' ').append(args.loss().params().asMap());
    }
    t.append('\n');
    t.append("- **Seed:** ").append(args.seed()).append(" (data order: ").append(args.effectiveDataSeed())
        .append("), ").append(manifest.environment().threads()).append(" intra-op threads\n");
    t.append("- **Steps:** ").append(manifest.checkpoints().isEmpty() ? "see `run.json`"
        : manifest.checkpoints().get(manifest.checkpoints().size() - 1).step() + " (last checkpoint)").append('\n');
    t.append("\n| data | file | SHA-256 |\n|---|---|---|\n");
    for (DataFileDigest d : manifest.dataFiles()) {
      t.append("| ").append(d.role()).append(" | `").append(d.path()).append("` | `").append(d.sha256()).append("` |\n");
    }
    sections.add(t.toString());
    if (!manifest.metrics().isEmpty()) {
      MetricsRecord last = manifest.metrics().get(manifest.metrics().size() - 1);
      StringBuilder e = new StringBuilder("## Evaluation\n\nThe last evaluation, at step ").append(last.step())
          .append(":\n\n| metric | value |\n|---|---:|\n");
      for (Map.Entry<String, Double> v : last.values().entrySet()) {
        e.append("| ").append(v.getKey()).append(" | ").append(String.format(Locale.ROOT, "%.4f", v.getValue()))
            .append(" |\n");
      }
      sections.add(e.toString());
    }
    sections.add("## Reproduce\n\nThe run's manifest, `run.json`, records everything above. In the run folder's"
        + " parent, with the same data files:\n\n```sh\nce reproduce " + output.getFileName() + "\n```\n\n"
        + "retrains from it and checks every checkpoint's fingerprint and the metrics.\n\n"
        + "<details><summary>Arguments</summary>\n\n```json\n" + args.toJson() + "\n```\n\n</details>\n");
    return new ModelCard(config, manifest.finalFingerprint(), sections);
  }
}
