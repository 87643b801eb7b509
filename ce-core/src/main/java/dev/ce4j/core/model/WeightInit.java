package dev.ce4j.core.model;

import dev.ce4j.api.seed.DefaultSeedStrategy;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ModelConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Seeded initialisation of new weights: each {@link Architecture} says which tensors are normal(0,
 * {@code initializer_range}), ones or zeros, as transformers initialises it ({@link
 * Architecture#initialTensor}); this class draws the values.
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
   *     (see {@link ModelWeights#checkFitsInHeap})
   */
  public static LinkedHashMap<String, FloatTensor> initialWeights(ModelConfig config, long seed) {
    Objects.requireNonNull(config, "config");
    ModelWeights.checkFitsInHeap(config, "model configuration");
    Architecture arch = config.architecture();
    LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
    for (String name : arch.tensorShapes(config).keySet()) {
      out.put(name, arch.initialTensor(config, name, seed));
    }
    return out;
  }

  /**
   * Fresh values for one tensor; equal to its entry in {@link #initialWeights(ModelConfig, long)}.
   * Useful to add a new head to imported encoder weights.
   *
   * @param config the configuration, never null
   * @param name the Hugging Face tensor name, never null
   * @param seed the seed, any long
   * @return the tensor, never null
   * @throws IllegalArgumentException if the configuration has no such tensor
   */
  public static FloatTensor initialTensor(ModelConfig config, String name, long seed) {
    return config.architecture().initialTensor(config, name, seed);
  }

  /**
   * Normal(0, {@code std}) values for a tensor, from the tensor's own stream of the seed.
   *
   * @param name the tensor's name, which selects its stream, never null
   * @param shape the shape, never null
   * @param std the standard deviation, positive
   * @param seed the seed, any long
   * @return the tensor, never null
   */
  public static FloatTensor normal(String name, long[] shape, double std, long seed) {
    int n = Math.toIntExact(FloatTensor.numel(shape));
    float[] data = new float[n];
    SplittableRandom random =
        new SplittableRandom(new DefaultSeedStrategy(seed).seed("init:" + name, 0));
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
    return new FloatTensor(shape, data);
  }

  /**
   * Truncated normal values for a tensor, from the tensor's own stream of the seed: normal(0,
   * {@code std}) cut at {@code cutoff} standard deviations, as transformers' {@code
   * trunc_normal_(w, mean=0, std=std, a=-cutoff * std, b=cutoff * std)}. Deviates are drawn as in
   * {@link #normal} (Box–Muller pairs with {@link StrictMath}, the cosine value first) and each one
   * with {@code |z| > cutoff} is rejected and replaced by the next, so the values are a
   * deterministic function of the seed and the name; each is {@code std * z} rounded to float and
   * kept within {@code [-cutoff * std, cutoff * std]} after rounding.
   *
   * @param name the tensor's name, which selects its stream, never null
   * @param shape the shape, never null
   * @param std the standard deviation, positive
   * @param cutoff the cut-off in standard deviations, at least 0.1 (below that rejection is slow)
   * @param seed the seed, any long
   * @return the tensor, never null
   * @throws IllegalArgumentException if {@code std} is not positive or {@code cutoff} below 0.1
   */
  public static FloatTensor truncatedNormal(String name, long[] shape, double std, double cutoff, long seed) {
    if (!(std > 0) || !(cutoff >= 0.1) || Double.isInfinite(cutoff)) {
      throw new IllegalArgumentException("a truncated normal needs std > 0 and a finite cutoff >= 0.1, got std "
          + std + ", cutoff " + cutoff);
    }
    int n = Math.toIntExact(FloatTensor.numel(shape));
    float[] data = new float[n];
    SplittableRandom random =
        new SplittableRandom(new DefaultSeedStrategy(seed).seed("init:" + name, 0));
    float bound = (float) (cutoff * std);
    int i = 0;
    while (i < n) {
      double u1 = random.nextDouble();
      double u2 = random.nextDouble();
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1));
      double theta = 2.0 * StrictMath.PI * u2;
      double z1 = r * StrictMath.cos(theta);
      double z2 = r * StrictMath.sin(theta);
      if (Math.abs(z1) <= cutoff) {
        data[i++] = Math.max(-bound, Math.min(bound, (float) (std * z1)));
      }
      if (i < n && Math.abs(z2) <= cutoff) {
        data[i++] = Math.max(-bound, Math.min(bound, (float) (std * z2)));
      }
    }
    return new FloatTensor(shape, data);
  }

  /**
   * A tensor of one value.
   *
   * @param shape the shape, never null
   * @param value the value of every element
   * @return the tensor, never null
   */
  public static FloatTensor filled(long[] shape, float value) {
    float[] data = new float[Math.toIntExact(FloatTensor.numel(shape))];
    if (value != 0f) {
      Arrays.fill(data, value);
    }
    return new FloatTensor(shape, data);
  }

  /**
   * A copy of an embedding matrix {@code [rows, width]} with one row set to zero (transformers
   * zeroes the padding row of an embedding).
   *
   * @param embedding the matrix, never null
   * @param row the row to zero, from 0
   * @return the copy, never null
   */
  public static FloatTensor zeroRow(FloatTensor embedding, int row) {
    long[] shape = embedding.shape();
    int width = Math.toIntExact(shape[1]);
    float[] data = embedding.data().clone();
    Arrays.fill(data, row * width, (row + 1) * width, 0f);
    return new FloatTensor(shape, data);
  }
}
