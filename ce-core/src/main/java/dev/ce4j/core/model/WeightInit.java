package dev.ce4j.core.model;

import dev.ce4j.api.seed.DefaultSeedStrategy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Seeded initialisation of new weights, as transformers initialises a {@code
 * BertForSequenceClassification}: normal(0, {@code initializer_range}) for Linear and Embedding
 * weights, zero biases, LayerNorm weight 1 and bias 0, and the padding row of the word embedding
 * zero.
 *
 * <p>The seed alone determines every value, bitwise, in every JVM and on every platform:
 *
 * <ul>
 *   <li>each tensor draws from its own {@link SplittableRandom}, seeded with {@code new
 *       DefaultSeedStrategy(seed).seed("init:" + name, 0)} (SHA-256 based, see {@link
 *       DefaultSeedStrategy}), so a tensor's values do not depend on which other tensors exist;
 *   <li>normal deviates come from the Box–Muller transform on {@link SplittableRandom#nextDouble()}
 *       computed with {@link StrictMath}: for each pair {@code u1, u2}, {@code r = sqrt(-2 ln(1 -
 *       u1))}, values {@code r cos(2 pi u2)} then {@code r sin(2 pi u2)}, each multiplied by {@code
 *       initializer_range} in double and rounded to float.
 * </ul>
 *
 * The values are not those PyTorch would draw for the same seed (no Java program can reproduce
 * PyTorch's generator cheaply); they have the same distribution. Stateless and thread-safe.
 */
public final class WeightInit {
  private WeightInit() {}

  /**
   * Fresh values for every tensor of a model.
   *
   * @param config the configuration, never null
   * @param seed the seed, any long
   * @return name to tensor in transformers' order, never null
   * @throws dev.ce4j.api.InvalidInputException if the weights cannot fit in this Java VM's heap
   *     (see {@link BertWeights#checkFitsInHeap})
   */
  public static LinkedHashMap<String, FloatTensor> initialWeights(BertConfig config, long seed) {
    Objects.requireNonNull(config, "config");
    BertWeights.checkFitsInHeap(config, "model configuration");
    LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : BertWeights.expectedShapes(config).entrySet()) {
      out.put(e.getKey(), initialTensor(config, e.getKey(), e.getValue(), seed));
    }
    return out;
  }

  /**
   * Fresh values for one tensor; equal to its entry in {@link #initialWeights(BertConfig, long)}.
   * Useful to add a new head (pooler, classifier) to imported encoder weights.
   *
   * @param config the configuration, never null
   * @param name the Hugging Face tensor name, never null
   * @param seed the seed, any long
   * @return the tensor, never null
   * @throws IllegalArgumentException if the configuration has no such tensor
   */
  public static FloatTensor initialTensor(BertConfig config, String name, long seed) {
    long[] shape = BertWeights.expectedShapes(config).get(name);
    if (shape == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "'");
    }
    return initialTensor(config, name, shape, seed);
  }

  private static FloatTensor initialTensor(
      BertConfig config, String name, long[] shape, long seed) {
    int n = Math.toIntExact(FloatTensor.numel(shape));
    float[] data = new float[n];
    if (name.contains("LayerNorm.")) {
      if (name.endsWith(".weight")) {
        java.util.Arrays.fill(data, 1f);
      }
      return new FloatTensor(shape, data);
    }
    if (name.endsWith(".bias")) {
      return new FloatTensor(shape, data);
    }
    SplittableRandom random =
        new SplittableRandom(new DefaultSeedStrategy(seed).seed("init:" + name, 0));
    double std = config.initializerRange();
    for (int i = 0; i < n; i += 2) {
      double u1 = random.nextDouble();
      double u2 = random.nextDouble();
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1));
      double theta = 2.0 * StrictMath.PI * u2;
      data[i] = (float) (std * r * StrictMath.cos(theta));
      if (i + 1 < n) {
        data[i + 1] = (float) (std * r * StrictMath.sin(theta));
      }
    }
    if (name.equals("bert.embeddings.word_embeddings.weight")) {
      int h = config.hiddenSize();
      java.util.Arrays.fill(data, config.padTokenId() * h, (config.padTokenId() + 1) * h, 0f);
    }
    return new FloatTensor(shape, data);
  }
}
