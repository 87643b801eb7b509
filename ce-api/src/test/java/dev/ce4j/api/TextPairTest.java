package dev.ce4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextPairTest {
  @Test
  void holdsBothTextsAndAllowsEmptyOnes() {
    TextPair p = TextPair.of("", "doc");
    assertThat(p.query()).isEmpty();
    assertThat(p.document()).isEqualTo("doc");
    assertThat(p).isEqualTo(new TextPair("", "doc"));
  }

  @Test
  void rejectsNulls() {
    assertThatThrownBy(() -> TextPair.of(null, "d")).isInstanceOf(NullPointerException.class).hasMessageContaining("query");
    assertThatThrownBy(() -> TextPair.of("q", null)).isInstanceOf(NullPointerException.class).hasMessageContaining("document");
  }

  @Test
  void invalidInputIsACeExceptionKeepingItsCause() {
    Exception cause = new IllegalStateException("x");
    CeException e = new InvalidInputException("bad", cause);
    assertThat(e).hasMessage("bad").hasCause(cause);
  }
}
