package dev.ce4j.core;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.eval.PairScorer;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.ScoringPass;
import dev.ce4j.core.arch.SequenceClassifier;
import dev.ce4j.core.arch.encoder.EncoderLayout;
import dev.ce4j.core.arch.encoder.EncoderScript;
import dev.ce4j.core.device.Devices;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.model.ScoreActivation;
import dev.ce4j.core.model.WeightInit;
import dev.ce4j.core.predict.PredictActivation;
import dev.ce4j.core.predict.PredictOptions;
import dev.ce4j.core.predict.RankOptions;
import dev.ce4j.core.tokenize.Batches;
import dev.ce4j.core.tokenize.EncodedPair;
import dev.ce4j.core.tokenize.PairTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cross-encoder that computes exactly what Hugging Face's {@code *ForSequenceClassification} of
 * its architecture computes (see {@link Architecture}; BERT ships with {@code ce}), on DJL's PyTorch
 * engine. It owns its weights (native memory on its device) and its tokenizer; close it when done.
 *
 * <p>A model folder moves between {@code ce} and Python unchanged: {@link #load(Path)} reads what
 * sentence-transformers' {@code CrossEncoder.save} and transformers' {@code save_pretrained} write
 * (see {@link ModelFolder}), and {@link #save(Path)} writes what they load.
 *
 * <p>{@link #predict(List, PredictOptions)} tokenizes pairs (truncated longest-first to {@link
 * #maxLength()}), sorts them by length, pads each batch to its longest pair, and returns results in
 * input order; each batch's native memory lives in a sub-manager closed when the batch is done.
 * The forward pass is the one {@link CrossEncoderOptions#inference()} chose: by default the
 * architecture's scoring pass ({@link Architecture#scoringPass}, compiled at the first call; for the
 * encoder families one TorchScript call, {@link EncoderScript}), on the CPU with oneDNN products
 * (scores equal the eager pass's up to rounding, deterministic for a fixed thread count). {@link
 * #forwardPass()} says which runs. {@link CrossEncoderOptions#precision()} int8 or bf16 scores with
 * the linear layers in that format ({@link Architecture#reducedPrecisionPass}); a model that cannot
 * is refused when it is made, with the reason, never run in float32 instead.
 *
 * <p>Every way to make a model checks what a forward pass cannot survive before any native memory
 * is allocated: weights that hold NaN or an infinity, a tokenizer whose ids reach beyond {@code
 * vocab_size} (or whose pairs' type ids beyond {@code type_vocab_size}), weights too large for the
 * Java heap. Scoring never returns a non-finite number: a pair whose logit overflows or is NaN
 * makes {@link #predict} throw {@link NonFiniteScoreException}.
 *
 * <p>Devices: see {@link CrossEncoderOptions} and {@link Devices}. A GPU needs a CUDA libtorch: set
 * the environment variable {@code PYTORCH_FLAVOR} (for example {@code cu124}) or {@code
 * PYTORCH_LIBRARY_PATH} (an installed libtorch); the default {@code pytorch-native-cpu} runs on the
 * CPU. The intra-op thread count is the system property {@code ai.djl.pytorch.num_threads}.
 *
 * <p>Thread-safety: scoring ({@link #predict}, {@link #score}, {@link #rank}) is safe from several
 * threads at once; each call works in its own native sub-manager and turns autograd off on its own
 * thread. Scoring concurrently with {@link #close()} or with in-place updates of {@link #weights()}
 * (training) is not safe.
 */
public final class CrossEncoder implements PairScorer, AutoCloseable {
  /** The batch size of {@link #predict(List)} and {@link #score(List)}. */
  public static final int DEFAULT_BATCH_SIZE = PredictOptions.DEFAULT_BATCH_SIZE;

  /**
   * The older system property that, set to {@code false}, makes {@link
   * CrossEncoderOptions#defaults()} choose {@link CrossEncoderOptions.Inference#EAGER}; {@link
   * CrossEncoderOptions#INFERENCE_PROPERTY} replaces it.
   */
  public static final String TORCHSCRIPT_PROPERTY = "ce.inference.torchscript";

  /**
   * The older system property that, set to {@code false}, makes {@link
   * CrossEncoderOptions#defaults()} choose {@link CrossEncoderOptions.Inference#EXACT}; {@link
   * CrossEncoderOptions#INFERENCE_PROPERTY} replaces it.
   */
  public static final String ONEDNN_PROPERTY = "ce.inference.onednn";

  /** How messages name a configuration that did not come from a file. */
  private static final String CONFIGURATION = "the model's configuration";

  /** How {@link #predict} computes a batch's forward pass. */
  public enum ForwardPass {
    /** Operation by operation through DJL ({@link SequenceClassifier#logits}). */
    EAGER,
    /** The scoring pass with the eager pass's bits (for BERT {@link EncoderScript.Mode#EXACT}). */
    TORCHSCRIPT,
    /** The scoring pass with oneDNN linear layers (for BERT {@link EncoderScript.Mode#ONEDNN}); CPU. */
    TORCHSCRIPT_ONEDNN,
    /** The scoring pass with int8 linear layers ({@link CrossEncoderOptions.Precision#INT8}); CPU. */
    TORCHSCRIPT_INT8,
    /** The scoring pass with bfloat16 linear layers ({@link CrossEncoderOptions.Precision#BF16}); CPU. */
    TORCHSCRIPT_BF16
  }

  private final ModelConfig config;
  private final NDManager manager;
  private final ModelWeights weights;
  private final SequenceClassifier model;
  private final PairTokenizer tokenizer;
  private final TokenizerFiles tokenizerFiles;
  private final String configSource;
  private final Device device;
  private final ScoringPassSlot pass;
  private volatile boolean closed;
  private final CrossEncoderScoring scoring;

  private CrossEncoder(
      ModelConfig config,
      NDManager manager,
      ModelWeights weights,
      PairTokenizer tokenizer,
      TokenizerFiles tokenizerFiles,
      String configSource,
      CrossEncoderOptions options) {
    this.config = config;
    this.configSource = configSource;
    this.manager = manager;
    this.weights = weights;
    this.model = config.architecture().classifier(weights);
    this.tokenizer = tokenizer;
    this.tokenizerFiles = tokenizerFiles;
    this.device = manager.getDevice();
    this.pass = new ScoringPassSlot(config, weights, options, "cpu".equals(device.getDeviceType()), configSource);
    this.scoring = new CrossEncoderScoring(this);
  }

  /**
   * Loads a model folder on the automatic device.
   *
   * @param folder the folder, never null
   * @return the model, to be closed, never null
   * @throws InvalidInputException naming the file and the problem if the folder is incomplete or
   *     damaged
   */
  public static CrossEncoder load(Path folder) {
    return load(folder, CrossEncoderOptions.defaults());
  }

  /**
   * Loads a model folder.
   *
   * @param folder the folder, never null
   * @param options device and maximum length, never null
   * @return the model, to be closed, never null
   * @throws InvalidInputException naming the file and the problem if the folder is incomplete or
   *     damaged (see {@link ModelFolder#read}), or its tokenizer gives token type ids beyond {@code
   *     type_vocab_size}, or the options ask for a precision this model, device or CPU cannot score
   *     in (the message says why)
   */
  public static CrossEncoder load(Path folder, CrossEncoderOptions options) {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(options, "options");
    ModelFolder.Contents contents = ModelFolder.read(folder);
    // ModelFolder.read has checked the tokenizer's ids and the weights' values
    return fromWeights(
        contents.config(),
        contents.weights(),
        contents.tokenizer(),
        options,
        folder.resolve(ModelFolder.WEIGHTS).toString(),
        folder.resolve(ModelFolder.CONFIG).toString(),
        false);
  }

  /**
   * Creates a new model with seeded initial weights (see {@link WeightInit}), on the automatic
   * device.
   *
   * @param config the configuration, never null
   * @param tokenizerJson a {@code tokenizer.json} file, never null
   * @param seed the seed; it alone determines every weight
   * @return the model, to be closed, never null
   * @throws InvalidInputException if the tokenizer file is missing or invalid or its ids do not fit
   *     {@code vocab_size}, naming it, or the weights cannot fit in this Java VM's heap
   */
  public static CrossEncoder create(ModelConfig config, Path tokenizerJson, long seed) {
    return create(config, tokenizerJson, seed, CrossEncoderOptions.defaults());
  }

  /**
   * Creates a new model with seeded initial weights (see {@link WeightInit}).
   *
   * @param config the configuration, never null
   * @param tokenizerJson a {@code tokenizer.json} file, never null
   * @param seed the seed; it alone determines every weight
   * @param options device and maximum length, never null
   * @return the model, to be closed, never null
   * @throws InvalidInputException if the tokenizer file is missing or invalid, its token ids do not
   *     fit {@code vocab_size} or its token type ids {@code type_vocab_size}, naming it, or the
   *     weights cannot fit in this Java VM's heap
   */
  public static CrossEncoder create(
      ModelConfig config, Path tokenizerJson, long seed, CrossEncoderOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    Objects.requireNonNull(options, "options");
    TokenizerFiles files = TokenizerFiles.of(tokenizerJson);
    files.checkFits(config, CONFIGURATION);
    return fromWeights(
        config,
        WeightInit.initialWeights(config, seed),
        files,
        options,
        "seeded initial weights",
        CONFIGURATION,
        false);
  }

  /**
   * Creates a model from weights in Java memory (for example imported from another format).
   *
   * @param config the configuration, never null
   * @param weights every tensor by Hugging Face name, never null
   * @param tokenizer the tokenizer files, never null
   * @param options device and maximum length, never null
   * @return the model, to be closed, never null
   * @throws InvalidInputException if a tensor is missing, extra, of the wrong shape or holds a NaN
   *     or infinite value, or the tokenizer is invalid or its ids do not fit {@code vocab_size} or
   *     {@code type_vocab_size} (the message names {@link TokenizerFiles#source()})
   */
  public static CrossEncoder fromWeights(
      ModelConfig config,
      Map<String, FloatTensor> weights,
      TokenizerFiles tokenizer,
      CrossEncoderOptions options) {
    return fromWeights(config, weights, tokenizer, options, "weights", CONFIGURATION, true);
  }

  /**
   * The shared end of every way to make a model.
   *
   * @param source what the weights came from, for messages
   * @param configSource what the configuration came from, for messages
   * @param check whether to check that the tokenizer's ids fit the vocabulary and the weights are
   *     finite (false when the caller already has)
   */
  private static CrossEncoder fromWeights(
      ModelConfig config,
      Map<String, FloatTensor> weights,
      TokenizerFiles tokenizer,
      CrossEncoderOptions options,
      String source,
      String configSource,
      boolean check) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(options, "options");
    if (check) {
      tokenizer.checkFits(config, configSource);
      ModelWeights.checkFinite(weights, source);
    }
    if (options.maxLength() > 0) {
      try {
        config = config.withMaxLength(options.maxLength());
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("max length: " + e.getMessage(), e);
      }
    }
    Device device = options.device() != null ? options.device() : Devices.auto();
    NDManager manager = PyTorch.newManager(device);
    PairTokenizer pairTokenizer = null;
    try {
      ModelWeights w = ModelWeights.fromHost(config, weights, manager, source);
      pairTokenizer =
          PairTokenizer.fromJson(tokenizer.tokenizerJson(), config.maxLength(), tokenizer.source());
      pairTokenizer.checkTypeIdsFit(config, configSource);
      CrossEncoder model = new CrossEncoder(config, manager, w, pairTokenizer, tokenizer, configSource, options);
      if (options.precision() != CrossEncoderOptions.Precision.FP32) {
        model.pass.get(); // refusals (device, CPU, family, libtorch) before the model is returned
      }
      return model;
    } catch (RuntimeException e) {
      if (pairTokenizer != null) {
        pairTokenizer.close();
      }
      manager.close();
      throw e;
    }
  }

  /**
   * Saves the model as a folder that sentence-transformers and transformers load (see {@link
   * ModelFolder#write}); each file is written atomically.
   *
   * @param folder the folder, created if needed, never null
   * @throws UncheckedIOException if writing fails
   */
  public void save(Path folder) {
    Objects.requireNonNull(folder, "folder");
    checkOpen();
    try {
      ModelFolder.write(folder, config, weights.toHost(), tokenizerFiles);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write model folder " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * Scores pairs with batch size {@value #DEFAULT_BATCH_SIZE}, applying the activation.
   *
   * @param pairs the pairs, never null
   * @return one row of {@code numLabels} scores per pair, in input order, never null; every score
   *     finite
   * @throws NonFiniteScoreException if a pair's logit is NaN or infinite
   */
  public double[][] predict(List<TextPair> pairs) {
    return predict(pairs, DEFAULT_BATCH_SIZE, true);
  }

  /**
   * The same as {@link #predict(List)}: what evaluators call.
   *
   * @param pairs the pairs, never null
   * @return one row of {@code numLabels} scores per pair, in input order, never null
   */
  @Override
  public double[][] score(List<TextPair> pairs) {
    return predict(pairs);
  }

  /**
   * Scores pairs.
   *
   * @param pairs the pairs, never null, no null elements
   * @param batchSize pairs per forward pass, at least 1
   * @param applyActivation whether to apply {@link #activation()} (else raw logits)
   * @return one row of {@code numLabels} values per pair, in input order, never null; every value
   *     finite
   * @throws InvalidInputException if the tokenizer produces ids the model does not have
   * @throws NonFiniteScoreException if a pair's logit is NaN or infinite; no result is returned then
   */
  public double[][] predict(List<TextPair> pairs, int batchSize, boolean applyActivation) {
    return predict(pairs, PredictOptions.defaults().withBatchSize(batchSize)
        .withActivation(applyActivation ? PredictActivation.DEFAULT : PredictActivation.NONE));
  }

  /**
   * Scores pairs as the options say: pairs are tokenized in chunks, sorted by length and batched,
   * so that each batch is padded only to its longest pair; the listener hears after each batch.
   *
   * @param pairs the pairs, never null, no null elements
   * @param options the batch size, activation and listener, never null
   * @return one row of {@code numLabels} values per pair, in input order, never null; every value
   *     finite
   * @throws IllegalArgumentException if the options ask for the softmax of a one-output model
   * @throws InvalidInputException if the tokenizer produces ids the model does not have
   * @throws NonFiniteScoreException if a pair's logit is NaN or infinite (with or without the
   *     activation: a saturated sigmoid of an infinite logit would hide a broken model); no result
   *     is returned then
   */
  public double[][] predict(List<TextPair> pairs, PredictOptions options) {
    checkOpen();
    return scoring.predict(pairs, options);
  }

  /**
   * Scores pairs with a one-output model (a relevance score per pair), with the model's activation
   * and batch size {@value #DEFAULT_BATCH_SIZE}: {@code predict(pairs)} without the {@code [i][0]}.
   *
   * @param pairs the pairs, never null, no null elements
   * @return one score per pair, in input order, never null; every score finite
   * @throws IllegalStateException if the model has more than one output
   * @throws NonFiniteScoreException if a pair's logit is NaN or infinite
   */
  public double[] predictScores(List<TextPair> pairs) {
    return predictScores(pairs, PredictOptions.defaults());
  }

  /**
   * Scores pairs with a one-output model, as the options say.
   *
   * @param pairs the pairs, never null, no null elements
   * @param options the batch size, activation and listener, never null
   * @return one score per pair, in input order, never null; every score finite
   * @throws IllegalStateException if the model has more than one output
   * @throws NonFiniteScoreException if a pair's logit is NaN or infinite
   */
  public double[] predictScores(List<TextPair> pairs, PredictOptions options) {
    checkOpen();
    return scoring.predictScores(pairs, options, "predictScores");
  }

  /**
   * Scores a query against documents and returns the best first.
   *
   * @param query the query, never null
   * @param documents the documents, never null, no null elements
   * @param topK how many to return, at least 1 (fewer when there are fewer documents)
   * @return the top documents by score, descending (ties by index, ascending), never null
   * @throws IllegalStateException if the model has more than one label
   * @throws NonFiniteScoreException if a document's logit is NaN or infinite ({@link
   *     NonFiniteScoreException#pairIndex()} is the document's index)
   */
  public List<RankedDocument> rank(String query, List<String> documents, int topK) {
    return rank(query, documents, RankOptions.defaults().withTopK(topK));
  }

  /**
   * Scores a query against documents and returns the best first, as the options say (how many,
   * with or without their text, batch size, activation, listener).
   *
   * @param query the query, never null
   * @param documents the documents, never null, no null elements
   * @param options the options, never null
   * @return the top documents by score, descending (ties by index, ascending), never null
   * @throws IllegalStateException if the model has more than one label
   * @throws NonFiniteScoreException if a document's logit is NaN or infinite ({@link
   *     NonFiniteScoreException#pairIndex()} is the document's index)
   */
  public List<RankedDocument> rank(String query, List<String> documents, RankOptions options) {
    checkOpen();
    return scoring.rank(query, documents, options);
  }

  /**
   * The configuration (with the maximum length in effect).
   *
   * @return the configuration, never null
   */
  public ModelConfig config() {
    return config;
  }

  /**
   * The device the weights live and compute on.
   *
   * @return the device, never null
   */
  public Device device() {
    return device;
  }

  /**
   * The longest token sequence fed to the model; longer pairs are truncated longest-first.
   *
   * @return the maximum length
   */
  public int maxLength() {
    return config.maxLength();
  }

  /**
   * The activation applied to logits by {@link #predict(List)}.
   *
   * @return the activation, never null
   */
  public ScoreActivation activation() {
    return config.activation();
  }

  /**
   * The forward pass, for callers that need hidden states or gradients.
   *
   * @return the model, valid until {@link #close()}, never null
   */
  public SequenceClassifier model() {
    return model;
  }

  /**
   * The live parameters, by Hugging Face name (the trainer updates them).
   *
   * @return the weights, valid until {@link #close()}, never null
   */
  public ModelWeights weights() {
    return weights;
  }

  /**
   * The tokenizer.
   *
   * @return the tokenizer, valid until {@link #close()}, never null
   */
  public PairTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * The tokenizer files saved with the model.
   *
   * @return the files, never null
   */
  public TokenizerFiles tokenizerFiles() {
    return tokenizerFiles;
  }

  /**
   * The root manager of this model, on its device; sub-managers of it hold per-batch arrays.
   *
   * @return the manager, valid until {@link #close()}, never null
   */
  public NDManager manager() {
    return manager;
  }

  /**
   * Pads encoded pairs into a batch on this model's device, owned by {@code batchManager}.
   *
   * @param pairs the pairs, never null, at least one
   * @param batchManager a sub-manager of {@link #manager()}, never null
   * @return the batch, never null
   */
  public ModelInputs batch(List<EncodedPair> pairs, NDManager batchManager) {
    scoring.checkIds(pairs);
    return Batches.pad(pairs, config.padTokenId(), batchManager);
  }

  /** What messages call the configuration: its file, or a description. */
  String configSource() {
    return configSource;
  }

  /** Releases the weights' native memory and the tokenizer. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      pass.close();
      tokenizer.close();
      manager.close();
    }
  }

  /** The logits of one batch, row-major, through the scoring pass or the eager pass. */
  float[] forward(List<EncodedPair> batch) {
    try (NDManager bm = manager.newSubManager()) {
      ModelInputs inputs = Batches.pad(batch, config.padTokenId(), bm);
      ScoringPass s = pass.get();
      NDArray logits = s != null ? s.logits(inputs) : model.logits(inputs, false);
      return logits.toFloatArray();
    }
  }

  /**
   * How {@link #predict} computes the forward pass on this model's device with the {@link
   * CrossEncoderOptions#inference()} it was made with. Compiles the TorchScript module if it has not run yet. On the
   * CPU, the {@link ForwardPass#TORCHSCRIPT} pass replaces the oneDNN one when libtorch has no
   * oneDNN or when oneDNN's products for this model's weight shapes fail the check {@link
   * EncoderScript#compile(ModelWeights, EncoderLayout, EncoderScript.Mode)} makes.
   *
   * @return the pass, never null
   * @throws IllegalStateException if this model is closed
   */
  public ForwardPass forwardPass() {
    checkOpen();
    ScoringPass s = pass.get();
    if (s == null) {
      return ForwardPass.EAGER;
    }
    return switch (s.precision()) {
      case INT8 -> ForwardPass.TORCHSCRIPT_INT8;
      case BF16 -> ForwardPass.TORCHSCRIPT_BF16;
      case FP32 -> s.onednn() ? ForwardPass.TORCHSCRIPT_ONEDNN : ForwardPass.TORCHSCRIPT;
    };
  }

  /**
   * The number format scoring computes the linear layers in, as {@link CrossEncoderOptions#precision()}
   * asked (a model that cannot score in it is refused when it is made, never silently run in float32).
   *
   * @return the format, never null
   */
  public CrossEncoderOptions.Precision precision() {
    return pass.precision();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this CrossEncoder is closed");
    }
  }
}
