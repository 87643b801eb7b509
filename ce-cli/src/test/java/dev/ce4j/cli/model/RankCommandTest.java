package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.TextPair;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.CrossEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RankCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUERY = "what is the capital of france";
  /** The documents; line 4 of the file is blank and is not a document. */
  private static final List<String> DOCS = List.of(
      "paris is the capital and largest city of france",
      "berlin",
      "the eiffel tower is in paris",
      "bananas are yellow and rich in potassium, a mineral the body needs",
      "france",
      "  leading spaces are kept  ");

  @TempDir static Path shared;
  @TempDir Path dir;

  static Path model;
  static Path documents;
  static double[] expected;

  @BeforeAll
  static void setUp() throws IOException {
    model = TinyModels.folder(shared.resolve("model"), 1, 11);
    documents = Files.writeString(shared.resolve("docs.txt"),
        String.join("\n", DOCS.subList(0, 3)) + "\n\n" + String.join("\n", DOCS.subList(3, DOCS.size())));
    List<TextPair> pairs = new ArrayList<>();
    for (String d : DOCS) {
      pairs.add(TextPair.of(QUERY, d));
    }
    try (CrossEncoder encoder = CrossEncoder.load(model)) {
      double[][] s = encoder.predict(pairs);
      expected = new double[s.length];
      for (int i = 0; i < s.length; i++) {
        expected[i] = s[i][0];
      }
    }
  }

  static CliRun rank(Path modelDir, Path docs, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "rank", "--model", modelDir.toString(), "--query", QUERY, "--documents", docs.toString()));
    args.addAll(List.of(more));
    return ce(args.toArray(String[]::new));
  }

  static List<JsonNode> ranked(CliRun run) {
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    return run.out().lines().map(line -> {
      try {
        return JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }

  @Test
  void everyDocumentIsPrintedBestFirstWithItsIndexLineScoreAndText() {
    List<JsonNode> out = ranked(rank(model, documents));
    assertThat(out).hasSize(DOCS.size());
    List<Integer> seen = new ArrayList<>();
    double previous = Double.POSITIVE_INFINITY;
    for (JsonNode row : out) {
      assertThat(row.properties()).extracting(e -> e.getKey()).containsExactly("index", "line", "score", "document");
      int index = row.get("index").intValue();
      seen.add(index);
      assertThat(row.get("document").textValue()).isEqualTo(DOCS.get(index));
      assertThat(row.get("line").longValue()).isEqualTo(index < 3 ? index + 1 : index + 2);
      double score = row.get("score").doubleValue();
      assertThat(score).isCloseTo(expected[index], within(1e-6)).isLessThanOrEqualTo(previous);
      previous = score;
    }
    assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    // the order is the score order, not the input order
    assertThat(seen).isNotEqualTo(List.of(0, 1, 2, 3, 4, 5));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 6, 100})
  void topKKeepsTheBestK(int k) {
    List<JsonNode> all = ranked(rank(model, documents));
    List<JsonNode> top = ranked(rank(model, documents, "--top-k", Integer.toString(k)));
    assertThat(top).isEqualTo(all.subList(0, Math.min(k, all.size())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "4"})
  void theBatchSizeChangesNeitherTheOrderNorTheScores(String batchSize) {
    List<JsonNode> batched = ranked(rank(model, documents, "--batch-size", batchSize));
    assertThat(batched).hasSize(DOCS.size());
    for (JsonNode row : batched) {
      assertThat(row.get("score").doubleValue()).isCloseTo(expected[row.get("index").intValue()], within(1e-6));
    }
    CliRun zero = rank(model, documents, "--batch-size", "0");
    assertThat(zero.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(zero.err()).contains("--batch-size must be at least 1, got 0");
  }

  @Test
  void theDeviceIsReportedOnStandardErrorInOneLine() {
    CliRun run = rank(model, documents, "--device", "cpu");
    assertThat(run.status()).isEqualTo(ExitCodes.OK);
    assertThat(run.err().lines().toList()).singleElement().asString().startsWith("ce rank: device cpu (");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1"})
  void topKBelowOneExitsWith2(String k) {
    CliRun run = rank(model, documents, "--top-k", k);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("--top-k must be at least 1, got " + k);
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void aMissingDocumentsFileExitsWith2NamingIt() {
    Path missing = dir.resolve("missing.txt");
    CliRun run = rank(model, missing);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).startsWith("ce rank: ").contains(missing + ": file not found");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void aDocumentsFileWithoutDocumentsExitsWith2() throws IOException {
    Path blank = Files.writeString(dir.resolve("blank.txt"), "\n \n\t\n");
    CliRun run = rank(model, blank);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(blank + "' holds no documents");
  }

  @Test
  void aModelWithSeveralLabelsCannotRank() {
    Path multi = TinyModels.folder(dir.resolve("multi"), 2, 3);
    CliRun run = rank(multi, documents);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("has 2 labels", "ce predict");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void aMissingModelFolderExitsWith2() {
    CliRun run = rank(dir.resolve("none"), documents);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("no such model folder");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void oldMacLineEndsSeparateDocuments() throws IOException {
    Path cr = Files.writeString(dir.resolve("mac.txt"), "berlin\r\rfrance\rparis is the capital and largest city of france");
    List<JsonNode> out = ranked(rank(model, cr));
    assertThat(out).hasSize(3);
    for (JsonNode row : out) {
      int index = row.get("index").intValue();
      assertThat(row.get("document").textValue()).isEqualTo(List.of("berlin", "france", DOCS.get(0)).get(index));
      assertThat(row.get("line").longValue()).isEqualTo(List.of(1L, 3L, 4L).get(index));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "3", "129"})
  void aMaxLengthOutOfRangeIsAUsageErrorNamingTheOption(String n) {
    CliRun run = rank(model, documents, "--max-length", n);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("ce rank: --max-length ").contains(n).doesNotContain("max length:");
    assertThat(run.errHasStackTrace()).isFalse();
  }
}
