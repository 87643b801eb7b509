package dev.ce4j.train.checkpoint;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The trainer's own entries of {@code trainer_state.json} ({@code "extra"}), typed: the optimiser's
 * step counts, the training loss accumulated since the previous evaluation, the best checkpoint,
 * and the learning-rate schedule's position.
 *
 * <p>Layout (format version 1, unchanged): every entry is a JSON string, keys sorted. Doubles are
 * the hex digits of their raw IEEE-754 bits ({@link Double#doubleToRawLongBits}), so that they
 * round-trip bit for bit, NaN and -0.0 included; integers are decimal strings; the step counts and
 * the schedule are JSON text inside the string (the step counts compact, the schedule as {@code
 * {"type": "linear", "step": 4, "warmupSteps": 1, "totalSteps": 4, "nextMultiplier": 0.5}}). The
 * layout is kept so that a run writes the same bytes as before and checkpoints written by earlier
 * versions of {@code ce} resume (and the reverse); Jackson maps each entry through the
 * (de)serializers below. An absent entry takes its default (as files that predate it need); other
 * keys are ignored.
 *
 * @param optimizerSteps AdamW's step count per parameter, in the optimiser's order, or null when
 *     the file has none (resuming then fails, naming the entry)
 * @param lossSum the sum of the step losses since the previous evaluation; default 0
 * @param lossCount the number of those losses; default 0
 * @param bestCheckpointStep the best checkpoint's step, or -1 (the default) when none
 * @param bestCheckpointMetric the best checkpoint's metric, or NaN (the default) when none
 * @param scheduler where the learning-rate schedule stands, or null when not recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  TrainerStateExtra.BEST_CHECKPOINT_METRIC, TrainerStateExtra.BEST_CHECKPOINT_STEP, TrainerStateExtra.LOSS_COUNT,
  TrainerStateExtra.LOSS_SUM, TrainerStateExtra.OPTIMIZER_STEPS, TrainerStateExtra.SCHEDULER
})
public record TrainerStateExtra(
    @JsonProperty(OPTIMIZER_STEPS) @JsonSerialize(using = EmbeddedStepCounts.Writer.class)
        Map<String, Long> optimizerSteps,
    @JsonProperty(LOSS_SUM) @JsonSerialize(using = HexDouble.Writer.class) double lossSum,
    @JsonProperty(LOSS_COUNT) @JsonFormat(shape = JsonFormat.Shape.STRING) long lossCount,
    @JsonProperty(BEST_CHECKPOINT_STEP) @JsonFormat(shape = JsonFormat.Shape.STRING) long bestCheckpointStep,
    @JsonProperty(BEST_CHECKPOINT_METRIC) @JsonSerialize(using = HexDouble.Writer.class) double bestCheckpointMetric,
    @JsonProperty(SCHEDULER) @JsonSerialize(using = ScheduleState.Writer.class) ScheduleState scheduler) {
  static final String OPTIMIZER_STEPS = "optimizer.steps";
  static final String LOSS_SUM = "lossSinceEval.sum";
  static final String LOSS_COUNT = "lossSinceEval.count";
  static final String BEST_CHECKPOINT_STEP = "bestCheckpoint.step";
  static final String BEST_CHECKPOINT_METRIC = "bestCheckpoint.metric";
  static final String SCHEDULER = "scheduler";

  /** Entries of a state that has none: no step counts, nothing accumulated, no best checkpoint. */
  public static final TrainerStateExtra NONE = new TrainerStateExtra(null, 0, 0, -1, Double.NaN, null);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the step counts. */
  public TrainerStateExtra {
    optimizerSteps = optimizerSteps == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(optimizerSteps));
  }

  /**
   * The entries as read, each absent one at its default.
   *
   * @return the entries, never null
   */
  @JsonCreator
  static TrainerStateExtra read(
      @JsonProperty(OPTIMIZER_STEPS) @JsonDeserialize(using = EmbeddedStepCounts.Reader.class)
          Map<String, Long> optimizerSteps,
      @JsonProperty(LOSS_SUM) @JsonDeserialize(using = HexDouble.Reader.class) Double lossSum,
      @JsonProperty(LOSS_COUNT) Long lossCount,
      @JsonProperty(BEST_CHECKPOINT_STEP) Long bestCheckpointStep,
      @JsonProperty(BEST_CHECKPOINT_METRIC) @JsonDeserialize(using = HexDouble.Reader.class)
          Double bestCheckpointMetric,
      @JsonProperty(SCHEDULER) @JsonDeserialize(using = ScheduleState.Reader.class) ScheduleState scheduler) {
    return new TrainerStateExtra(
        optimizerSteps,
        lossSum == null ? 0 : lossSum,
        lossCount == null ? 0 : lossCount,
        bestCheckpointStep == null ? -1 : bestCheckpointStep,
        bestCheckpointMetric == null ? Double.NaN : bestCheckpointMetric,
        scheduler);
  }

  /**
   * Where the learning-rate schedule stands at a checkpoint (informative: a resumed run recomputes
   * the schedule from the arguments).
   *
   * @param type the schedule's name, such as {@code linear}, never null
   * @param step the optimisation steps taken
   * @param warmupSteps the warmup steps
   * @param totalSteps all the run's steps
   * @param nextMultiplier the multiplier of the next step's learning rate, or null after the last
   *     step
   */
  public record ScheduleState(String type, long step, long warmupSteps, long totalSteps, Double nextMultiplier) {
    /** Writes the state as JSON text inside a string, spaced as format version 1 has it. */
    static final class Writer extends JsonSerializer<ScheduleState> {
      @Override
      public void serialize(ScheduleState s, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeString(String.format(
            Locale.ROOT,
            "{\"type\": \"%s\", \"step\": %d, \"warmupSteps\": %d, \"totalSteps\": %d, \"nextMultiplier\": %s}",
            s.type(), s.step(), s.warmupSteps(), s.totalSteps(),
            s.nextMultiplier() == null ? "null" : Double.toString(s.nextMultiplier())));
      }
    }

    /** Reads the JSON text inside the string. */
    static final class Reader extends JsonDeserializer<ScheduleState> {
      @Override
      public ScheduleState deserialize(JsonParser p, DeserializationContext c) throws IOException {
        return JSON.readValue(text(p, c), ScheduleState.class);
      }
    }
  }

  /** A double as the hex digits of its raw bits, so that every value, NaN included, round-trips. */
  static final class HexDouble {
    private HexDouble() {}

    /** Writes the hex digits. */
    static final class Writer extends JsonSerializer<Double> {
      @Override
      public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeString(Long.toHexString(Double.doubleToRawLongBits(v)));
      }
    }

    /** Reads the hex digits. */
    static final class Reader extends JsonDeserializer<Double> {
      @Override
      public Double deserialize(JsonParser p, DeserializationContext c) throws IOException {
        String hex = text(p, c);
        try {
          return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
        } catch (NumberFormatException e) {
          return (Double) c.handleWeirdStringValue(Double.class, hex, "not the hex digits of a double's bits");
        }
      }
    }
  }

  /** The optimiser's step counts as compact JSON text inside a string. */
  static final class EmbeddedStepCounts {
    private EmbeddedStepCounts() {}

    /** Writes the compact JSON text. */
    static final class Writer extends JsonSerializer<Map<String, Long>> {
      @Override
      public void serialize(Map<String, Long> v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeString(JSON.writeValueAsString(v));
      }
    }

    /** Reads the JSON text, keeping the order. */
    static final class Reader extends JsonDeserializer<Map<String, Long>> {
      @Override
      public Map<String, Long> deserialize(JsonParser p, DeserializationContext c) throws IOException {
        return JSON.readValue(text(p, c), new TypeReference<LinkedHashMap<String, Long>>() {});
      }
    }
  }

  private static String text(JsonParser p, DeserializationContext c) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      return (String) c.handleUnexpectedToken(String.class, p);
    }
    return p.getText();
  }
}
