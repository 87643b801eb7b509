package dev.ce4j.core;

import ai.djl.Device;
import dev.ce4j.core.device.Devices;
import java.util.Locale;
import java.util.Objects;

/**
 * How to load or create a {@link CrossEncoder}: the device, an optional maximum sequence length
 * overriding the model folder's, the forward pass scoring runs and the number format of its linear
 * layers.
 *
 * <p>Immutable and thread-safe.
 *
 * @param device the device, or null to choose automatically (the first GPU when DJL's PyTorch
 *     engine finds one, else the CPU)
 * @param maxLength the maximum sequence length, or 0 to take the model's own
 * @param inference the pass scoring runs, never null
 * @param precision the number format scoring computes the linear layers in, never null; not {@link
 *     Precision#FP32} only with a compiled pass ({@link Inference#FASTEST} or {@link
 *     Inference#EXACT})
 */
public record CrossEncoderOptions(Device device, int maxLength, Inference inference, Precision precision) {
  /**
   * The system property {@link #defaults()} reads for the pass: {@code fastest}, {@code exact} or
   * {@code eager} (see {@link Inference}); for a JVM whose code cannot be changed, such as {@code
   * ./ce}'s ({@code CE_JAVA_OPTS=-Dce.inference=eager}).
   */
  public static final String INFERENCE_PROPERTY = "ce.inference";

  /** The forward pass scoring ({@code predict}, {@code rank}, {@code score}) runs. */
  public enum Inference {
    /**
     * The architecture's scoring pass (for the encoder families one TorchScript call), with oneDNN
     * products on the CPU where the check made when it is compiled accepts them: scores equal the
     * eager pass's up to rounding. The default.
     */
    FASTEST,
    /** The architecture's scoring pass with the eager pass's operators: the eager pass's bits. */
    EXACT,
    /** Operation by operation, as training runs it (no compiled pass). */
    EAGER;

    /**
     * The pass named in lowercase.
     *
     * @param name {@code fastest}, {@code exact} or {@code eager}, never null
     * @return the pass, never null
     * @throws IllegalArgumentException naming the known names for another name
     */
    public static Inference parse(String name) {
      for (Inference i : values()) {
        if (i.name().equalsIgnoreCase(name.trim())) {
          return i;
        }
      }
      throw new IllegalArgumentException("unknown inference pass '" + name + "'; known: fastest, exact, eager");
    }
  }

  /**
   * The number format of the linear layers when scoring (see {@code docs/performance.md}, section
   * Precision). Weights stay float32 in the model, which remains the source of truth: the reduced
   * copies are made from them when the scoring pass first runs (and again after the weights
   * change). Training always computes in float32.
   */
  public enum Precision {
    /** float32 throughout. The default. */
    FP32,
    /**
     * int8 linear layers on the CPU: weights quantized symmetrically per output channel, activations
     * quantized per batch as they arrive (libtorch's {@code quantized::linear_dynamic}, fbgemm);
     * embeddings, attention, normalisation and the classifier head stay float32. Encoder families
     * only (BERT, RoBERTa/XLM-R, ELECTRA, DistilBERT).
     */
    INT8,
    /**
     * bfloat16 linear layers on a CPU with {@code avx512_bf16} (weights cast once, products in
     * bfloat16, results back to float32); refused on a CPU without it, where libtorch emulates the
     * format and is several times slower than float32. Encoder families only.
     */
    BF16;

    /**
     * The format named in lowercase.
     *
     * @param name {@code fp32}, {@code int8} or {@code bf16}, never null
     * @return the format, never null
     * @throws IllegalArgumentException naming the known names for another name
     */
    public static Precision parse(String name) {
      for (Precision p : values()) {
        if (p.name().equalsIgnoreCase(name.trim())) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown precision '" + name + "'; known: fp32, int8, bf16");
    }

    /** The lowercase name, as {@link #parse} reads it. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates the fields. */
  public CrossEncoderOptions {
    if (maxLength < 0) {
      throw new IllegalArgumentException(
          "maxLength must be >= 0 (0 = the model's), got " + maxLength);
    }
    Objects.requireNonNull(inference, "inference");
    Objects.requireNonNull(precision, "precision");
    if (precision != Precision.FP32 && inference == Inference.EAGER) {
      throw new IllegalArgumentException(precision + " scoring runs in the compiled scoring pass, and"
          + " inference 'eager' has none; use inference 'fastest' or precision fp32");
    }
  }

  /**
   * Options with the given pass, in float32.
   *
   * @param device the device, or null to choose automatically
   * @param maxLength the maximum sequence length, or 0 to take the model's own
   * @param inference the pass scoring runs, never null
   */
  public CrossEncoderOptions(Device device, int maxLength, Inference inference) {
    this(device, maxLength, inference, Precision.FP32);
  }

  /**
   * Options with the fastest pass, in float32.
   *
   * @param device the device, or null to choose automatically
   * @param maxLength the maximum sequence length, or 0 to take the model's own
   */
  public CrossEncoderOptions(Device device, int maxLength) {
    this(device, maxLength, Inference.FASTEST);
  }

  /**
   * Automatic device, the model's own maximum length, and the pass {@value #INFERENCE_PROPERTY}
   * names; where it is not set, {@link Inference#EAGER} when the older property {@value
   * CrossEncoder#TORCHSCRIPT_PROPERTY} is {@code false}, {@link Inference#EXACT} when {@value
   * CrossEncoder#ONEDNN_PROPERTY} is, else {@link Inference#FASTEST}.
   *
   * @return the defaults, never null
   * @throws IllegalArgumentException if the property names no pass
   */
  public static CrossEncoderOptions defaults() {
    String p = System.getProperty(INFERENCE_PROPERTY);
    Inference inference;
    if (p != null && !p.isBlank()) {
      try {
        inference = Inference.parse(p);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("-D" + INFERENCE_PROPERTY + ": " + e.getMessage(), e);
      }
    } else if (isFalse(CrossEncoder.TORCHSCRIPT_PROPERTY)) {
      inference = Inference.EAGER;
    } else if (isFalse(CrossEncoder.ONEDNN_PROPERTY)) {
      inference = Inference.EXACT;
    } else {
      inference = Inference.FASTEST;
    }
    return new CrossEncoderOptions(null, 0, inference);
  }

  private static boolean isFalse(String property) {
    return "false".equalsIgnoreCase(System.getProperty(property, "true").trim());
  }

  /**
   * A copy with another device.
   *
   * @param newDevice the device, or null for automatic
   * @return the copy, never null
   */
  public CrossEncoderOptions withDevice(Device newDevice) {
    return new CrossEncoderOptions(newDevice, maxLength, inference, precision);
  }

  /**
   * A copy with a device given by name ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}).
   *
   * @param name the name, or null for automatic
   * @return the copy, never null
   * @throws dev.ce4j.api.InvalidInputException if the name is unknown or names an unusable GPU
   */
  public CrossEncoderOptions withDevice(String name) {
    return new CrossEncoderOptions(Devices.resolve(name), maxLength, inference, precision);
  }

  /**
   * A copy with another maximum length.
   *
   * @param newMaxLength the length, or 0 for the model's own
   * @return the copy, never null
   */
  public CrossEncoderOptions withMaxLength(int newMaxLength) {
    return new CrossEncoderOptions(device, newMaxLength, inference, precision);
  }

  /**
   * A copy with another forward pass for scoring.
   *
   * @param newInference the pass, never null
   * @return the copy, never null
   * @throws IllegalArgumentException if it is {@link Inference#EAGER} and the precision is not
   *     {@link Precision#FP32}
   */
  public CrossEncoderOptions withInference(Inference newInference) {
    return new CrossEncoderOptions(device, maxLength, newInference, precision);
  }

  /**
   * A copy with another number format for scoring. Whether the model's family and this CPU can
   * score in it is checked when the model is loaded or created.
   *
   * @param newPrecision the format, never null
   * @return the copy, never null
   * @throws IllegalArgumentException if it is not {@link Precision#FP32} and the inference is
   *     {@link Inference#EAGER}
   */
  public CrossEncoderOptions withPrecision(Precision newPrecision) {
    return new CrossEncoderOptions(device, maxLength, inference, newPrecision);
  }

  @Override
  public String toString() {
    return "CrossEncoderOptions[device=" + device + ", maxLength=" + maxLength + ", inference="
        + inference.name().toLowerCase(Locale.ROOT) + ", precision=" + precision + "]";
  }
}
