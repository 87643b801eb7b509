package dev.ce4j.train.data;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.InputKind;
import dev.ce4j.api.eval.Samples;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.DataFormat;
import dev.ce4j.train.internal.Sha256;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** Digests of data files and loading of evaluation data. Stateless and thread-safe. */
public final class DataFiles {
  private DataFiles() {}

  /**
   * The SHA-256 of a file's bytes.
   *
   * @param file the file, never null
   * @return 64 lowercase hex digits, never null
   * @throws InvalidInputException if the file is missing, not a regular file or unreadable,
   *     naming it
   */
  public static String sha256(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return Sha256.of(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": data file not found", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Loads evaluation data as the samples an evaluator of {@code kind} reads.
   *
   * <ul>
   *   <li>{@code POINTWISE}: pairs with scalar labels; a listwise file is flattened to its pairs.
   *   <li>{@code MULTICLASS}: pairs whose labels are class indices.
   *   <li>{@code MULTILABEL}: pairs with 0/1 label arrays.
   *   <li>{@code RANKING}: listwise queries; a pairs file is grouped by query text.
   * </ul>
   *
   * @param file the data file, never null
   * @param kind what the evaluator reads, never null
   * @return the samples, never null
   * @throws InvalidInputException if the file is bad or its labels do not fit {@code kind}
   */
  public static Samples load(DataFile file, InputKind kind) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(kind, "kind");
    if (file.format() == DataFormat.LISTWISE) {
      ListwiseDataset d = ListwiseDataset.read(file.path());
      return switch (kind) {
        case RANKING -> d.toRanking();
        case POINTWISE -> d.toPairs().toPointwise();
        case MULTICLASS -> d.toPairs().toMulticlass();
        case MULTILABEL -> throw new InvalidInputException(
            file.path() + ": a multi-label evaluator needs a pairs file with 0/1 label arrays, not a listwise file");
      };
    }
    PairDataset d = PairDataset.read(file.path());
    return switch (kind) {
      case POINTWISE -> d.toPointwise();
      case MULTICLASS -> d.toMulticlass();
      case MULTILABEL -> d.toMultilabel();
      case RANKING -> d.toRanking();
    };
  }
}
