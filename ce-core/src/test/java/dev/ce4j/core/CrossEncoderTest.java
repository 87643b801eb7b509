package dev.ce4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.eval.PairScorer;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.device.Devices;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ScoreActivation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossEncoderTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  static Path tokenizer;
  static CrossEncoder model;

  static final List<TextPair> PAIRS =
      List.of(
          TextPair.of(
              "what is the capital of france", "paris is the capital and largest city of france"),
          TextPair.of("a", "b"),
          TextPair.of(
              "how do plants make food",
              "photosynthesis turns light, water and carbon dioxide into sugar and oxygen in the"
                  + " leaves of plants"),
          TextPair.of("java", "an island of indonesia"),
          TextPair.of("java", "a programming language that runs on a virtual machine"),
          TextPair.of("", "empty query"),
          TextPair.of("who wrote hamlet", "shakespeare"),
          TextPair.of("x y z", "x y z x y z x y z"));

  @BeforeAll
  static void create() {
    tokenizer = TestModels.minilmTokenizer(shared);
    model =
        CrossEncoder.fromWeights(
            TestModels.tiny(),
            TestModels.randomWeights(TestModels.tiny(), 42),
            TokenizerFiles.of(tokenizer),
            CrossEncoderOptions.defaults().withDevice(Device.cpu()));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static double[][] oneByOne(CrossEncoder m, List<TextPair> pairs, boolean activation) {
    double[][] out = new double[pairs.size()][];
    for (int i = 0; i < pairs.size(); i++) {
      out[i] = m.predict(List.of(pairs.get(i)), 1, activation)[0];
    }
    return out;
  }

  @Test
  void reportsItsConfiguration() {
    assertThat(model.device()).isEqualTo(Device.cpu());
    assertThat(model.maxLength()).isEqualTo(64);
    assertThat(model.activation()).isEqualTo(ScoreActivation.SIGMOID);
    assertThat(model.config()).isEqualTo(TestModels.tiny());
    assertThat(model.weights().get("classifier.weight").getDevice()).isEqualTo(Device.cpu());
  }

  @Test
  void lengthSortedBatchesKeepInputOrder() {
    double[][] alone = oneByOne(model, PAIRS, false);
    for (int batch : new int[] {1, 3, 8, 100}) {
      double[][] batched = model.predict(PAIRS, batch, false);
      assertThat(batched).hasNumberOfRows(PAIRS.size());
      for (int i = 0; i < PAIRS.size(); i++) {
        assertThat(batched[i][0])
            .as("pair %d, batch %d", i, batch)
            .isCloseTo(alone[i][0], within(1e-5));
      }
    }
    // the pairs do not all score alike, so a permutation would have been caught
    assertThat(alone[0][0]).isNotCloseTo(alone[1][0], within(1e-4));
  }

  @Test
  void activationIsSigmoidOfLogits() {
    double[][] logits = model.predict(PAIRS, 4, false);
    double[][] scores = model.predict(PAIRS, 4, true);
    for (int i = 0; i < PAIRS.size(); i++) {
      assertThat(scores[i][0]).isEqualTo(1 / (1 + Math.exp(-logits[i][0])));
    }
    PairScorer scorer = model;
    assertThat(scorer.score(PAIRS)).isDeepEqualTo(model.predict(PAIRS));
    assertThat(model.predict(List.of(), 4, true)).isEmpty();
  }

  @Test
  void saveLoadRoundTripIsBitwise() {
    Path folder = dir.resolve("saved");
    model.save(folder);
    double[][] before = model.predict(PAIRS, 3, false);
    try (CrossEncoder loaded =
        CrossEncoder.load(folder, CrossEncoderOptions.defaults().withDevice(Device.cpu()))) {
      assertThat(loaded.config()).isEqualTo(model.config());
      assertThat(loaded.predict(PAIRS, 3, false)).isDeepEqualTo(before);
      Map<String, FloatTensor> a = model.weights().toHost();
      Map<String, FloatTensor> b = loaded.weights().toHost();
      assertThat(b).isEqualTo(a);
      // and saving the loaded model again gives byte-identical weights
      Path again = dir.resolve("again");
      loaded.save(again);
      assertThat(again.resolve(ModelFolder.WEIGHTS))
          .hasSameBinaryContentAs(folder.resolve(ModelFolder.WEIGHTS));
      assertThat(again.resolve(ModelFolder.CONFIG))
          .hasSameTextualContentAs(folder.resolve(ModelFolder.CONFIG));
    }
  }

  @Test
  void seedDeterminesTheModel() {
    try (CrossEncoder first = CrossEncoder.create(TestModels.tiny(), tokenizer, 42);
        CrossEncoder same = CrossEncoder.create(TestModels.tiny(), tokenizer, 42);
        CrossEncoder other = CrossEncoder.create(TestModels.tiny(), tokenizer, 43)) {
      assertThat(same.weights().toHost()).isEqualTo(first.weights().toHost());
      assertThat(same.predict(PAIRS)).isDeepEqualTo(first.predict(PAIRS));
      assertThat(other.weights().toHost().get("classifier.weight"))
          .isNotEqualTo(first.weights().toHost().get("classifier.weight"));
      assertThat(other.predict(PAIRS)[0][0]).isNotEqualTo(first.predict(PAIRS)[0][0]);
    }
  }

  @Test
  void rankSortsByScoreDescending() {
    List<String> docs = new ArrayList<>();
    for (TextPair p : PAIRS) {
      docs.add(p.document());
    }
    double[][] scores = model.predict(docs.stream().map(d -> TextPair.of("java", d)).toList());
    List<RankedDocument> all = model.rank("java", docs, 100);
    assertThat(all).hasSize(docs.size());
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).score()).isEqualTo(scores[all.get(i).index()][0]);
      if (i > 0) {
        assertThat(all.get(i).score()).isLessThanOrEqualTo(all.get(i - 1).score());
      }
    }
    assertThat(all.stream().map(RankedDocument::index))
        .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(model.rank("java", docs, 3)).containsExactlyElementsOf(all.subList(0, 3));
    assertThat(model.rank("java", List.of(), 3)).isEmpty();
    assertThatThrownBy(() -> model.rank("java", docs, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rankingTiesKeepInputOrder() {
    List<RankedDocument> r = model.rank("q", List.of("same", "same", "same"), 3);
    assertThat(r).extracting(RankedDocument::index).containsExactly(0, 1, 2);
  }

  @Test
  void longPairsAreTruncatedToMaxLength() {
    String longText = String.join(" ", java.util.Collections.nCopies(300, "word"));
    TextPair p = TextPair.of(longText, longText);
    assertThat(model.tokenizer().encode(p).length()).isEqualTo(64);
    // scoring it works (no position beyond the table) and equals scoring the truncated text
    String truncated = String.join(" ", java.util.Collections.nCopies(30, "word"));
    String truncatedDoc = String.join(" ", java.util.Collections.nCopies(31, "word"));
    double[][] s = model.predict(List.of(p, TextPair.of(truncated, truncatedDoc)), 2, false);
    assertThat(s[0][0]).isCloseTo(s[1][0], within(1e-6));
  }

  @Test
  void maxLengthOptionOverridesTheModel() {
    try (CrossEncoder shorter =
        CrossEncoder.create(
            TestModels.tiny(), tokenizer, 42, CrossEncoderOptions.defaults().withMaxLength(16))) {
      assertThat(shorter.maxLength()).isEqualTo(16);
      assertThat(shorter.tokenizer().encode(PAIRS.get(2)).length()).isEqualTo(16);
    }
    assertThatThrownBy(
            () ->
                CrossEncoder.create(
                    TestModels.tiny(),
                    tokenizer,
                    42,
                    CrossEncoderOptions.defaults().withMaxLength(500)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("max_length 500");
  }

  @Test
  void multiLabelModelsReturnOneRowOfLogitsPerPair() {
    BertConfig three = TestModels.tiny(3);
    try (CrossEncoder m = CrossEncoder.create(three, tokenizer, 1)) {
      assertThat(m.activation()).isEqualTo(ScoreActivation.IDENTITY);
      double[][] s = m.predict(PAIRS, 3, true);
      for (double[] row : s) {
        assertThat(row).hasSize(3);
      }
      assertThat(s).isDeepEqualTo(m.predict(PAIRS, 3, false));
      assertThatThrownBy(() -> m.rank("q", List.of("d"), 1))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void scoringFromSeveralThreadsGivesTheSingleThreadResults() throws Exception {
    List<TextPair> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(PAIRS.get(i % PAIRS.size()));
    }
    double[][] expected = model.predict(many, 5, true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<double[][]>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> model.predict(many, 5, true)));
      }
      for (Future<double[][]> f : futures) {
        assertThat(f.get()).isDeepEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loadErrorsSurfaceAsInvalidInput() throws Exception {
    Path folder = dir.resolve("broken");
    model.save(folder);
    Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
    assertThatThrownBy(() -> CrossEncoder.load(folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(folder.resolve("config.json").toString())
        .hasMessageContaining("gpt2");
  }

  @Test
  void tokenizerWithIdsBeyondTheVocabularyIsRejectedWhenTheModelIsMade() {
    // refused at once, not at the first predict whose text happens to use a high id
    BertConfig small = TestModels.tiny().toBuilder().vocabSize(1000).build();
    assertThatThrownBy(() -> CrossEncoder.create(small, tokenizer, 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(tokenizer + ": token id 30521")
        .hasMessageContaining("vocab_size 1000 gives ids 0 to 999");
  }

  @Test
  void noNativeArrayOutlivesAPredictCall() {
    int params = model.weights().asMap().size();
    // the first call compiles the forward pass; on a CPU whose oneDNN products pass the check it
    // keeps one reordered copy of each linear weight (12 for two layers), which later calls reuse
    model.predict(PAIRS.subList(0, 1), 1, true);
    int kept = model.forwardPass() == CrossEncoder.ForwardPass.TORCHSCRIPT_ONEDNN ? 12 : 0;
    assertThat(model.manager().getManagedArrays()).hasSize(params + kept);
    model.predict(PAIRS, 3, true);
    model.rank("java", List.of("a", "b", "c"), 2);
    assertThat(model.manager().getManagedArrays()).hasSize(params + kept);
  }

  @Test
  void closedModelRefusesWork() {
    CrossEncoder m = CrossEncoder.create(TestModels.tiny(), tokenizer, 3);
    m.close();
    m.close(); // idempotent
    assertThatThrownBy(() -> m.predict(PAIRS)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void runsOnTheGpuWhenThereIsOne() {
    assumeTrue(Devices.gpuCount() > 0, "no GPU usable by the PyTorch engine");
    Path folder = dir.resolve("gpu");
    model.save(folder);
    try (CrossEncoder gpu =
        CrossEncoder.load(folder, CrossEncoderOptions.defaults().withDevice("gpu"))) {
      assertThat(gpu.device().isGpu()).isTrue();
      assertThat(gpu.weights().get("classifier.weight").getDevice()).isEqualTo(gpu.device());
      double[][] onGpu = gpu.predict(PAIRS, 3, false);
      double[][] onCpu = model.predict(PAIRS, 3, false);
      for (int i = 0; i < PAIRS.size(); i++) {
        assertThat(onGpu[i][0]).isCloseTo(onCpu[i][0], within(1e-4));
      }
    }
  }
}
