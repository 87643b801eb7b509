package dev.ce4j.train.sampling;

import dev.ce4j.api.seed.SeedPurpose;
import dev.ce4j.api.seed.SeedStrategy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Batches of examples of similar length, as transformers' {@code LengthGroupedSampler} (the
 * Trainer's {@code group_by_length}): a batch is padded to its longest pair, so grouping cuts the
 * padding the model computes on, and with it the time per step.
 *
 * <p>Per epoch, the indices are shuffled as by {@link RandomBatchSampler} (same seed) and cut into
 * megabatches of {@code m * batchSize} consecutive indices, {@code m = min(size / (4 * batchSize),
 * 50)} and at least 1; each megabatch is sorted by length, longest first (ties keep their shuffled
 * order); the first element of the megabatch with the longest head is swapped with the first
 * element of the first megabatch, so that the longest example comes in the first batch (a run that
 * runs out of memory does so at once); the result is cut into consecutive batches. So the batches
 * within a megabatch run from long to short, and which examples share a megabatch changes every
 * epoch.
 *
 * <p>The length of an example is the character count of its longest (query, document) pair, taken
 * as the sum of its two longest texts (a pair's two texts; a query and its longest document): a
 * proxy for its token count that needs no tokenizer.
 *
 * <p>Thread-safe.
 */
public final class LengthGroupedBatchSampler extends OrderedBatchSampler {
  private final SeedStrategy dataSeeds;
  private final int[] lengths;

  /**
   * Creates a sampler.
   *
   * @param size the dataset size, at least 0
   * @param texts the texts of example {@code i}, never null; read once, here
   * @param batchSize examples per batch, at least 1
   * @param dropLast whether a final batch smaller than {@code batchSize} is dropped
   * @param dataSeeds the seed strategy of the data order, never null
   */
  public LengthGroupedBatchSampler(
      int size, IntFunction<? extends Collection<String>> texts, int batchSize, boolean dropLast, SeedStrategy dataSeeds) {
    super(size, batchSize, dropLast);
    this.dataSeeds = Objects.requireNonNull(dataSeeds, "dataSeeds");
    this.lengths = new int[size];
    for (int i = 0; i < size; i++) {
      lengths[i] = length(texts.apply(i));
    }
  }

  /**
   * The length of an example: the character counts of its two longest texts, summed.
   *
   * @param texts the example's texts, never null
   * @return the length, at least 0
   */
  static int length(Collection<String> texts) {
    int first = 0;
    int second = 0;
    for (String t : texts) {
      int n = t.length();
      if (n > first) {
        second = first;
        first = n;
      } else if (n > second) {
        second = n;
      }
    }
    return first + second;
  }

  @Override
  int[] computeOrder(long epoch) {
    return grouped(SplitMix64.permutation(size(), dataSeeds.seed(SeedPurpose.DATA_ORDER, epoch)));
  }

  private int[] grouped(int[] permutation) {
    int size = size();
    int megabatch = Math.max(1, Math.min(size / (4 * batchSize()), 50)) * batchSize();
    List<List<Integer>> megabatches = new ArrayList<>();
    for (int from = 0; from < size; from += megabatch) {
      List<Integer> m = new ArrayList<>();
      for (int i = from; i < Math.min(from + megabatch, size); i++) {
        m.add(permutation[i]);
      }
      // a stable sort: equal lengths keep their shuffled order
      m.sort(Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
      megabatches.add(m);
    }
    if (megabatches.isEmpty()) {
      return new int[0];
    }
    int longest = 0;
    for (int k = 1; k < megabatches.size(); k++) {
      if (lengths[megabatches.get(k).get(0)] > lengths[megabatches.get(longest).get(0)]) {
        longest = k;
      }
    }
    Integer head = megabatches.get(0).get(0);
    megabatches.get(0).set(0, megabatches.get(longest).get(0));
    megabatches.get(longest).set(0, head);
    return megabatches.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
  }
}
