package dev.ce4j.core.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.TestModels;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.model.ModelInputs;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** With the real all-MiniLM-L6-v2 tokenizer.json (which itself asks for padding to 128). */
class PairTokenizerTest {
  private static PairTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = PairTokenizer.fromJson(TestModels.minilmTokenizerBytes(), 32, "tokenizer.json");
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void encodesAPairWithSpecialTokensAndSegmentsAndNoPadding() {
    TextPair p = TextPair.of("Hello there", "world");
    assertThat(tokenizer.tokens(p))
        .containsExactly("[CLS]", "hello", "there", "[SEP]", "world", "[SEP]");
    EncodedPair e = tokenizer.encode(p);
    assertThat(e.ids()).containsExactly(101, 7592, 2045, 102, 2088, 102);
    assertThat(e.typeIds()).containsExactly(0, 0, 0, 0, 1, 1);
    assertThat(e.length()).isEqualTo(6); // the file's own "Fixed: 128" padding is off
  }

  @Test
  void batchEncodingEqualsOneByOne() {
    List<TextPair> pairs =
        List.of(
            TextPair.of("a", "b"),
            TextPair.of("what is java", "a language and an island"),
            TextPair.of("", "empty query"),
            TextPair.of("x", ""));
    List<EncodedPair> batch = tokenizer.encode(pairs);
    for (int i = 0; i < pairs.size(); i++) {
      assertThat(batch.get(i)).isEqualTo(tokenizer.encode(pairs.get(i)));
    }
  }

  static String words(int n, String w) {
    return String.join(" ", java.util.Collections.nCopies(n, w));
  }

  @ParameterizedTest(name = "query {0} words, document {1} words -> {2} + {3} tokens")
  @CsvSource({
    // maxLength 32 leaves 29 tokens for the texts; longest-first trims the longer side first
    "5, 5, 5, 5",
    "5, 40, 5, 24",
    "40, 5, 24, 5",
    "40, 40, 14, 15",
    "20, 12, 17, 12",
    "14, 15, 14, 15"
  })
  void truncatesLongestFirst(int queryWords, int docWords, int queryTokens, int docTokens) {
    EncodedPair e =
        tokenizer.encode(TextPair.of(words(queryWords, "apple"), words(docWords, "pear")));
    long first = Arrays.stream(e.typeIds()).filter(t -> t == 0).count() - 2; // minus [CLS], [SEP]
    long second = Arrays.stream(e.typeIds()).filter(t -> t == 1).count() - 1; // minus [SEP]
    assertThat(first).isEqualTo(queryTokens);
    assertThat(second).isEqualTo(docTokens);
    assertThat(e.length()).isLessThanOrEqualTo(32);
    assertThat(e.ids()[0]).isEqualTo(101);
    assertThat(e.ids()[e.length() - 1]).isEqualTo(102);
  }

  @Test
  void padsPerBatchToTheLongestPair() {
    try (NDManager m = PyTorch.newManager(Device.cpu())) {
      List<EncodedPair> pairs =
          tokenizer.encode(List.of(TextPair.of("a b c", "d e"), TextPair.of("a", "b")));
      ModelInputs in = Batches.pad(pairs, 0, m);
      assertThat(in.inputIds().getShape().getShape()).containsExactly(2, 8);
      assertThat(in.attentionMask().toLongArray())
          .containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0);
      assertThat(in.inputIds().toLongArray()).endsWith(101, 1037, 102, 1038, 102, 0, 0, 0);
    }
  }

  @Test
  void invalidTokenizerFileIsReported() {
    byte[] bad = "{\"not\": \"a tokenizer\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PairTokenizer.fromJson(bad, 32, "some/tokenizer.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("some/tokenizer.json")
        .hasMessageContaining("not a valid Hugging Face tokenizer.json");
  }
}
