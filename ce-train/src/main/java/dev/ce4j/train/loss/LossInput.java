package dev.ce4j.train.loss;

/**
 * How a {@link Loss} expects its batch: the shapes of the logits, labels and mask. {@code B} is
 * the number of examples in the batch. Thread-safe.
 */
public enum LossInput {
  /**
   * One logit per text pair: logits {@code [B]} or {@code [B, 1]}, labels {@code [B]} (numbers),
   * no mask.
   */
  POINTWISE,
  /**
   * One logit per class: logits {@code [B, C]}, labels {@code [B]} class indices in {@code [0,
   * C)} (any integer type), no mask.
   */
  MULTICLASS,
  /**
   * One logit per label: logits {@code [B, C]}, labels {@code [B, C]} of 0 or 1 (any numeric
   * type), no mask.
   */
  MULTILABEL,
  /**
   * A query with one positive and {@code N} negative documents: logits {@code [B, 1 + N]},
   * column 0 the positive pair; labels as the loss says (possibly none); no mask.
   */
  POSITIVE_FIRST,
  /**
   * A query with a list of documents: logits and labels {@code [B, D]} ({@code D} the longest
   * list), mask {@code [B, D]} boolean, true for real documents (null: all real). Padded cells of
   * the logits and labels may hold anything finite.
   */
  LISTWISE
}
