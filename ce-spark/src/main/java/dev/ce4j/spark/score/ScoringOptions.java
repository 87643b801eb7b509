package dev.ce4j.spark.score;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.predict.PredictActivation;
import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SparkScoring} scores with and how.
 *
 * @param modelFolder the model folder, as a path every executor can read (shared storage or the
 *     same path on every machine), never null
 * @param queryColumn the query text column (string), never null
 * @param documentColumn the document text column (string), never null
 * @param idColumn a row id column named in error messages, empty for none (then rows are named by
 *     partition and position), never null
 * @param scoreColumn the column added: {@code double} for a one-output model, {@code array<double>}
 *     otherwise, never null
 * @param batchSize pairs per forward pass, at least 1
 * @param chunkSize rows of a partition sorted by length and batched together, at least {@code
 *     batchSize}
 * @param intraOpThreads libtorch's intra-op thread count set in the executor before each partition,
 *     or 0 to leave the executor's setting ({@code -Dai.djl.pytorch.num_threads})
 * @param activation the activation applied to the logits, never null
 */
public record ScoringOptions(
    String modelFolder,
    String queryColumn,
    String documentColumn,
    String idColumn,
    String scoreColumn,
    int batchSize,
    int chunkSize,
    int intraOpThreads,
    PredictActivation activation)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Validates. */
  public ScoringOptions {
    Objects.requireNonNull(modelFolder, "modelFolder");
    Objects.requireNonNull(queryColumn, "queryColumn");
    Objects.requireNonNull(documentColumn, "documentColumn");
    Objects.requireNonNull(idColumn, "idColumn");
    Objects.requireNonNull(scoreColumn, "scoreColumn");
    Objects.requireNonNull(activation, "activation");
    if (batchSize < 1) {
      throw new InvalidInputException("batchSize must be at least 1, got " + batchSize);
    }
    if (chunkSize < batchSize) {
      throw new InvalidInputException("chunkSize must be at least batchSize " + batchSize + ", got " + chunkSize);
    }
    if (intraOpThreads < 0) {
      throw new InvalidInputException("intraOpThreads must be 0 (leave as is) or more, got " + intraOpThreads);
    }
  }

  /**
   * Options with the defaults: columns {@code query}, {@code document}, {@code score}, no id column,
   * batch size 32, chunks of 1,024 rows, the executor's thread count, the model's activation.
   *
   * @param modelFolder the model folder, never null
   * @return options, never null
   */
  public static ScoringOptions of(String modelFolder) {
    return new ScoringOptions(modelFolder, "query", "document", "", "score", 32, 1024, 0, PredictActivation.DEFAULT);
  }

  /**
   * The id column, if any.
   *
   * @return the column name, never null
   */
  public Optional<String> id() {
    return idColumn.isEmpty() ? Optional.empty() : Optional.of(idColumn);
  }

  /**
   * With other text columns.
   *
   * @param query the query column, never null
   * @param document the document column, never null
   * @return new options, never null
   */
  public ScoringOptions withColumns(String query, String document) {
    return new ScoringOptions(modelFolder, query, document, idColumn, scoreColumn, batchSize, chunkSize, intraOpThreads, activation);
  }

  /**
   * With an id column.
   *
   * @param id the column, never null
   * @return new options, never null
   */
  public ScoringOptions withIdColumn(String id) {
    return new ScoringOptions(modelFolder, queryColumn, documentColumn, id, scoreColumn, batchSize, chunkSize, intraOpThreads, activation);
  }

  /**
   * With another score column name.
   *
   * @param score the column, never null
   * @return new options, never null
   */
  public ScoringOptions withScoreColumn(String score) {
    return new ScoringOptions(modelFolder, queryColumn, documentColumn, idColumn, score, batchSize, chunkSize, intraOpThreads, activation);
  }

  /**
   * With another batch size (and a chunk at least as large).
   *
   * @param size pairs per forward pass
   * @return new options, never null
   */
  public ScoringOptions withBatchSize(int size) {
    return new ScoringOptions(modelFolder, queryColumn, documentColumn, idColumn, scoreColumn, size,
        Math.max(size, chunkSize), intraOpThreads, activation);
  }

  /**
   * With another chunk size.
   *
   * @param size rows sorted and batched together
   * @return new options, never null
   */
  public ScoringOptions withChunkSize(int size) {
    return new ScoringOptions(modelFolder, queryColumn, documentColumn, idColumn, scoreColumn, batchSize, size, intraOpThreads, activation);
  }

  /**
   * With an intra-op thread count per task.
   *
   * @param threads the count, or 0 to leave the executor's
   * @return new options, never null
   */
  public ScoringOptions withIntraOpThreads(int threads) {
    return new ScoringOptions(modelFolder, queryColumn, documentColumn, idColumn, scoreColumn, batchSize, chunkSize, threads, activation);
  }

  /**
   * With another activation.
   *
   * @param a the activation, never null
   * @return new options, never null
   */
  public ScoringOptions withActivation(PredictActivation a) {
    return new ScoringOptions(modelFolder, queryColumn, documentColumn, idColumn, scoreColumn, batchSize, chunkSize, intraOpThreads, a);
  }
}
