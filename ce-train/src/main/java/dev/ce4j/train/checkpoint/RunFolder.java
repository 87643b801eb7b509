package dev.ce4j.train.checkpoint;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.train.internal.IoErrors;
import dev.ce4j.train.manifest.RunManifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The output folder of a training run, held for the whole run: checked before anything is written
 * into it, and locked so that a second process cannot train into it at the same time.
 *
 * <p>A new run ({@link #forNewRun(Path)}) takes a folder that does not exist or is empty; a folder
 * that holds a run is refused (resume it instead), and so is any other non-empty folder, so that
 * {@code ce} never replaces files it did not write. A resumed run ({@link #forResume(Path)}) takes
 * a folder that holds a run ({@code run.json} or checkpoint folders); a missing folder (usually a
 * typo in the path), an empty one or one holding something else is refused.
 *
 * <p>The lock is an exclusive lock on {@value #LOCK_FILE} in the folder, taken without waiting
 * (a second process is refused at once, naming the holder written in the file) and released by
 * {@link #close()} or when the process ends, however it ends. The file stays, emptied, when the
 * run is over. The lock needs a file system with working file locks (local disks do; some network
 * file systems do not, and are refused). Not thread-safe; close it once.
 */
public final class RunFolder implements AutoCloseable {
  /** The lock file in the output folder. */
  public static final String LOCK_FILE = "run.lock";

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private RunFolder(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Prepares the output folder of a new run: creates it if needed, locks it and checks that it is
   * empty (but for the lock file).
   *
   * @param dir the output folder, never null
   * @return the locked folder, never null; close it when the run is over
   * @throws InvalidInputException if {@code dir} is a file, cannot be created or locked, is in use
   *     by another run, already holds a run, or holds anything else
   */
  public static RunFolder forNewRun(Path dir) {
    Objects.requireNonNull(dir, "dir");
    refuseFile(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InvalidInputException("cannot create the output folder " + dir + ": " + IoErrors.reason(e), e);
    }
    RunFolder folder = lock(dir);
    try {
      List<String> entries = folder.entries();
      if (!entries.isEmpty()) {
        if (holdsRun(entries)) {
          throw new InvalidInputException(
              "the output folder " + dir + " already holds a training run; resume it (--resume) or"
                  + " choose another folder");
        }
        throw new InvalidInputException(
            "the output folder " + dir + " is not empty and holds no training run of ce (it holds "
                + describe(entries) + "); ce train writes only into a new or empty folder, so that it"
                + " replaces nothing it did not write: choose another folder");
      }
      return folder;
    } catch (RuntimeException e) {
      folder.close();
      throw e;
    }
  }

  /**
   * Prepares the output folder of a run to resume: checks that it exists and holds a run, and
   * locks it.
   *
   * @param dir the output folder, never null
   * @return the locked folder, never null; close it when the run is over
   * @throws InvalidInputException if {@code dir} does not exist, is a file, cannot be locked, is in
   *     use by another run, or holds no run
   */
  public static RunFolder forResume(Path dir) {
    Objects.requireNonNull(dir, "dir");
    refuseFile(dir);
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(
          "nothing to resume: the output folder " + dir + " does not exist (is the path right?);"
              + " to start a new run there, leave out --resume");
    }
    RunFolder folder = lock(dir);
    try {
      List<String> entries = folder.entries();
      if (!holdsRun(entries)) {
        throw new InvalidInputException(
            "nothing to resume: the output folder " + dir + " holds no training run ("
                + (entries.isEmpty() ? "it is empty" : "no " + RunManifest.FILE_NAME + " and no checkpoint; it holds "
                    + describe(entries))
                + "); give the folder of the run to resume, or leave out --resume to start one in an"
                + " empty folder");
      }
      return folder;
    } catch (RuntimeException e) {
      folder.close();
      throw e;
    }
  }

  /**
   * The output folder.
   *
   * @return the folder, never null
   */
  public Path path() {
    return path;
  }

  /** Releases the lock (emptying the lock file first); idempotent. */
  @Override
  public void close() {
    if (!channel.isOpen()) {
      return;
    }
    try (FileChannel ch = channel) {
      ch.truncate(0);
      lock.release();
    } catch (IOException e) {
      // closing the channel releases the lock anyway
    }
  }

  private static void refuseFile(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException(
          "the output " + dir + " is a file, not a folder; give a folder for the run (a new or empty one,"
              + " or with --resume the folder of the run)");
    }
  }

  private static RunFolder lock(Path dir) {
    Path file = dir.resolve(LOCK_FILE);
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new InvalidInputException("cannot create the lock file " + file + ": " + IoErrors.reason(e), e);
    }
    FileLock lock;
    String holder;
    try {
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this JVM holds it already
      }
      if (lock == null) {
        holder = holder(ch);
        ch.close();
        throw new InvalidInputException(
            "the output folder " + dir + " is in use by another training run ("
                + (holder.isEmpty() ? "its process did not say which it is" : holder)
                + "); wait until it ends, or choose another folder");
      }
    } catch (IOException e) {
      closeQuietly(ch);
      throw new InvalidInputException(
          "cannot lock the output folder " + dir + " (" + IoErrors.reason(e) + "); use an output folder on a"
              + " local file system",
          e);
    }
    try {
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      // who holds the lock is information for a second process; the lock holds without it
    }
    return new RunFolder(dir, ch, lock);
  }

  private static String holder(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1024);
    ch.read(b, 0);
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
  }

  private static String describeThisProcess() {
    return "process " + ProcessHandle.current().pid() + " on " + hostName() + ", since "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
  }

  private static String hostName() {
    try {
      Path p = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(p)) {
        return Files.readString(p, StandardCharsets.UTF_8).strip();
      }
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "this host";
    }
  }

  private List<String> entries() {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!name.equals(LOCK_FILE)) {
          out.add(name);
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot list the output folder " + path + ": " + IoErrors.reason(e), e);
    }
    out.sort(null);
    return out;
  }

  private static boolean holdsRun(List<String> entries) {
    return entries.stream()
        .anyMatch(n -> n.equals(RunManifest.FILE_NAME) || n.startsWith(CheckpointDirectory.PREFIX));
  }

  private static String describe(List<String> entries) {
    int shown = Math.min(entries.size(), 5);
    String list = String.join(", ", entries.subList(0, shown));
    return entries.size() > shown ? list + " and " + (entries.size() - shown) + " more" : list;
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
