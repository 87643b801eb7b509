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
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The bytes of a reference fixture's tokenizer.json under dev/ce4j/core/arch/. */
  private static byte[] fixtureTokenizer(String fixture) throws Exception {
    return Files.readAllBytes(
        Path.of(PairTokenizerTest.class.getResource("/dev/ce4j/core/arch/" + fixture + "/tokenizer.json").toURI()));
  }

  /**
   * The special tokens each template adds to a pair, counted by hand: BERT's {@code [CLS] A [SEP] B
   * [SEP]} 3 (the MiniLM file, the WordPiece fixtures and DeBERTa-v2's SentencePiece one), RoBERTa's
   * and XLM-R's {@code <s> A </s></s> B </s>} 4.
   */
  @ParameterizedTest
  @CsvSource({
    "roberta/bpe-1label-len24, 4",
    "xlm-roberta/unigram-1label-len32, 4",
    "electra/wordpiece-3label-len64, 3",
    "distilbert/wordpiece-gelu-learned-1label-len24, 3",
    "deberta-v2/spm-v3-1label-len40, 3",
    "modernbert/bpe-cls-gelu-1label-len32, 3"
  })
  void countsTheSpecialTokensOfAPair(String fixture, int expected) throws Exception {
    assertThat(tokenizer.specialTokens()).isEqualTo(3);
    assertThat(PairTokenizer.specialTokens(fixtureTokenizer(fixture), fixture)).isEqualTo(expected);
  }

  /**
   * A maximum length that leaves no token for text is refused: RoBERTa's four special tokens fill
   * a length of 4 (which BERT accepts), so every pair would encode to the same four tokens.
   */
  @Test
  void aMaxLengthThatLeavesNoTokenForTextIsRefused() throws Exception {
    byte[] roberta = fixtureTokenizer("roberta/bpe-1label-len24");
    assertThatThrownBy(() -> PairTokenizer.fromJson(roberta, 4, "m/tokenizer.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("m/tokenizer.json: a maximum length of 4 tokens leaves none for text: this tokenizer"
            + " adds 4 special tokens to every pair (<s> </s> </s> </s> around the two texts); the maximum"
            + " length must be at least 5");
    try (PairTokenizer five = PairTokenizer.fromJson(roberta, 5, "m/tokenizer.json")) {
      List<String> tokens = five.tokens(TextPair.of("query words", "document words"));
      assertThat(tokens).hasSize(5);
      assertThat(tokens.get(0)).isEqualTo("<s>");
      assertThat(tokens.get(4)).isEqualTo("</s>");
    }
    try (PairTokenizer bert = PairTokenizer.fromJson(TestModels.minilmTokenizerBytes(), 4, "b")) {
      assertThat(bert.tokens(TextPair.of("hello there", "world"))).containsExactly("[CLS]", "hello", "[SEP]", "[SEP]");
    }
  }
}
