package dev.ce4j.core.tokenize;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.core.model.ModelInputs;
import java.util.List;
import java.util.Objects;

/** Pads encoded pairs into a batch as long as its longest pair. Stateless and thread-safe. */
public final class Batches {
  private Batches() {}

  /**
   * Pads pairs to the longest of them and places them on a manager's device.
   *
   * @param pairs the pairs, never null, at least one
   * @param padId the id written in padded positions (masked out; any valid id)
   * @param manager the manager that will own the arrays, never null
   * @return the batch, never null
   */
  public static ModelInputs pad(List<EncodedPair> pairs, long padId, NDManager manager) {
    Objects.requireNonNull(pairs, "pairs");
    Objects.requireNonNull(manager, "manager");
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one pair");
    }
    int b = pairs.size();
    int t = 0;
    for (EncodedPair p : pairs) {
      t = Math.max(t, p.length());
    }
    long[] ids = new long[b * t];
    long[] types = new long[b * t];
    long[] mask = new long[b * t];
    for (int i = 0; i < b; i++) {
      EncodedPair p = pairs.get(i);
      int n = p.length();
      System.arraycopy(p.ids(), 0, ids, i * t, n);
      System.arraycopy(p.typeIds(), 0, types, i * t, n);
      for (int j = 0; j < t; j++) {
        if (j < n) {
          mask[i * t + j] = 1;
        } else {
          ids[i * t + j] = padId;
        }
      }
    }
    Shape shape = new Shape(b, t);
    return new ModelInputs(
        manager.create(ids, shape), manager.create(types, shape), manager.create(mask, shape));
  }
}
