package dev.ce4j.core.arch.deberta;

import static dev.ce4j.core.arch.ConfigChecks.fits;
import static dev.ce4j.core.arch.ConfigChecks.positive;
import static dev.ce4j.core.arch.ConfigChecks.probability;

import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ConfigChecks;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ScoreActivation;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The architecture and head of a DeBERTa-v2 or DeBERTa-v3 cross-encoder: the fields of a Hugging
 * Face {@code config.json} with {@code "model_type": "deberta-v2"} (transformers' {@code
 * DebertaV2Config}, and the keys its modeling code reads with {@code getattr}: {@code
 * share_att_key}, {@code position_buckets}, {@code norm_rel_ebd}, {@code embedding_size}, {@code
 * cls_dropout}), plus what sentence-transformers keeps for a cross-encoder (activation, maximum
 * sequence length).
 *
 * <p>Read and written by {@link DebertaV2Architecture}. Immutable and thread-safe; use {@link
 * #builder()} (defaults are transformers' {@code DebertaV2Config} defaults), with DeBERTa-v2-xlarge's
 * convolution after the first layer when {@code conv_kernel_size} is above 0.
 *
 * @param vocabSize {@code vocab_size}: rows of the word embedding, at least 1
 * @param hiddenSize {@code hidden_size}: width of the layers, a positive multiple of {@code
 *     numAttentionHeads}
 * @param numHiddenLayers {@code num_hidden_layers}: 1 to {@link #MAX_LAYERS}
 * @param numAttentionHeads {@code num_attention_heads}: at least 1
 * @param intermediateSize {@code intermediate_size}: width of the feed-forward block, at least 1
 * @param hiddenAct {@code hidden_act}: the feed-forward activation, one of {@link #ACTIVATIONS}
 * @param hiddenDropoutProb {@code hidden_dropout_prob}, in [0, 1)
 * @param attentionProbsDropoutProb {@code attention_probs_dropout_prob}, in [0, 1)
 * @param maxPositionEmbeddings {@code max_position_embeddings}: the longest sequence (and rows of
 *     the absolute position embedding when {@code positionBiasedInput}), at least 4
 * @param typeVocabSize {@code type_vocab_size}: rows of the token type embedding, 0 for none
 *     (DeBERTa-v3: type ids are ignored)
 * @param initializerRange {@code initializer_range}, positive, at most {@link
 *     #MAX_INITIALIZER_RANGE}
 * @param layerNormEps {@code layer_norm_eps}, positive and finite
 * @param relativeAttention {@code relative_attention}: whether the disentangled c2p / p2c terms
 *     and {@code rel_embeddings} exist
 * @param maxRelativePositions {@code max_relative_positions}: the relative distance beyond which
 *     distances are clamped (or the log buckets' range); below 1 means {@code
 *     max_position_embeddings}
 * @param positionBuckets {@code position_buckets}: above 0, relative distances are log-bucketed
 *     into this many buckets per side; 0 or below, they are not
 * @param posAttType {@code pos_att_type}: the disentangled terms, {@code c2p} and / or {@code p2c},
 *     no repeats, never null
 * @param shareAttKey {@code share_att_key}: position keys and queries through {@code key_proj} and
 *     {@code query_proj} rather than {@code pos_key_proj} and {@code pos_query_proj}
 * @param normRelEbd {@code norm_rel_ebd}: {@code none} or {@code layer_norm} ({@code |}-separated
 *     list, case-insensitive), never null
 * @param positionBiasedInput {@code position_biased_input}: whether learned absolute positions are
 *     added to the word embeddings (DeBERTa-v2: true; v3: false)
 * @param embeddingSize {@code embedding_size}: width of the embeddings; when not {@code
 *     hiddenSize}, {@code embed_proj} maps them to it
 * @param poolerHiddenSize {@code pooler_hidden_size}: must equal {@code hiddenSize}
 * @param poolerDropout {@code pooler_dropout}: dropout on the first token before the pooler, in [0,
 *     1)
 * @param poolerHiddenAct {@code pooler_hidden_act}: one of {@link #ACTIVATIONS}
 * @param clsDropout {@code cls_dropout}: dropout before the classifier, or null for {@code
 *     hidden_dropout_prob}
 * @param convKernelSize {@code conv_kernel_size}: 0 for no convolution layer, else its odd kernel
 *     width (DeBERTa-v2-xlarge: 3)
 * @param convGroups {@code conv_groups}: the convolution's groups, dividing {@code hiddenSize}
 * @param convAct {@code conv_act}: the convolution's activation, one of {@link #ACTIVATIONS}
 * @param legacy {@code legacy}: transformers' switch for the masked-LM head, kept to be written back
 * @param padTokenId {@code pad_token_id}, in [0, vocabSize)
 * @param labels the label names by id, 1 to {@link #MAX_LABELS}, copied
 * @param activation the function applied to logits to give scores, never null
 * @param maxLength the longest token sequence fed to the model, in [4, maxPositionEmbeddings]
 */
public record DebertaV2Config(
    int vocabSize,
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int intermediateSize,
    String hiddenAct,
    double hiddenDropoutProb,
    double attentionProbsDropoutProb,
    int maxPositionEmbeddings,
    int typeVocabSize,
    double initializerRange,
    double layerNormEps,
    boolean relativeAttention,
    int maxRelativePositions,
    int positionBuckets,
    List<String> posAttType,
    boolean shareAttKey,
    String normRelEbd,
    boolean positionBiasedInput,
    int embeddingSize,
    int poolerHiddenSize,
    double poolerDropout,
    String poolerHiddenAct,
    Double clsDropout,
    int convKernelSize,
    int convGroups,
    String convAct,
    boolean legacy,
    int padTokenId,
    List<String> labels,
    ScoreActivation activation,
    int maxLength)
    implements ModelConfig {

  /** The only {@code model_type}. */
  public static final String MODEL_TYPE = "deberta-v2";

  /** The {@code architectures} entry written for a cross-encoder. */
  public static final String ARCHITECTURE = "DebertaV2ForSequenceClassification";

  /** The content-to-position term of {@code pos_att_type}. */
  public static final String C2P = "c2p";

  /** The position-to-content term of {@code pos_att_type}. */
  public static final String P2C = "p2c";

  /** The activations supported for {@code hidden_act} and {@code pooler_hidden_act}. */
  public static final List<String> ACTIVATIONS = List.of("gelu", "relu", "tanh");

  /** The largest {@code initializer_range} accepted (see DistilBERT's). */
  public static final double MAX_INITIALIZER_RANGE = Float.MAX_VALUE / 9.0;

  /** The most layers accepted. */
  public static final int MAX_LAYERS = 1024;

  /** The most labels accepted. */
  public static final int MAX_LABELS = ModelConfig.MAX_LABELS;

  /** Validates every field, naming its {@code config.json} key, and copies the lists. */
  public DebertaV2Config {
    Objects.requireNonNull(hiddenAct, "hidden_act");
    Objects.requireNonNull(poolerHiddenAct, "pooler_hidden_act");
    Objects.requireNonNull(normRelEbd, "norm_rel_ebd");
    Objects.requireNonNull(convAct, "conv_act");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(activation, "activation (score)");
    posAttType = List.copyOf(Objects.requireNonNull(posAttType, "pos_att_type"));
    labels = List.copyOf(labels);
    positive("vocab_size", vocabSize);
    positive("hidden_size", hiddenSize);
    positive("num_hidden_layers", numHiddenLayers);
    positive("num_attention_heads", numAttentionHeads);
    positive("intermediate_size", intermediateSize);
    positive("embedding_size", embeddingSize);
    if (numHiddenLayers > MAX_LAYERS) {
      throw new IllegalArgumentException(
          "num_hidden_layers " + numHiddenLayers + " is more than ce supports (at most " + MAX_LAYERS + ")");
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("there must be at least one label (num_labels >= 1)");
    }
    if (labels.size() > MAX_LABELS) {
      throw new IllegalArgumentException(
          "num_labels " + labels.size() + " is more than ce supports (at most " + MAX_LABELS + ")");
    }
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
          + numAttentionHeads + " (each attention head gets hidden_size / num_attention_heads dimensions)");
    }
    if (poolerHiddenSize != hiddenSize) {
      throw new IllegalArgumentException("pooler_hidden_size " + poolerHiddenSize + " must equal hidden_size "
          + hiddenSize + " (transformers' pooler reads the first token's hidden state and its classifier the"
          + " pooler's output as hidden_size wide)");
    }
    if (maxPositionEmbeddings < 4) {
      throw new IllegalArgumentException("max_position_embeddings must be at least 4, got " + maxPositionEmbeddings);
    }
    if (typeVocabSize < 0) {
      throw new IllegalArgumentException("type_vocab_size must be 0 (no token types) or more, got " + typeVocabSize);
    }
    checkActivation("hidden_act", hiddenAct);
    checkActivation("pooler_hidden_act", poolerHiddenAct);
    checkActivation("conv_act", convAct);
    if (convKernelSize < 0 || convKernelSize > 0 && convKernelSize % 2 == 0) {
      throw new IllegalArgumentException("conv_kernel_size must be 0 (no convolution) or odd, got " + convKernelSize
          + " (transformers pads by (k - 1) / 2: an even kernel would shorten the sequence)");
    }
    positive("conv_groups", convGroups);
    if (hiddenSize % convGroups != 0) {
      throw new IllegalArgumentException(
          "hidden_size " + hiddenSize + " is not a multiple of conv_groups " + convGroups);
    }
    Set<String> seen = new HashSet<>();
    for (String t : posAttType) {
      if (!C2P.equals(t) && !P2C.equals(t)) {
        throw new IllegalArgumentException("pos_att_type entry '" + t + "' is not supported; ce supports \"c2p\" and"
            + " \"p2c\" (DeBERTa's disentangled attention terms)");
      }
      if (!seen.add(t)) {
        throw new IllegalArgumentException("pos_att_type names '" + t + "' twice: " + posAttType);
      }
    }
    for (String part : normRelEbd.toLowerCase(Locale.ROOT).split("\\|", -1)) {
      String p = part.strip();
      if (!p.equals("none") && !p.equals("layer_norm")) {
        throw new IllegalArgumentException("norm_rel_ebd '" + normRelEbd + "' is not supported; ce supports \"none\""
            + " and \"layer_norm\"");
      }
    }
    int maxRel = maxRelativePositions < 1 ? maxPositionEmbeddings : maxRelativePositions;
    if (relativeAttention && positionBuckets > 0) {
      int mid = positionBuckets / 2;
      if (mid < 1 || maxRel - 1 <= mid) {
        throw new IllegalArgumentException("position_buckets " + positionBuckets + " needs at least 2 buckets and a"
            + " relative range (max_relative_positions, or max_position_embeddings when below 1) above"
            + " position_buckets / 2 + 1, got " + maxRel);
      }
    }
    probability("hidden_dropout_prob", hiddenDropoutProb);
    probability("attention_probs_dropout_prob", attentionProbsDropoutProb);
    probability("pooler_dropout", poolerDropout);
    if (clsDropout != null) {
      probability("cls_dropout", clsDropout);
    }
    if (!(initializerRange > 0) || Double.isInfinite(initializerRange)) {
      throw new IllegalArgumentException("initializer_range must be positive, got " + initializerRange);
    }
    if (initializerRange > MAX_INITIALIZER_RANGE) {
      throw new IllegalArgumentException("initializer_range " + initializerRange + " is too large: weights drawn"
          + " with it overflow 32-bit floats (at most " + MAX_INITIALIZER_RANGE + "; DeBERTa's is 0.02)");
    }
    if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) {
      throw new IllegalArgumentException("layer_norm_eps must be positive and finite, got " + layerNormEps);
    }
    if (padTokenId < 0 || padTokenId >= vocabSize) {
      throw new IllegalArgumentException(
          "pad_token_id " + padTokenId + " is outside [0, vocab_size " + vocabSize + ")");
    }
    fits("vocab_size", vocabSize, "embedding_size", embeddingSize, "word embedding");
    fits("max_position_embeddings", maxPositionEmbeddings, "embedding_size", embeddingSize, "position embedding");
    fits("intermediate_size", intermediateSize, "hidden_size", hiddenSize, "feed-forward weight");
    fits("hidden_size", hiddenSize, "hidden_size", hiddenSize, "attention weight");
    fits("hidden_size", hiddenSize, "embedding_size", embeddingSize, "embedding projection");
    fits("num_labels", labels.size(), "hidden_size", hiddenSize, "classifier weight");
    if (relativeAttention) {
      long span = positionBuckets > 0 ? positionBuckets : maxRel;
      if (2 * span > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("2 x the relative span " + span + " does not fit an int");
      }
      fits("2 x relative span", 2 * span, "hidden_size", hiddenSize, "relative embedding");
    }
    if (convKernelSize > 0) {
      fits("hidden_size", hiddenSize, "hidden_size / conv_groups x conv_kernel_size",
          (long) hiddenSize / convGroups * convKernelSize, "convolution weight");
    }
    if (maxLength < 4 || maxLength > maxPositionEmbeddings) {
      throw new IllegalArgumentException("max_length " + maxLength + " must be between 4 (a pair needs [CLS], [SEP]"
          + " twice and one token of text) and max_position_embeddings " + maxPositionEmbeddings);
    }
  }

  private static void checkActivation(String key, String value) {
    if (!ACTIVATIONS.contains(value)) {
      throw new IllegalArgumentException(key + " '" + value + "' is not supported; ce supports DeBERTa with "
          + String.join(", ", ACTIVATIONS) + " (gelu is the exact, erf-based GELU)");
    }
  }

  @Override
  public Architecture architecture() {
    return DebertaV2Architecture.INSTANCE;
  }

  @Override
  public String modelType() {
    return MODEL_TYPE;
  }

  /**
   * The longest sequence: {@code max_position_embeddings} (the absolute positions' rows when {@code
   * position_biased_input}, and the length the model was made for otherwise).
   *
   * @return the length
   */
  @Override
  public int maxPositions() {
    return maxPositionEmbeddings;
  }

  @Override
  public int numLabels() {
    return labels.size();
  }

  /**
   * The width of one attention head.
   *
   * @return {@code hiddenSize / numAttentionHeads}
   */
  public int headSize() {
    return hiddenSize / numAttentionHeads;
  }

  /**
   * The relative range: {@code max_relative_positions}, or {@code max_position_embeddings} when it
   * is below 1 (as transformers reads it).
   *
   * @return the range, at least 1
   */
  public int effectiveMaxRelativePositions() {
    return maxRelativePositions < 1 ? maxPositionEmbeddings : maxRelativePositions;
  }

  /**
   * The attention span {@code k} of the relative embeddings: {@code position_buckets} when above 0,
   * else the relative range; {@code rel_embeddings} has {@code 2k} rows.
   *
   * @return the span, at least 1
   */
  public int attentionSpan() {
    return positionBuckets > 0 ? positionBuckets : effectiveMaxRelativePositions();
  }

  /**
   * Whether the content-to-position term is computed (relative attention with {@code c2p}).
   *
   * @return true for c2p
   */
  public boolean c2p() {
    return relativeAttention && posAttType.contains(C2P);
  }

  /**
   * Whether the position-to-content term is computed (relative attention with {@code p2c}).
   *
   * @return true for p2c
   */
  public boolean p2c() {
    return relativeAttention && posAttType.contains(P2C);
  }

  /**
   * The factor of the attention scale {@code sqrt(head_size * factor)}: 1 plus one per term of
   * {@code pos_att_type} (counted even without relative attention, as transformers does).
   *
   * @return 1 to 3
   */
  public int scaleFactor() {
    return 1 + posAttType.size();
  }

  /**
   * Whether the relative embeddings go through {@code encoder.LayerNorm} ({@code layer_norm} in
   * {@code norm_rel_ebd}).
   *
   * @return true when they do
   */
  public boolean relEmbeddingLayerNorm() {
    for (String part : normRelEbd.toLowerCase(Locale.ROOT).split("\\|", -1)) {
      if (part.strip().equals("layer_norm")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The dropout before the classifier: {@code cls_dropout}, else {@code hidden_dropout_prob}.
   *
   * @return the probability, in [0, 1)
   */
  public double classifierDropout() {
    return clsDropout != null ? clsDropout : hiddenDropoutProb;
  }

  /**
   * A summary such as {@code 12 layers, hidden 768, 12 heads, intermediate 3072, relative p2c|c2p,
   * 256 buckets}.
   */
  @Override
  public String describeSizes() {
    String rel = !relativeAttention ? "no relative attention"
        : "relative " + String.join("|", posAttType)
            + (positionBuckets > 0 ? ", " + positionBuckets + " buckets" : ", span " + attentionSpan());
    return numHiddenLayers + (numHiddenLayers == 1 ? " layer" : " layers") + ", hidden " + hiddenSize + ", "
        + numAttentionHeads + (numAttentionHeads == 1 ? " head" : " heads") + ", intermediate " + intermediateSize
        + ", " + rel;
  }

  /**
   * The number of weights (every tensor of {@link DebertaV2Tensors#shapes}).
   *
   * @return the count, exact
   */
  @Override
  public long parameterCount() {
    return DebertaV2Tensors.shapes(this).values().stream().mapToLong(FloatTensor::numel).sum();
  }

  @Override
  public DebertaV2Config withLabels(List<String> newLabels) {
    return toBuilder().labels(newLabels).build();
  }

  @Override
  public DebertaV2Config withNumLabels(int numLabels) {
    return toBuilder().labels(ModelConfig.defaultLabels(numLabels)).build();
  }

  @Override
  public DebertaV2Config withActivation(ScoreActivation newActivation) {
    return toBuilder().activation(Objects.requireNonNull(newActivation, "activation")).build();
  }

  @Override
  public DebertaV2Config withMaxLength(int newMaxLength) {
    return toBuilder().maxLength(newMaxLength).build();
  }

  /**
   * A copy with other dropout probabilities.
   *
   * @param hidden {@code hidden_dropout_prob}
   * @param attention {@code attention_probs_dropout_prob}
   * @param pooler {@code pooler_dropout}
   * @param cls {@code cls_dropout}, or null for {@code hidden}
   * @return the copy, never null
   * @throws IllegalArgumentException if a probability is out of range, naming its key
   */
  public DebertaV2Config withDropout(double hidden, double attention, double pooler, Double cls) {
    return toBuilder().hiddenDropoutProb(hidden).attentionProbsDropoutProb(attention).poolerDropout(pooler)
        .clsDropout(cls).build();
  }

  /**
   * A builder initialised with this configuration.
   *
   * @return a new builder, never null
   */
  public DebertaV2ConfigBuilder toBuilder() {
    DebertaV2ConfigBuilder b = new DebertaV2ConfigBuilder();
    b.vocabSize = vocabSize;
    b.hiddenSize = hiddenSize;
    b.numHiddenLayers = numHiddenLayers;
    b.numAttentionHeads = numAttentionHeads;
    b.intermediateSize = intermediateSize;
    b.hiddenAct = hiddenAct;
    b.hiddenDropoutProb = hiddenDropoutProb;
    b.attentionProbsDropoutProb = attentionProbsDropoutProb;
    b.maxPositionEmbeddings = maxPositionEmbeddings;
    b.typeVocabSize = typeVocabSize;
    b.initializerRange = initializerRange;
    b.layerNormEps = layerNormEps;
    b.relativeAttention = relativeAttention;
    b.maxRelativePositions = maxRelativePositions;
    b.positionBuckets = positionBuckets;
    b.posAttType = posAttType;
    b.shareAttKey = shareAttKey;
    b.normRelEbd = normRelEbd;
    b.positionBiasedInput = positionBiasedInput;
    b.embeddingSize = embeddingSize;
    b.poolerHiddenSize = poolerHiddenSize;
    b.poolerDropout = poolerDropout;
    b.poolerHiddenAct = poolerHiddenAct;
    b.clsDropout = clsDropout;
    b.convKernelSize = convKernelSize;
    b.convGroups = convGroups;
    b.convAct = convAct;
    b.legacy = legacy;
    b.padTokenId = padTokenId;
    b.labels = labels;
    b.activation = activation;
    b.maxLength = maxLength;
    return b;
  }

  /**
   * A builder with transformers' {@code DebertaV2Config} defaults (vocabulary 128100, hidden 1536,
   * 24 layers, 24 heads, intermediate 6144, GELU, 512 positions, no token types, epsilon 1e-7, no
   * relative attention, absolute positions, pooler GELU, pooler dropout 0) and one label; {@code
   * embeddingSize} and {@code poolerHiddenSize} follow {@code hiddenSize} unless set.
   *
   * @return a new builder, never null
   */
  public static DebertaV2ConfigBuilder builder() {
    return new DebertaV2ConfigBuilder();
  }
}
