package dev.ce4j.examples.demo.wordnet;

/**
 * How many examples {@link WordNetDatasets} draws.
 *
 * @param trainQueries reranking queries (definitions) in train, at least 1
 * @param devQueries reranking queries in dev, at least 1
 * @param testQueries reranking queries in test, at least 1
 * @param hardNegatives BM25 hard negatives per query, at least 1
 * @param randomNegatives random negatives per query, at least 0
 * @param trainHardNegatives how many of the hard negatives become training pairs, in [1,
 *     hardNegatives]
 * @param relationTrain multi-label pairs in train, at least 1
 * @param relationDev multi-label pairs in dev, at least 1
 * @param relationTest multi-label pairs in test, at least 1
 */
public record DatasetSizes(
    int trainQueries,
    int devQueries,
    int testQueries,
    int hardNegatives,
    int randomNegatives,
    int trainHardNegatives,
    int relationTrain,
    int relationDev,
    int relationTest) {

  /** The full demo's sizes. */
  public static final DatasetSizes FULL = new DatasetSizes(600, 40, 200, 6, 3, 3, 1500, 150, 400);

  /** The sizes of {@code --quick} (a smoke run for CI). */
  public static final DatasetSizes QUICK = new DatasetSizes(24, 4, 12, 6, 3, 2, 24, 12, 24);

  /** Validates. */
  public DatasetSizes {
    if (trainQueries < 1 || devQueries < 1 || testQueries < 1 || hardNegatives < 1
        || randomNegatives < 0 || trainHardNegatives < 1 || trainHardNegatives > hardNegatives
        || relationTrain < 1 || relationDev < 1 || relationTest < 1) {
      throw new IllegalArgumentException("invalid dataset sizes " + this);
    }
  }
}
