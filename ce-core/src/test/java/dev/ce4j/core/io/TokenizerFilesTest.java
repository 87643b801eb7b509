package dev.ce4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.TestModels;
import dev.ce4j.core.arch.bert.BertConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenizerFilesTest {
  static TokenizerFiles json(String text) {
    return new TokenizerFiles(
        text.getBytes(StandardCharsets.UTF_8), null, null, "t/tokenizer.json");
  }

  @Test
  void theLargestIdComesFromTheVocabularyAddedTokensOrThePostProcessor() {
    // all-MiniLM-L6-v2: 30522 WordPiece entries, ids 0 to 30521
    TokenizerFiles.TokenId minilm =
        new TokenizerFiles(TestModels.minilmTokenizerBytes(), null, null).largestTokenId();
    assertThat(minilm.id()).isEqualTo(30521);
    assertThat(minilm.where()).isEqualTo("model.vocab");

    assertThat(
            json("{\"model\": {\"vocab\": {\"a\": 0, \"b\": 7}}, \"added_tokens\": [{\"id\": 9,"
                    + " \"content\": \"[X]\"}]}")
                .largestTokenId())
        .isEqualTo(new TokenizerFiles.TokenId(9, "[X]", "added_tokens"));
    // Unigram: the vocabulary is an array; an entry's id is its index
    assertThat(
            json("{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"<pad>\", 0.0], [\"a\","
                    + " -1.5], [\"b\", -2.0]]}}")
                .largestTokenId())
        .isEqualTo(new TokenizerFiles.TokenId(2, "b", "model.vocab"));
    // special tokens of a template or a BERT post-processor, also inside a Sequence
    assertThat(
            json("{\"model\": {\"vocab\": {\"a\": 0}}, \"post_processor\": {\"type\": \"Sequence\","
                     + " \"processors\": [{\"type\": \"TemplateProcessing\", \"special_tokens\":"
                     + " {\"[CLS]\": {\"id\": \"[CLS]\", \"ids\": [101], \"tokens\":"
                     + " [\"[CLS]\"]}}}]}}")
                .largestTokenId())
        .isEqualTo(new TokenizerFiles.TokenId(101, "[CLS]", "post_processor"));
    assertThat(
            json("{\"model\": {\"vocab\": {\"a\": 0}}, \"post_processor\": {\"type\":"
                    + " \"BertProcessing\", \"sep\": [\"[SEP]\", 102], \"cls\": [\"[CLS]\", 5]}}")
                .largestTokenId())
        .isEqualTo(new TokenizerFiles.TokenId(102, "[SEP]", "post_processor"));
    assertThat(json("{\"model\": {}}").largestTokenId()).isNull();
  }

  @Test
  void aTokenizerThatDoesNotFitIsRefusedNamingBothFiles() {
    BertConfig config = TestModels.tiny().toBuilder().vocabSize(50).build();
    TokenizerFiles t = json("{\"model\": {\"vocab\": {\"[PAD]\": 0, \"with\": 116}}}");
    assertThatThrownBy(() -> t.checkFits(config, "m/config.json"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "t/tokenizer.json: token id 116 ('with' in model.vocab) does not fit m/config.json,"
                + " whose vocab_size 50 gives ids 0 to 49; the tokenizer does not belong to this"
                + " model: use the tokenizer the model was made with, or a vocab_size of at least"
                + " 117");
    // 116 < 117: fits
    t.checkFits(config.toBuilder().vocabSize(117).build(), "m/config.json");
  }

  @Test
  void malformedJsonIsNamedWithoutJacksonInternals() {
    assertThatThrownBy(() -> json("{\"model\": {\"vocab\": {\"a\": 0,}}").largestTokenId())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "t/tokenizer.json: not a valid Hugging Face tokenizer.json: malformed JSON at line 1,"
                + " column")
        .hasMessageNotContaining("Source")
        .hasMessageNotContaining("REDACTED");
    assertThatThrownBy(() -> json("[1, 2]").largestTokenId())
        .hasMessage(
            "t/tokenizer.json: not a valid Hugging Face tokenizer.json: the top level must be a"
                + " JSON object");
  }

  @Test
  void theSourceIsThePathAsGiven() {
    assertThat(new TokenizerFiles(new byte[] {'{', '}'}, null, null).source())
        .isEqualTo("tokenizer.json");
    assertThat(json("{}").withSource("x/y.json").source()).isEqualTo("x/y.json");
  }
}
