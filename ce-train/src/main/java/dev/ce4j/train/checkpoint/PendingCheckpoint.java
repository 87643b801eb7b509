package dev.ce4j.train.checkpoint;

import dev.ce4j.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint being written: the trainer writes the contents into {@link #directory()} (a
 * temporary folder, {@code checkpoint-<step>.tmp-<random>}), then calls {@link #commit()}, which
 * flushes everything to disk, writes the {@code COMPLETE} marker (with every file's SHA-256) last and renames the folder to
 * {@code checkpoint-<step>} in one atomic step. Closing without committing deletes the temporary
 * folder. A crash at any point leaves either no {@code checkpoint-<step>} or a whole one.
 *
 * <p>Not thread-safe.
 */
public final class PendingCheckpoint implements AutoCloseable {
  private final CheckpointDirectory owner;
  private final Path directory;
  private final long step;
  private boolean done;

  PendingCheckpoint(CheckpointDirectory owner, Path directory, long step) {
    this.owner = owner;
    this.directory = directory;
    this.step = step;
  }

  /**
   * The temporary folder to write into.
   *
   * @return the folder, never null
   */
  public Path directory() {
    return directory;
  }

  /**
   * The step this checkpoint is for.
   *
   * @return the step
   */
  public long step() {
    return step;
  }

  /**
   * The model folder to write ({@code model/} in the temporary folder).
   *
   * @return the path, never null
   */
  public Path model() {
    return directory.resolve(Checkpoint.MODEL);
  }

  /**
   * The optimiser state file to write.
   *
   * @return the path, never null
   */
  public Path optimizer() {
    return directory.resolve(Checkpoint.OPTIMIZER);
  }

  /**
   * The trainer state file to write.
   *
   * @return the path, never null
   */
  public Path trainerStateFile() {
    return directory.resolve(Checkpoint.TRAINER_STATE);
  }

  /**
   * The manifest snapshot to write.
   *
   * @return the path, never null
   */
  public Path manifest() {
    return directory.resolve(Checkpoint.MANIFEST);
  }

  /**
   * Makes the checkpoint whole: flushes every file, writes and flushes {@code COMPLETE} (the step
   * and every file's SHA-256, see {@link CompletionMarker}), renames
   * the folder to {@code checkpoint-<step>} atomically (an existing complete checkpoint of the
   * same step is replaced) and flushes the output folder.
   *
   * @return the complete checkpoint, never null
   * @throws IOException if a step fails; the checkpoint is then not complete
   * @throws IllegalStateException if already committed or closed
   */
  public Checkpoint commit() throws IOException {
    if (done) {
      throw new IllegalStateException("checkpoint " + step + " was already committed or discarded");
    }
    AtomicFiles.fsyncTree(directory);
    Path marker = directory.resolve(Checkpoint.COMPLETE);
    Files.writeString(marker, CompletionMarker.of(directory, step).toJson(), StandardCharsets.UTF_8);
    AtomicFiles.fsync(marker);
    AtomicFiles.fsyncDirectory(directory);
    Checkpoint c = owner.install(directory, step);
    done = true;
    return c;
  }

  /** Deletes the temporary folder unless committed; idempotent. */
  @Override
  public void close() {
    if (!done) {
      done = true;
      try {
        AtomicFiles.deleteTree(directory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
