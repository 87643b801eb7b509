package dev.ce4j.core.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.RankedDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The per-call scoring options on real folders saved by sentence-transformers (one output with
 * sigmoid; three outputs with identity): every activation against the raw logits worked through by
 * hand, one-output scores without the row, ranking with batch size and texts, progress, and the
 * inference pass chosen in {@link CrossEncoderOptions}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictOptionsTest {
  private static final Path INTEROP = Path.of("src", "test", "resources", "dev", "ce4j", "core", "interop", "st-saved");
  private static final List<TextPair> PAIRS = List.of(
      TextPair.of("what is the capital of france", "Paris is the capital of France."),
      TextPair.of("what is the capital of france", "Berlin is a city."),
      TextPair.of("a short one", "x"),
      TextPair.of("how do plants make food", "Photosynthesis turns light, water and carbon dioxide into sugar."),
      TextPair.of("", "an empty query"));

  private CrossEncoder one;
  private CrossEncoder three;

  @BeforeAll
  void load() {
    one = CrossEncoder.load(INTEROP.resolve("st-tiny-f32-sigmoid"));
    three = CrossEncoder.load(INTEROP.resolve("st-minilmtok-3label-f16"));
  }

  @AfterAll
  void close() {
    one.close();
    three.close();
  }

  @Test
  void everyActivationIsTheFunctionOfTheRawLogits() {
    double[][] logits = three.predict(PAIRS, PredictOptions.defaults().withActivation(PredictActivation.NONE));
    double[][] softmax = three.predict(PAIRS, PredictOptions.defaults().withActivation(PredictActivation.SOFTMAX));
    double[][] sigmoid = three.predict(PAIRS, PredictOptions.defaults().withActivation(PredictActivation.SIGMOID));
    double[][] byDefault = three.predict(PAIRS, PredictOptions.defaults());
    for (int i = 0; i < PAIRS.size(); i++) {
      double[] z = logits[i];
      double norm = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
      double sum = 0;
      for (int j = 0; j < 3; j++) {
        assertThat(softmax[i][j]).isCloseTo(Math.exp(z[j]) / norm, within(1e-12));
        assertThat(sigmoid[i][j]).isCloseTo(1 / (1 + Math.exp(-z[j])), within(1e-12));
        sum += softmax[i][j];
      }
      assertThat(sum).isCloseTo(1.0, within(1e-12));
      assertThat(byDefault[i]).containsExactly(z); // this folder's activation is the identity
    }
    assertThat(three.predict(PAIRS, 32, false)).isDeepEqualTo(logits);
  }

  @Test
  void theSoftmaxOfOneOutputIsRefused() {
    assertThatThrownBy(() -> one.predict(PAIRS, PredictOptions.defaults().withActivation(PredictActivation.SOFTMAX)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one output is always 1");
  }

  @Test
  void oneOutputScoresComeWithoutTheRow() {
    double[][] rows = one.predict(PAIRS);
    double[] scores = one.predictScores(PAIRS);
    double[] logits = one.predictScores(PAIRS, PredictOptions.defaults().withActivation(PredictActivation.NONE));
    for (int i = 0; i < PAIRS.size(); i++) {
      assertThat(scores[i]).isEqualTo(rows[i][0]);
      assertThat(scores[i]).isCloseTo(1 / (1 + Math.exp(-logits[i])), within(1e-12));
    }
    assertThatThrownBy(() -> three.predictScores(PAIRS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one output")
        .hasMessageContaining("3 labels [contradiction, neutral, entailment]");
  }

  @Test
  void progressIsReportedAfterEachBatch() {
    List<int[]> calls = new ArrayList<>();
    one.predict(PAIRS, PredictOptions.defaults().withBatchSize(2)
        .withListener((scored, total) -> calls.add(new int[] {scored, total})));
    assertThat(calls).extracting(c -> c[0]).containsExactly(2, 4, 5);
    assertThat(calls).extracting(c -> c[1]).containsOnly(5);
  }

  @Test
  void rankTakesABatchSizeAndReturnsTheDocuments() {
    List<String> docs = PAIRS.stream().map(TextPair::document).toList();
    double[] scores = one.predictScores(docs.stream().map(d -> TextPair.of("capital of france", d)).toList());
    List<RankedDocument> ranked = one.rank("capital of france", docs,
        RankOptions.defaults().withTopK(3).withBatchSize(1).withReturnDocuments(true));
    assertThat(ranked).hasSize(3);
    for (RankedDocument r : ranked) {
      assertThat(r.document()).isEqualTo(docs.get(r.index()));
      assertThat(r.score()).isCloseTo(scores[r.index()], within(1e-6)); // batches of 1 pad nothing
    }
    assertThat(ranked.get(0).score()).isGreaterThanOrEqualTo(ranked.get(1).score());
    assertThat(one.rank("capital of france", docs, 2)).allSatisfy(r -> assertThat(r.document()).isNull());
  }

  @Test
  void batchesOfLongPairsAreCutToOneBatchsWorthOfAttention() {
    String config = "{\"model_type\": \"bert\", \"vocab_size\": 1000, \"hidden_size\": 8, \"num_hidden_layers\": 1,"
        + " \"num_attention_heads\": 2, \"intermediate_size\": 16, \"max_position_embeddings\": 4096, \"num_labels\": 1}";
    Path tokenizer = Path.of("..", "ce-examples", "data", "tiny", "tokenizer.json");
    String longText = "the cat sat on the mat and ".repeat(360); // about 2,500 words
    List<TextPair> pairs = List.of(TextPair.of("a", longText), TextPair.of("b", longText), TextPair.of("c", "short"),
        TextPair.of("d", "short too"));
    try (CrossEncoder m = CrossEncoder.create(dev.ce4j.core.io.ConfigJson.parse(config, "test config"), tokenizer, 3)) {
      int longTokens = m.tokenizer().encode(pairs.subList(0, 1)).get(0).length();
      assertThat((long) longTokens * longTokens).isGreaterThan(32L * 512 * 512 / 2); // two would exceed the budget
      List<Integer> batches = new ArrayList<>();
      int[] last = {0};
      double[] scores = m.predictScores(pairs, PredictOptions.defaults().withListener((scored, total) -> {
        batches.add(scored - last[0]);
        last[0] = scored;
      }));
      assertThat(batches).containsExactly(1, 1, 2); // the long pairs alone, the short ones together
      double[] alone = new double[4];
      for (int i = 0; i < 4; i++) {
        alone[i] = m.predictScores(pairs.subList(i, i + 1))[0];
      }
      assertThat(scores).containsExactly(alone, within(1e-6));
    }
  }

  @Test
  void theInferencePassIsAnOption() {
    Path folder = INTEROP.resolve("st-tiny-f32-sigmoid");
    try (CrossEncoder eager = CrossEncoder.load(folder, CrossEncoderOptions.defaults().withDevice("cpu")
            .withInference(CrossEncoderOptions.Inference.EAGER));
        CrossEncoder exact = CrossEncoder.load(folder, CrossEncoderOptions.defaults().withDevice("cpu")
            .withInference(CrossEncoderOptions.Inference.EXACT))) {
      assertThat(eager.forwardPass()).isEqualTo(CrossEncoder.ForwardPass.EAGER);
      assertThat(exact.forwardPass()).isEqualTo(CrossEncoder.ForwardPass.TORCHSCRIPT);
      assertThat(exact.predict(PAIRS)).isDeepEqualTo(eager.predict(PAIRS)); // the eager pass's bits
    }
    assertThat(CrossEncoderOptions.Inference.parse(" Eager ")).isEqualTo(CrossEncoderOptions.Inference.EAGER);
    assertThatThrownBy(() -> CrossEncoderOptions.Inference.parse("fast"))
        .hasMessageContaining("known: fastest, exact, eager");
    assertThatThrownBy(() -> PredictActivation.parse("tanh")).hasMessageContaining("default, sigmoid, softmax, none");
  }
}
