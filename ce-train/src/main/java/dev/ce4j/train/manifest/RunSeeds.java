package dev.ce4j.train.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.seed.SeedStrategy;
import dev.ce4j.train.config.TrainingArguments;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The seeds of a run: the master seed, the data seed, and the seed derived for each purpose at
 * index 0 ({@link SeedPurpose#DATA_ORDER} from the data seed, the others from the master seed),
 * recorded so that a reader can check the derivation.
 *
 * @param master the master seed
 * @param data the data seed
 * @param strategy the seed strategy's name, such as {@code ce-seed-v1}, never null
 * @param derived purpose key to derived seed (index 0), in {@link SeedPurpose} order, never null
 */
@JsonPropertyOrder({"master", "data", "strategy", "derived"})
public record RunSeeds(
    @JsonProperty(value = "master", required = true) long master,
    @JsonProperty(value = "data", required = true) long data,
    @JsonProperty(value = "strategy", required = true) String strategy,
    @JsonProperty(value = "derived", required = true) Map<String, Long> derived) {
  /** The name of {@link DefaultSeedStrategy}'s derivation. */
  public static final String DEFAULT_STRATEGY = "ce-seed-v1";

  /** Validates and copies. */
  public RunSeeds {
    Objects.requireNonNull(strategy, "strategy");
    derived = Collections.unmodifiableMap(new LinkedHashMap<>(derived));
  }

  /**
   * The seeds of a run with {@link DefaultSeedStrategy}.
   *
   * @param args the arguments, never null
   * @return the seeds, never null
   */
  public static RunSeeds of(TrainingArguments args) {
    SeedStrategy master = new DefaultSeedStrategy(args.seed());
    SeedStrategy data = new DefaultSeedStrategy(args.effectiveDataSeed());
    LinkedHashMap<String, Long> d = new LinkedHashMap<>();
    for (SeedPurpose p : SeedPurpose.values()) {
      d.put(p.key(), (p == SeedPurpose.DATA_ORDER ? data : master).seed(p, 0));
    }
    return new RunSeeds(args.seed(), args.effectiveDataSeed(), DEFAULT_STRATEGY, d);
  }
}
