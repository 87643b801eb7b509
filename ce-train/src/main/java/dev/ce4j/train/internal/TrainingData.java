package dev.ce4j.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.tokenize.EncodedPair;
import dev.ce4j.train.config.DataFile;
import dev.ce4j.train.config.DataFormat;
import dev.ce4j.train.data.LabelKind;
import dev.ce4j.train.data.ListwiseDataset;
import dev.ce4j.train.data.ListwiseExample;
import dev.ce4j.train.data.Origin;
import dev.ce4j.train.data.PairDataset;
import dev.ce4j.train.data.PairExample;
import dev.ce4j.train.data.TrainingExamples;
import dev.ce4j.train.loss.LabelDomain;
import dev.ce4j.train.loss.Loss;
import dev.ce4j.train.loss.LossInput;
import dev.ce4j.train.loss.MultipleNegativesRankingLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The training examples of a run, read and checked before training starts, and turned into the
 * tensors a {@link Loss} expects, batch by batch.
 *
 * <p>Layouts by {@link Loss#input()}: pointwise, multi-class and multi-label losses read pair
 * files (listwise files are flattened to their pairs); listwise losses read listwise files; the
 * positive-first losses ({@code margin_mse}, {@code mnrl}) read listwise files whose first
 * document is the positive, every record with the same number of documents. Batches keep the
 * sampler's order; nothing here draws random numbers except {@code mnrl}'s in-batch negatives,
 * from the generator the caller passes. Immutable after construction; thread-safe for reading.
 */
public final class TrainingData {
  private final LossInput input;
  private final PairDataset pairs;
  private final ListwiseDataset lists;
  private final int[] classIndices;
  private final MultipleNegativesRankingLoss mnrl;

  private TrainingData(Loss loss, PairDataset pairs, ListwiseDataset lists) {
    this.input = loss.input();
    this.mnrl = loss instanceof MultipleNegativesRankingLoss x ? x : null;
    this.pairs = pairs;
    this.lists = lists;
    this.classIndices = input == LossInput.MULTICLASS ? pairs.classIndices() : null;
  }

  /**
   * Reads and checks the training files for a loss.
   *
   * @param files the files, in order, never null or empty
   * @param loss the loss, never null
   * @return the data, never null
   * @throws InvalidInputException naming file and line of the first bad record, or if the files
   *     do not suit the loss
   */
  public static TrainingData read(List<DataFile> files, Loss loss) {
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(loss, "loss");
    String what = "the training data " + paths(files);
    if (isPairwise(loss.input())) {
      List<PairDataset> parts = new ArrayList<>();
      for (DataFile f : files) {
        parts.add(f.format() == DataFormat.LISTWISE ? ListwiseDataset.read(f.path()).toPairs() : PairDataset.read(f.path()));
      }
      return pairwise(PairDataset.concat(parts), loss, what);
    }
    List<ListwiseExample> all = new ArrayList<>();
    for (DataFile f : files) {
      if (f.format() != DataFormat.LISTWISE) {
        throw new InvalidInputException(
            "loss '" + loss.id() + "' needs listwise training data ({\"query\": ..., \"documents\": [...],"
                + " \"labels\": [...]}); " + f.path() + " is configured as pairs; set \"format\": \"listwise\"");
      }
      all.addAll(ListwiseDataset.read(f.path()).examples());
    }
    return listwise(all, loss, what);
  }

  /**
   * Checks in-memory training data for a loss, as {@link #read} checks files.
   *
   * @param examples the data, never null
   * @param loss the loss, never null
   * @return the data, never null
   * @throws InvalidInputException naming the first bad example, or if the data does not suit the loss
   */
  public static TrainingData of(TrainingExamples examples, Loss loss) {
    Objects.requireNonNull(examples, "examples");
    Objects.requireNonNull(loss, "loss");
    String what = "the in-memory training data";
    if (isPairwise(loss.input())) {
      PairDataset d = examples.pairDataset() != null ? examples.pairDataset() : examples.listwiseDataset().toPairs();
      return pairwise(d, loss, what);
    }
    if (examples.listwiseDataset() == null) {
      throw new InvalidInputException("loss '" + loss.id() + "' needs listwise training data; " + what
          + " is pairs: give TrainingExamples.listwise(...)");
    }
    return listwise(examples.listwiseDataset().examples(), loss, what);
  }

  private static boolean isPairwise(LossInput input) {
    return input == LossInput.POINTWISE || input == LossInput.MULTICLASS || input == LossInput.MULTILABEL;
  }

  private static TrainingData pairwise(PairDataset d, Loss loss, String what) {
    if (d.isEmpty()) {
      throw new InvalidInputException(what + " holds no examples");
    }
    LabelKind want = loss.input() == LossInput.MULTILABEL ? LabelKind.MULTI_LABEL : LabelKind.SCALAR;
    if (d.labelKind() != want) {
      throw new InvalidInputException(
          "loss '" + loss.id() + "' needs " + (want == LabelKind.SCALAR ? "one number per pair" : "0/1 label arrays")
              + " but " + what + " has " + d.labelKind().name().toLowerCase(java.util.Locale.ROOT) + " labels");
    }
    return new TrainingData(loss, d, null);
  }

  private static TrainingData listwise(List<ListwiseExample> all, Loss loss, String what) {
    if (all.isEmpty()) {
      throw new InvalidInputException(what + " holds no examples");
    }
    if (loss.input() == LossInput.POSITIVE_FIRST) {
      int width = all.get(0).documents().size();
      for (ListwiseExample e : all) {
        if (e.documents().size() != width) {
          throw new InvalidInputException(
              e.origin() + ": loss '" + loss.id() + "' needs every record to have the same number of"
                  + " documents (the positive first, then the negatives); this one has "
                  + e.documents().size() + ", the first has " + width);
        }
        if (!(loss instanceof MultipleNegativesRankingLoss) && width < 2) {
          throw new InvalidInputException(e.origin() + ": loss '" + loss.id() + "' needs a positive and at least one negative");
        }
      }
    }
    return new TrainingData(loss, null, ListwiseDataset.of(all));
  }

  /**
   * Checks that the data and the loss fit a model with {@code numLabels} outputs: the number of
   * outputs the loss's layout needs, and every label against the loss's {@link LabelDomain} (class
   * indices against the outputs). Call before anything of the run is written.
   *
   * @param loss the loss the data was read for, never null
   * @param numLabels the model's number of outputs, at least 1
   * @throws InvalidInputException naming the model's outputs and what the loss needs, or the file
   *     and line of the first label the loss cannot take
   */
  public void requireFits(Loss loss, int numLabels) {
    String outputs = numLabels + (numLabels == 1 ? " output" : " outputs");
    switch (input) {
      case POINTWISE, LISTWISE, POSITIVE_FIRST -> {
        if (numLabels != 1) {
          throw new InvalidInputException(
              "loss '" + loss.id() + "' needs a model with one output (a relevance score), but the model has "
                  + outputs + "; train a one-output model (\"numLabels\": 1 in the config's \"model\")"
                  + " or use a loss for several outputs (cross_entropy, multilabel_bce)");
        }
      }
      case MULTICLASS -> {
        if (numLabels < 2) {
          throw new InvalidInputException(
              "loss '" + loss.id() + "' needs a model with one output per class (at least 2), but the"
                  + " model has " + outputs + "; set \"numLabels\" to the number of classes in the config's"
                  + " \"model\"");
        }
      }
      case MULTILABEL -> {
        if (numLabels != pairs.labelWidth()) {
          throw new InvalidInputException(
              pairs.get(0).origin() + ": the labels have " + pairs.labelWidth() + " values per pair but the model"
                  + " has " + outputs + "; loss '" + loss.id() + "' needs one output per label (set"
                  + " \"numLabels\": " + pairs.labelWidth() + " in the config's \"model\")");
        }
      }
    }
    LabelDomain domain = loss.labelDomain();
    if (pairs != null) {
      for (PairExample e : pairs.examples()) {
        for (int j = 0; j < e.labelWidth(); j++) {
          requireLabel(domain, e.label(j), numLabels, loss, e.origin(), e.labelWidth() == 1 ? "\"label\"" : "\"label\"[" + j + "]");
        }
      }
    } else {
      for (ListwiseExample e : lists.examples()) {
        for (int j = 0; j < e.documents().size(); j++) {
          requireLabel(domain, e.label(j), numLabels, loss, e.origin(), "\"labels\"[" + j + "]");
        }
      }
    }
  }

  private static void requireLabel(
      LabelDomain domain, double label, int numLabels, Loss loss, Origin origin, String what) {
    String needs = domain.check(label, numLabels);
    if (needs != null) {
      throw new InvalidInputException(
          origin + ": " + what + " is " + plain(label) + " but loss '" + loss.id() + "' needs " + needs);
    }
  }

  private static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static String paths(List<DataFile> files) {
    List<String> s = new ArrayList<>();
    files.forEach(f -> s.add(f.path().toString()));
    return String.join(", ", s);
  }

  /**
   * The number of examples (pairs, or queries for list layouts).
   *
   * @return the count, at least 1
   */
  public int size() {
    return pairs != null ? pairs.size() : lists.size();
  }

  /**
   * The texts of an example, for the no-duplicates and group-by-length samplers.
   *
   * @param i the example
   * @return its texts, never null
   */
  public List<String> texts(int i) {
    return pairs != null ? pairs.texts(i) : lists.texts(i);
  }

  /** A batch in tensors: the model inputs, and the labels and mask the loss reads. */
  public interface Batch {
    /**
     * Computes the loss of this batch with a model in training mode.
     *
     * @param model the model, never null
     * @param loss the loss, never null
     * @return the scalar loss, in the batch's manager, never null
     */
    NDArray loss(CrossEncoder model, Loss loss);
  }

  /**
   * Builds the tensors of a batch in a manager.
   *
   * @param model the model (tokenizer, device), never null
   * @param indices the examples, never null or empty
   * @param manager the batch's manager, closed by the caller after the backward pass, never null
   * @param negatives the generator for in-batch negatives ({@code mnrl}), never null
   * @return the batch, never null
   */
  public Batch batch(CrossEncoder model, int[] indices, NDManager manager, SplittableRandom negatives) {
    return switch (input) {
      case POINTWISE, MULTICLASS, MULTILABEL -> pairBatch(model, indices, manager);
      case LISTWISE -> listBatch(model, indices, manager);
      case POSITIVE_FIRST -> positiveFirstBatch(model, indices, manager, negatives);
    };
  }

  private Batch pairBatch(CrossEncoder model, int[] indices, NDManager m) {
    List<TextPair> texts = new ArrayList<>(indices.length);
    for (int i : indices) {
      texts.add(pairs.get(i).pair());
    }
    ModelInputs inputs = encode(model, texts, m);
    NDArray labels;
    int b = indices.length;
    if (input == LossInput.MULTICLASS) {
      long[] y = new long[b];
      for (int k = 0; k < b; k++) {
        y[k] = classIndices[indices[k]];
      }
      labels = m.create(y);
    } else if (input == LossInput.MULTILABEL) {
      int c = pairs.labelWidth();
      float[] y = new float[b * c];
      for (int k = 0; k < b; k++) {
        for (int j = 0; j < c; j++) {
          y[k * c + j] = (float) pairs.get(indices[k]).label(j);
        }
      }
      labels = m.create(y, new Shape(b, c));
    } else {
      float[] y = new float[b];
      for (int k = 0; k < b; k++) {
        y[k] = (float) pairs.get(indices[k]).score();
      }
      labels = m.create(y);
    }
    return (ce, loss) -> loss.compute(ce.model().logits(inputs, true), labels, null);
  }

  private Batch listBatch(CrossEncoder model, int[] indices, NDManager m) {
    int b = indices.length;
    int d = 0;
    for (int i : indices) {
      d = Math.max(d, lists.get(i).documents().size());
    }
    List<TextPair> texts = new ArrayList<>();
    long[] gather = new long[b * d];
    boolean[] mask = new boolean[b * d];
    float[] y = new float[b * d];
    for (int k = 0; k < b; k++) {
      ListwiseExample e = lists.get(indices[k]);
      for (int j = 0; j < d; j++) {
        if (j < e.documents().size()) {
          gather[k * d + j] = texts.size();
          texts.add(TextPair.of(e.query(), e.documents().get(j)));
          mask[k * d + j] = true;
          y[k * d + j] = (float) e.label(j);
        } else {
          gather[k * d + j] = -1;
        }
      }
    }
    int n = texts.size();
    for (int c = 0; c < gather.length; c++) {
      if (gather[c] < 0) {
        gather[c] = n; // the zero appended after the real logits
      }
    }
    ModelInputs inputs = encode(model, texts, m);
    NDArray index = m.create(gather);
    NDArray labels = m.create(y, new Shape(b, d));
    NDArray maskArray = m.create(mask, new Shape(b, d));
    int width = d;
    return (ce, loss) -> {
      NDArray flat = ce.model().logits(inputs, true).reshape(n);
      NDArray padded = NDArrays.concat(new NDList(flat, m.zeros(new Shape(1), DataType.FLOAT32)));
      NDArray logits = padded.get(index).reshape(b, width);
      return loss.compute(logits, labels, maskArray);
    };
  }

  private Batch positiveFirstBatch(CrossEncoder model, int[] indices, NDManager m, SplittableRandom random) {
    int b = indices.length;
    int columns = lists.get(indices[0]).documents().size();
    List<TextPair> texts = new ArrayList<>();
    int width;
    NDArray labels = null;
    if (mnrl == null) {
      width = columns;
      float[] y = new float[b * width];
      for (int k = 0; k < b; k++) {
        ListwiseExample e = lists.get(indices[k]);
        for (int j = 0; j < width; j++) {
          texts.add(TextPair.of(e.query(), e.documents().get(j)));
          y[k * width + j] = (float) e.label(j);
        }
      }
      labels = m.create(y, new Shape(b, width));
    } else {
      int[][] negatives =
          MultipleNegativesRankingLoss.sampleInBatchNegatives(b, columns, mnrl.numNegatives(), random);
      width = columns + negatives[0].length;
      for (int k = 0; k < b; k++) {
        ListwiseExample e = lists.get(indices[k]);
        for (int j = 0; j < columns; j++) {
          texts.add(TextPair.of(e.query(), e.documents().get(j)));
        }
        for (int c : negatives[k]) {
          texts.add(TextPair.of(e.query(), lists.get(indices[c % b]).documents().get(c / b)));
        }
      }
    }
    ModelInputs inputs = encode(model, texts, m);
    NDArray y = labels;
    int w = width;
    return (ce, loss) -> loss.compute(ce.model().logits(inputs, true).reshape(b, w), y, null);
  }

  private static ModelInputs encode(CrossEncoder model, List<TextPair> texts, NDManager m) {
    List<EncodedPair> encoded = model.tokenizer().encode(texts);
    return model.batch(encoded, m);
  }
}
