package dev.ce4j.core.io.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {
  @Test
  void jacksonSourceDescriptionsBecomeLineAndColumn() {
    JsonProcessingException e =
        catchThrowableOfType(
            () -> new ObjectMapper().readTree("{\"a\": [1,\n 2"), JsonProcessingException.class);
    // what Jackson itself says, for the record
    assertThat(e.getOriginalMessage()).contains("[Source: REDACTED");
    assertThat(JsonErrors.describe(e))
        .isEqualTo(
            "line 2, column 3: Unexpected end-of-input: expected close marker for Array (start"
                + " marker at line 1, column 7)");
  }

  @Test
  void messagesWithoutSourcesAreKept() {
    assertThat(JsonErrors.clean("Unexpected character ('}' (code 125))"))
        .isEqualTo("Unexpected character ('}' (code 125))");
    assertThat(JsonErrors.clean(null)).isEqualTo("malformed JSON");
  }
}
