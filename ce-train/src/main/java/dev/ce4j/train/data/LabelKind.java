package dev.ce4j.train.data;

/** The kind of label of a pair dataset; one kind per dataset. */
public enum LabelKind {
  /**
   * One number per pair: a relevance score, a 0/1 class, a regression target or a class index
   * (see {@link PairDataset#toMulticlass()}).
   */
  SCALAR,
  /** A 0/1 indicator array per pair, all of the same length. */
  MULTI_LABEL
}
