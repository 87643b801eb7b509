package dev.ce4j.train.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/** Input/output failures in words a user can act on. Stateless and thread-safe. */
public final class IoErrors {
  private IoErrors() {}

  /**
   * A short reason for a failure: the file and the operating system's words, such as {@code
   * out/model/model.safetensors: No space left on device}.
   *
   * @param e the failure, never null
   * @return the reason, never null
   */
  public static String reason(IOException e) {
    Objects.requireNonNull(e, "e");
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (e instanceof NoSuchFileException n && n.getReason() == null) {
      return n.getFile() + ": no such file or folder";
    }
    if (e instanceof FileAlreadyExistsException x && x.getReason() == null) {
      return x.getFile() + ": already exists";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
