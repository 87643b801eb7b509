package dev.ce4j.examples.demo.wordnet;

/**
 * How many examples {@link WordNetDatasets} draws.
 *
 * @param trainQueries reranking queries (definitions) in train, at least 1
 * @param devQueries reranking queries in dev, at least 1
 * @param testQueries reranking queries in test, at least 1
 * @param hardNegatives BM25 hard negatives per dev and test query, at least 1
 * @param randomNegatives random negatives per dev and test query, at least 0
 * @param trainHardNegatives BM25 hard negatives per training query, at least 0 (at least 1 with
 *     {@code trainContentWordNegatives})
 * @param trainRandomNegatives random negatives per training query, at least 0
 * @param trainAllPartsOfSpeech whether training definitions come from every part of speech (nouns,
 *     verbs, adjectives, adverbs) rather than nouns alone; dev and test are nouns either way
 * @param trainContentWordNegatives more BM25 hard negatives per training query, mined on the
 *     definition's content words (Lucene's English stop words dropped from the query), so that they
 *     share a meaningful word with it rather than "of" or "the", at least 0; dev and test have none
 * @param generalizationQueries queries of each generalization set (example sentences, word lists)
 *     drawn from the test split, at least 1
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
    int trainRandomNegatives,
    boolean trainAllPartsOfSpeech,
    int trainContentWordNegatives,
    int generalizationQueries,
    int relationTrain,
    int relationDev,
    int relationTest) {

  /** Validates. */
  public DatasetSizes {
    if (trainQueries < 1 || devQueries < 1 || testQueries < 1 || hardNegatives < 1
        || randomNegatives < 0 || trainHardNegatives < 0 || trainRandomNegatives < 0 || trainContentWordNegatives < 0
        || trainHardNegatives + trainContentWordNegatives < 1
        || generalizationQueries < 1 || relationTrain < 1 || relationDev < 1 || relationTest < 1) {
      throw new IllegalArgumentException("invalid dataset sizes " + this);
    }
  }

  /**
   * These sizes with another number of training queries.
   *
   * @param n the number, at least 1
   * @return a copy, never null
   */
  public DatasetSizes withTrainQueries(int n) {
    return new DatasetSizes(n, devQueries, testQueries, hardNegatives, randomNegatives, trainHardNegatives,
        trainRandomNegatives, trainAllPartsOfSpeech, trainContentWordNegatives, generalizationQueries, relationTrain, relationDev, relationTest);
  }
}
