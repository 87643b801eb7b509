package dev.ce4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.Device;
import ai.djl.ndarray.index.NDIndex;
import dev.ce4j.api.CeException;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link CrossEncoder} refuses before it computes (non-finite weights, a tokenizer that does
 * not fit the embedding) and never returns (a non-finite score).
 */
class CrossEncoderGuardsTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  static Path tokenizer;

  static final CrossEncoderOptions CPU = CrossEncoderOptions.defaults().withDevice(Device.cpu());

  /** Over 12 MiniLM tokens with its special tokens, so that it reaches position 12. */
  static final TextPair LONG =
      TextPair.of("how do plants make food", "photosynthesis turns light and water into sugar");

  static final TextPair LONGER =
      TextPair.of(
          "how do green plants make their food",
          "photosynthesis turns light, water and carbon dioxide into sugar and oxygen");

  @BeforeAll
  static void files() {
    tokenizer = TestModels.minilmTokenizer(shared);
  }

  /**
   * Finite weights whose logit overflows: the pooler gives tanh(10), 1.0 as a float, in every unit,
   * and each of the 32 classifier weights of {@code label} is 3e38, so the logit is 32 x 3e38 in
   * float32: +Infinity for every pair.
   */
  static LinkedHashMap<String, FloatTensor> overflowing(BertConfig config, int label) {
    LinkedHashMap<String, FloatTensor> w = TestModels.randomWeights(config, 7);
    Arrays.fill(w.get("bert.pooler.dense.weight").data(), 0f);
    Arrays.fill(w.get("bert.pooler.dense.bias").data(), 10f);
    float[] classifier = w.get("classifier.weight").data();
    Arrays.fill(classifier, 0f);
    Arrays.fill(classifier, label * 32, label * 32 + 32, 3e38f);
    Arrays.fill(w.get("classifier.bias").data(), 0f);
    return w;
  }

  @Test
  void anOverflowingLogitIsNeverReturnedWithOrWithoutTheActivation() {
    BertConfig config = TestModels.tiny();
    try (CrossEncoder m =
        CrossEncoder.fromWeights(
            config, overflowing(config, 0), TokenizerFiles.of(tokenizer), CPU)) {
      List<TextPair> pairs = List.of(TextPair.of("a", "b"), LONG);
      for (boolean activation : new boolean[] {true, false}) {
        // sigmoid(+Infinity) would be exactly 1.0, a finite number that hides the overflow
        NonFiniteScoreException e =
            catchThrowableOfType(
                () -> m.predict(pairs, 32, activation), NonFiniteScoreException.class);
        assertThat(e).as("activation %s", activation).isNotNull().isInstanceOf(CeException.class);
        assertThat(e.pairIndex()).isZero();
        assertThat(e.label()).isZero();
        assertThat(e.logit()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(e.getMessage())
            .isEqualTo(
                "the model's logit for pair 0 (counting from 0 in input order) is Infinity, not a"
                    + " finite number, so it has no score: the model's weights may be damaged, or"
                    + " the training that made them diverged; retrain it, or score with an earlier"
                    + " checkpoint");
      }
      assertThatThrownBy(() -> m.score(pairs)).isInstanceOf(NonFiniteScoreException.class);
      assertThatThrownBy(() -> m.rank("q", List.of("x", "y", "z"), 2))
          .isInstanceOf(NonFiniteScoreException.class)
          .extracting(e -> ((NonFiniteScoreException) e).pairIndex())
          .isEqualTo(0);
    }
  }

  @Test
  void theLabelWhoseLogitOverflowsIsNamed() {
    BertConfig config = TestModels.tiny(3);
    try (CrossEncoder m =
        CrossEncoder.fromWeights(
            config, overflowing(config, 1), TokenizerFiles.of(tokenizer), CPU)) {
      NonFiniteScoreException e =
          catchThrowableOfType(
              () -> m.predict(List.of(TextPair.of("a", "b")), 32, false),
              NonFiniteScoreException.class);
      assertThat(e.label()).isEqualTo(1);
      assertThat(e.getMessage()).contains("pair 0 (counting from 0 in input order, label 1)");
    }
  }

  @Test
  void largeButFiniteLogitsAreScores() {
    // 32 x 1e3 = 3.2e4: sigmoid gives exactly 1.0, a legitimate (saturated) score
    BertConfig config = TestModels.tiny();
    LinkedHashMap<String, FloatTensor> w = overflowing(config, 0);
    Arrays.fill(w.get("classifier.weight").data(), 1e3f);
    try (CrossEncoder m = CrossEncoder.fromWeights(config, w, TokenizerFiles.of(tokenizer), CPU)) {
      assertThat(m.predict(List.of(TextPair.of("a", "b")), 32, false)[0][0]).isEqualTo(32000.0);
      assertThat(m.predict(List.of(TextPair.of("a", "b")))[0][0]).isEqualTo(1.0);
    }
  }

  @Test
  void theReportedPairIsInTheCallersOrderNotTheLengthSortedOne() {
    try (CrossEncoder m =
        CrossEncoder.fromWeights(
            TestModels.tiny(),
            TestModels.randomWeights(TestModels.tiny(), 3),
            TokenizerFiles.of(tokenizer),
            CPU)) {
      // weights that diverge in place, as in training: NaN in position 12's embedding reaches only
      // pairs of 13 tokens or more when each pair is its own batch
      m.weights()
          .get("bert.embeddings.position_embeddings.weight")
          .set(new NDIndex("12"), Float.NaN);
      TextPair a = TextPair.of("a", "b");
      TextPair c = TextPair.of("c", "d");
      double[][] shortOnes = m.predict(List.of(a, c), 1, true);
      assertThat(shortOnes[0][0]).isFinite();
      assertThat(shortOnes[1][0]).isFinite();
      // sorted by length, the long pair is scored first, as the first of its batch
      assertThat(
              catchThrowableOfType(
                      () -> m.predict(List.of(a, c, LONG, a), 1, true),
                      NonFiniteScoreException.class)
                  .pairIndex())
          .isEqualTo(2);
      // LONGER is scored first; both long pairs share a batch; the lower input index is reported
      NonFiniteScoreException e =
          catchThrowableOfType(
              () -> m.predict(List.of(a, LONG, c, LONGER), 2, false),
              NonFiniteScoreException.class);
      assertThat(e.pairIndex()).isEqualTo(1);
      assertThat(e.logit()).isNaN();
      assertThat(e.getMessage()).contains("pair 1 ", " is NaN");
    }
  }

  @Test
  void nonFiniteWeightsAreRefusedByFromWeights() {
    LinkedHashMap<String, FloatTensor> w = TestModels.randomWeights(TestModels.tiny(), 1);
    w.get("classifier.weight").data()[3] = Float.NaN;
    assertThatThrownBy(
            () -> CrossEncoder.fromWeights(TestModels.tiny(), w, TokenizerFiles.of(tokenizer), CPU))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("weights: tensor 'classifier.weight' holds NaN at index [0, 3]");
  }

  @Test
  void createRefusesAConfigurationWhoseInitialWeightsOverflow() {
    assertThatThrownBy(() -> TestModels.tiny().toBuilder().initializerRange(1e38).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initializer_range 1.0E38 is too large");
  }

  @Test
  void fromWeightsRefusesATokenizerBeyondTheVocabularyNamingItsFile() {
    BertConfig small = TestModels.tiny().toBuilder().vocabSize(500).build();
    assertThatThrownBy(
            () ->
                CrossEncoder.fromWeights(
                    small, TestModels.randomWeights(small, 1), TokenizerFiles.of(tokenizer), CPU))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(tokenizer + ": token id 30521")
        .hasMessageContaining("vocab_size 500");
  }

  @Test
  void aFolderWhoseTokenizerDoesNotFitIsRefusedAtLoad() throws IOException {
    BertConfig small = TestModels.tiny().toBuilder().vocabSize(500).build();
    Path folder = dir.resolve("small");
    ModelFolder.write(
        folder,
        small,
        TestModels.randomWeights(small, 1),
        new TokenizerFiles(TestModels.minilmTokenizerBytes(), null, null));
    assertThatThrownBy(() -> CrossEncoder.load(folder, CPU))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(folder.resolve("tokenizer.json") + ": token id 30521")
        .hasMessageContaining(
            "does not fit " + folder.resolve("config.json") + ", whose vocab_size 500");
  }

  @Test
  void aFolderWithOneTokenTypeIsRefusedAtLoad() throws IOException {
    // BERT's tokenizer gives the document type id 1; one token type has no row for it
    BertConfig oneType = TestModels.tiny().toBuilder().typeVocabSize(1).build();
    Path folder = dir.resolve("one-type");
    ModelFolder.write(
        folder,
        oneType,
        TestModels.randomWeights(oneType, 1),
        new TokenizerFiles(TestModels.minilmTokenizerBytes(), null, null));
    assertThatThrownBy(() -> CrossEncoder.load(folder, CPU))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            folder.resolve("tokenizer.json") + ": the tokenizer gives a pair's tokens type id 1")
        .hasMessageContaining(folder.resolve("config.json") + " has type_vocab_size 1");
  }

  @Test
  void anInvalidTokenizerIsNamedByThePathGiven() throws IOException {
    Path notTokenizer = Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\"}");
    assertThatThrownBy(() -> CrossEncoder.create(TestModels.tiny(), notTokenizer, 1, CPU))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(notTokenizer + ": not a valid Hugging Face tokenizer.json: ");
    Path broken =
        Files.writeString(dir.resolve("broken.json"), "{\"version\": \"1.0\", \"model\": {");
    assertThatThrownBy(() -> CrossEncoder.create(TestModels.tiny(), broken, 1, CPU))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            broken + ": not a valid Hugging Face tokenizer.json: malformed JSON at line 1, column")
        .hasMessageNotContaining("Source")
        .hasMessageNotContaining("REDACTED");
  }

  @Test
  void aModelTooLargeForTheHeapIsRefusedBeforeAllocation() {
    BertConfig huge =
        TestModels.tiny().toBuilder()
            .numHiddenLayers(1024)
            .hiddenSize(4096)
            .intermediateSize(16384)
            .build();
    long bytes = huge.parameterCount() * 4;
    assertThat(bytes).isGreaterThan(Runtime.getRuntime().maxMemory());
    assertThatThrownBy(() -> CrossEncoder.create(huge, tokenizer, 1, CPU))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "has "
                + huge.parameterCount()
                + " weights, "
                + ((bytes + (1 << 20) - 1) >> 20)
                + " MiB")
        .hasMessageContaining(
            (Runtime.getRuntime().maxMemory() + (1 << 20) - 1 >> 20) + " MiB this");
  }
}
