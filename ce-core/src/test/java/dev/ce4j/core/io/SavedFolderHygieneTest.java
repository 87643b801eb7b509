package dev.ce4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CeVersion;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a saved folder holds besides the weights, checked against the folders sentence-transformers
 * 6.0.1 itself saved (committed under {@code interop/st-saved}): the tokenizer without the export's
 * fixed truncation and padding, sentence-transformers' three files as it lays them out, a model
 * card, the {@code ce} version; and that saving over a folder keeps what is the user's.
 */
class SavedFolderHygieneTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ST_SAVED =
      Path.of("src", "test", "resources", "dev", "ce4j", "core", "interop", "st-saved", "st-minilmtok-3label-f16");
  private static final List<TextPair> PAIRS =
      List.of(TextPair.of("what is the capital of france", "Paris is the capital of France."), TextPair.of("a", "b"));

  @TempDir Path dir;

  @Test
  void theTokenizerIsSavedWithoutFixedTruncationAndPaddingAndOtherwiseUnchanged() throws IOException {
    Path out = dir.resolve("saved");
    try (CrossEncoder m = CrossEncoder.load(ST_SAVED)) {
      m.save(out);
    }
    JsonNode before = JSON.readTree(ST_SAVED.resolve(ModelFolder.TOKENIZER).toFile());
    JsonNode after = JSON.readTree(out.resolve(ModelFolder.TOKENIZER).toFile());
    assertThat(before.get("truncation").get("max_length").intValue()).isEqualTo(128); // the export's
    assertThat(before.get("padding").get("strategy").get("Fixed").intValue()).isEqualTo(128);
    assertThat(after.get("truncation").isNull()).isTrue();
    assertThat(after.get("padding").isNull()).isTrue();
    ((ObjectNode) before).putNull("truncation");
    ((ObjectNode) before).putNull("padding");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void sentenceTransformersFilesAreLaidOutAsItWritesThem() throws IOException {
    Path fresh = dir.resolve("fresh");
    double[][] scores;
    String fingerprint;
    try (CrossEncoder m = CrossEncoder.load(ST_SAVED)) {
      scores = m.predict(PAIRS);
      fingerprint = ModelFingerprint.of(m.weights());
      m.save(fresh);
    }
    // the same files as sentence-transformers 6.0.1 wrote, key for key, besides ce's version
    for (String f : new String[] {SentenceTransformersFiles.MODULES, ModelFolder.ST_MODULE_CONFIG}) {
      assertThat(JSON.readTree(fresh.resolve(f).toFile())).as(f).isEqualTo(JSON.readTree(ST_SAVED.resolve(f).toFile()));
    }
    ObjectNode st = (ObjectNode) JSON.readTree(fresh.resolve(ModelFolder.ST_CONFIG).toFile());
    ObjectNode theirs = (ObjectNode) JSON.readTree(ST_SAVED.resolve(ModelFolder.ST_CONFIG).toFile());
    assertThat(st.get("__version__").get("ce").textValue()).isEqualTo(CeVersion.get()).isNotEqualTo("unknown");
    assertThat(st.get("__version__").get("sentence_transformers").textValue()).isEqualTo("6.0.1");
    st.remove("__version__");
    theirs.remove("__version__");
    assertThat(st).isEqualTo(theirs);

    String card = Files.readString(fresh.resolve(ModelCard.FILE));
    assertThat(card).startsWith("---\ntags:\n- sentence-transformers\n- cross-encoder\n")
        .contains("library_name: sentence-transformers", fingerprint, "contradiction, neutral, entailment",
            "Maximum sequence length:** 48 tokens", CeVersion.get());
    try (CrossEncoder again = CrossEncoder.load(fresh)) {
      assertThat(again.predict(PAIRS)).isDeepEqualTo(scores);
      assertThat(again.maxLength()).isEqualTo(48);
    }
  }

  @Test
  void savingOverAFolderKeepsItsCardAndItsOwnSettings() throws IOException {
    Path folder = dir.resolve("theirs");
    Files.createDirectories(folder);
    for (Path f : Files.list(ST_SAVED).toList()) {
      Files.copy(f, folder.resolve(f.getFileName()));
    }
    String card = "---\nlicense: apache-2.0\n---\n# Their own card\n";
    Files.writeString(folder.resolve(ModelCard.FILE), card);
    try (CrossEncoder m = CrossEncoder.load(folder)) {
      m.save(folder);
    }
    assertThat(Files.readString(folder.resolve(ModelCard.FILE))).isEqualTo(card);
    JsonNode st = JSON.readTree(folder.resolve(ModelFolder.ST_CONFIG).toFile());
    assertThat(st.get("__version__").get("pytorch").textValue()).isEqualTo("2.11.0+cu130"); // theirs, kept
    assertThat(st.get("__version__").get("ce").textValue()).isEqualTo(CeVersion.get());
    assertThat(st.get("activation_fn").textValue()).isEqualTo("torch.nn.modules.linear.Identity");
  }
}
