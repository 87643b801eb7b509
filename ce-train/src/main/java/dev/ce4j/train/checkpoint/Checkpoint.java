package dev.ce4j.train.checkpoint;

import dev.ce4j.api.CeException;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.train.manifest.CheckpointFingerprint;
import dev.ce4j.train.manifest.RunManifest;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete checkpoint folder, {@code OUTPUT/checkpoint-<step>/}, laid out as:
 *
 * <pre>
 *   model/                   the model in Hugging Face format (config.json, model.safetensors,
 *                            tokenizer files): loadable by CrossEncoder.load and transformers
 *   optimizer.safetensors    the optimiser state (AdamW moments, by parameter name)
 *   trainer_state.json       {@link TrainerState}: step, data position, best metric, RNG states,
 *                            scheduler and other trainer entries
 *   run.json                 the run manifest as of this checkpoint
 *   COMPLETE                 the completion marker, written last: the step and the SHA-256 of
 *                            every other file ({@link CompletionMarker})
 * </pre>
 *
 * <p>A folder is a checkpoint only if its name is {@code checkpoint-<step>} and its {@code COMPLETE}
 * marker names the same step; anything else is ignored (and removed by {@link
 * CheckpointDirectory#removeIncomplete()}). Immutable and thread-safe.
 *
 * @param directory the folder, never null
 * @param step the optimisation step it was saved after
 */
public record Checkpoint(Path directory, long step) {
  /** The model sub-folder. */
  public static final String MODEL = "model";
  /** The optimiser state file. */
  public static final String OPTIMIZER = "optimizer.safetensors";
  /** The trainer state file. */
  public static final String TRAINER_STATE = "trainer_state.json";
  /** The manifest snapshot. */
  public static final String MANIFEST = "run.json";
  /** The completion marker. */
  public static final String COMPLETE = "COMPLETE";

  /** Validates. */
  public Checkpoint {
    Objects.requireNonNull(directory, "directory");
  }

  /**
   * The model folder.
   *
   * @return {@code model/}, never null
   */
  public Path model() {
    return directory.resolve(MODEL);
  }

  /**
   * The optimiser state file.
   *
   * @return {@code optimizer.safetensors}, never null
   */
  public Path optimizer() {
    return directory.resolve(OPTIMIZER);
  }

  /**
   * The trainer state file.
   *
   * @return {@code trainer_state.json}, never null
   */
  public Path trainerStateFile() {
    return directory.resolve(TRAINER_STATE);
  }

  /**
   * The manifest snapshot.
   *
   * @return {@code run.json}, never null
   */
  public Path manifest() {
    return directory.resolve(MANIFEST);
  }

  /**
   * Reads the trainer state.
   *
   * @return the state, never null
   * @throws dev.ce4j.api.InvalidInputException if the file is missing or malformed
   */
  public TrainerState readTrainerState() {
    return TrainerState.read(trainerStateFile());
  }

  /**
   * Checks that every file is still the one that was written, against the digests of the {@code
   * COMPLETE} marker (see {@link CompletionMarker#verify(Path)}); a marker written before digests
   * were recorded is checked by the model's fingerprint against the one {@code run.json}
   * recorded for this step. Reads every file once.
   *
   * @return the first damage found, naming the file relative to {@link #directory()}; empty when
   *     the checkpoint is intact
   */
  public Optional<String> damage() {
    Optional<CompletionMarker> marker = marker();
    if (marker.isEmpty() || marker.get().step() != step) {
      return Optional.of(COMPLETE + " is missing or unreadable");
    }
    if (!marker.get().sha256().isEmpty()) {
      return marker.get().verify(directory);
    }
    Optional<String> recorded;
    String actual;
    try {
      recorded = RunManifest.read(manifest()).checkpoints().stream()
          .filter(x -> x.step() == step).map(CheckpointFingerprint::fingerprint).findFirst();
      actual = ModelFingerprint.ofFolder(model());
    } catch (CeException e) {
      return Optional.of(e.getMessage());
    }
    if (recorded.isPresent() && !recorded.get().equals(actual)) {
      return Optional.of(MODEL + "/ has the fingerprint " + actual + " but " + MANIFEST + " recorded " + recorded.get());
    }
    return Optional.empty();
  }

  /**
   * The completion marker.
   *
   * @return the marker, or empty if it is missing or unreadable
   */
  public Optional<CompletionMarker> marker() {
    return CompletionMarker.read(directory);
  }
}
