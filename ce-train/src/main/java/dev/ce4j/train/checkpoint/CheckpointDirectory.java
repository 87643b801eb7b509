package dev.ce4j.train.checkpoint;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints of an output folder: creates them crash-safely ({@link #begin(long)}), finds the
 * complete ones ({@link #list()}, {@link #latest()}), removes leftovers of crashed writes ({@link
 * #removeIncomplete()}) and old checkpoints ({@link #prune(int, OptionalLong)}).
 *
 * <p>Folder names: {@code checkpoint-<step>} (a checkpoint, if its {@code COMPLETE} marker is
 * there and names the step), {@code checkpoint-<step>.tmp-<hex>} (being written), {@code
 * checkpoint-<step>.old-<hex>} (being replaced), {@code checkpoint-<step>.del-<hex>} (being
 * deleted). Only one process may write checkpoints into an output folder at a time. Not
 * thread-safe.
 */
public final class CheckpointDirectory {
  /** The prefix of every checkpoint folder. */
  public static final String PREFIX = "checkpoint-";

  private static final Pattern COMPLETE_NAME = Pattern.compile("checkpoint-(0|[1-9][0-9]{0,18})");

  private final Path root;

  /**
   * The checkpoints under an output folder (which need not exist yet).
   *
   * @param outputDirectory the run's output folder, never null
   */
  public CheckpointDirectory(Path outputDirectory) {
    this.root = Objects.requireNonNull(outputDirectory, "outputDirectory");
  }

  /**
   * The output folder.
   *
   * @return the folder, never null
   */
  public Path root() {
    return root;
  }

  /**
   * The folder a complete checkpoint of a step has.
   *
   * @param step the step
   * @return {@code OUTPUT/checkpoint-<step>}, never null
   */
  public Path pathOf(long step) {
    return root.resolve(PREFIX + step);
  }

  /**
   * Starts a checkpoint: creates the output folder if needed and a fresh temporary folder.
   *
   * @param step the step, at least 0
   * @return the pending checkpoint, never null; commit or close it
   * @throws IOException if the folder cannot be created
   */
  public PendingCheckpoint begin(long step) throws IOException {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    Files.createDirectories(root);
    Path tmp = Files.createDirectory(root.resolve(PREFIX + step + ".tmp-" + randomHex()));
    return new PendingCheckpoint(this, tmp, step);
  }

  Checkpoint install(Path tmp, long step) throws IOException {
    Path target = pathOf(step);
    Path old = null;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      old = root.resolve(PREFIX + step + ".old-" + randomHex());
      AtomicFiles.move(target, old);
    }
    AtomicFiles.move(tmp, target);
    AtomicFiles.fsyncDirectory(root);
    if (old != null) {
      AtomicFiles.deleteTree(old);
    }
    return new Checkpoint(target, step);
  }

  /**
   * Every complete checkpoint, by ascending step.
   *
   * @return the checkpoints, never null (empty when the folder does not exist)
   * @throws IOException if the folder cannot be listed
   */
  public List<Checkpoint> list() throws IOException {
    List<Checkpoint> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path p : ds) {
        Matcher m = COMPLETE_NAME.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          long step;
          try {
            step = Long.parseLong(m.group(1));
          } catch (NumberFormatException e) {
            continue;
          }
          if (isComplete(p, step)) {
            out.add(new Checkpoint(p, step));
          }
        }
      }
    }
    out.sort((a, b) -> Long.compare(a.step(), b.step()));
    return out;
  }

  /**
   * The complete checkpoint with the highest step.
   *
   * @return the checkpoint, or empty when there is none
   * @throws IOException if the folder cannot be listed
   */
  public Optional<Checkpoint> latest() throws IOException {
    List<Checkpoint> all = list();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The complete checkpoint of a step.
   *
   * @param step the step
   * @return the checkpoint, or empty
   * @throws IOException if the folder cannot be listed
   */
  public Optional<Checkpoint> find(long step) throws IOException {
    Path p = pathOf(step);
    return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && isComplete(p, step)
        ? Optional.of(new Checkpoint(p, step))
        : Optional.empty();
  }

  /**
   * Folders that start with {@code checkpoint-} but are not complete checkpoints: leftovers of a
   * crash during a write, a replacement or a deletion.
   *
   * @return the folders, sorted by name, never null
   * @throws IOException if the folder cannot be listed
   */
  public List<Path> incomplete() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path p : ds) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Matcher m = COMPLETE_NAME.matcher(p.getFileName().toString());
        boolean complete = false;
        if (m.matches()) {
          try {
            complete = isComplete(p, Long.parseLong(m.group(1)));
          } catch (NumberFormatException e) {
            complete = false;
          }
        }
        if (!complete) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Deletes every {@link #incomplete()} folder. Call before resuming or starting a run in the
   * folder.
   *
   * @return the folders deleted, never null
   * @throws IOException if one cannot be deleted
   */
  public List<Path> removeIncomplete() throws IOException {
    List<Path> gone = incomplete();
    for (Path p : gone) {
      AtomicFiles.deleteTree(p);
    }
    return gone;
  }

  /**
   * The checkpoint to resume from: removes the {@link #incomplete()} folders, then takes the
   * newest complete checkpoint that is not {@linkplain Checkpoint#damage() damaged}. A damaged one
   * is reported and passed over (a run replays the steps after the checkpoint it resumes from, so
   * it ends the same).
   *
   * @param report receives one line per folder removed and per damaged checkpoint, never null
   * @return the checkpoint, or empty when there is none
   * @throws IOException if the folder cannot be listed or a leftover cannot be deleted
   * @throws InvalidInputException if there are checkpoints but every one is damaged, naming each
   *     damaged file
   */
  public Optional<Checkpoint> newestIntact(Consumer<String> report) throws IOException {
    for (Path p : removeIncomplete()) {
      report.accept("removed " + p + ": not a complete checkpoint (left by an interrupted checkpoint"
          + " write, or without a valid " + Checkpoint.COMPLETE + ")");
    }
    List<Checkpoint> all = list();
    List<String> damaged = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      Checkpoint c = all.get(i);
      Optional<String> damage = c.damage();
      if (damage.isEmpty()) {
        return Optional.of(c);
      }
      damaged.add(c.directory() + ": " + damage.get());
      report.accept("checkpoint " + c.directory() + " is damaged (" + damage.get() + "); it is not resumed from"
          + (i > 0 ? ", trying the one before" : ""));
    }
    if (!damaged.isEmpty()) {
      throw new InvalidInputException(
          "cannot resume " + root + ": every checkpoint is damaged (" + String.join("; ", damaged)
              + "); nothing was trained from them. Train again into a new folder");
    }
    return Optional.empty();
  }

  /**
   * Deletes old complete checkpoints so that at most {@code limit} remain, plus the one of {@code
   * keepStep} (the best checkpoint, kept even when older). The newest checkpoints are kept. Each
   * deletion first renames the folder out of the {@code checkpoint-<step>} name, so a crash
   * mid-deletion never leaves a damaged folder that looks complete. Call only after the newest
   * checkpoint is committed.
   *
   * @param limit the most checkpoints kept besides {@code keepStep}; 0 keeps all
   * @param keepStep a step whose checkpoint is never deleted, or empty
   * @return the deleted steps, ascending, never null
   * @throws IOException if a folder cannot be renamed or deleted
   */
  public List<Long> prune(int limit, OptionalLong keepStep) throws IOException {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    List<Long> deleted = new ArrayList<>();
    if (limit == 0) {
      return deleted;
    }
    List<Checkpoint> all = list();
    List<Checkpoint> candidates = new ArrayList<>();
    for (Checkpoint c : all) {
      if (!(keepStep.isPresent() && keepStep.getAsLong() == c.step())) {
        candidates.add(c);
      }
    }
    boolean bestKept = keepStep.isPresent() && all.stream().anyMatch(c -> c.step() == keepStep.getAsLong());
    int keepNewest = Math.max(0, limit - (bestKept && isAmongNewest(all, keepStep.getAsLong(), limit) ? 1 : 0));
    int toDelete = candidates.size() - keepNewest;
    for (int i = 0; i < toDelete; i++) {
      Checkpoint c = candidates.get(i);
      Path doomed = root.resolve(PREFIX + c.step() + ".del-" + randomHex());
      AtomicFiles.move(c.directory(), doomed);
      AtomicFiles.deleteTree(doomed);
      deleted.add(c.step());
    }
    AtomicFiles.fsyncDirectory(root);
    return deleted;
  }

  private static boolean isAmongNewest(List<Checkpoint> all, long step, int limit) {
    for (int i = Math.max(0, all.size() - limit); i < all.size(); i++) {
      if (all.get(i).step() == step) {
        return true;
      }
    }
    return false;
  }

  /**
   * Commits a pending checkpoint, then prunes (in that order, so old checkpoints are removed only
   * once the new one is whole).
   *
   * @param pending the checkpoint to commit, never null
   * @param limit the most checkpoints kept (0: all)
   * @param keepStep the best checkpoint's step, or empty
   * @return the committed checkpoint, never null
   * @throws IOException if committing or pruning fails
   */
  public Checkpoint commitAndPrune(PendingCheckpoint pending, int limit, OptionalLong keepStep) throws IOException {
    Checkpoint c = pending.commit();
    prune(limit, keepStep);
    return c;
  }

  private static boolean isComplete(Path dir, long step) {
    return CompletionMarker.read(dir).map(m -> m.step() == step).orElse(false);
  }

  private static String randomHex() {
    byte[] b = new byte[6];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
