package dev.ce4j.core;

import ai.djl.Device;
import dev.ce4j.core.device.Devices;
import java.util.Locale;
import java.util.Objects;

/**
 * How to load or create a {@link CrossEncoder}: the device, an optional maximum sequence length
 * overriding the model folder's, and the forward pass scoring runs.
 *
 * <p>Immutable and thread-safe.
 *
 * @param device the device, or null to choose automatically (the first GPU when DJL's PyTorch
 *     engine finds one, else the CPU)
 * @param maxLength the maximum sequence length, or 0 to take the model's own
 * @param inference the pass scoring runs, never null
 */
public record CrossEncoderOptions(Device device, int maxLength, Inference inference) {
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

  /** Validates the fields. */
  public CrossEncoderOptions {
    if (maxLength < 0) {
      throw new IllegalArgumentException(
          "maxLength must be >= 0 (0 = the model's), got " + maxLength);
    }
    Objects.requireNonNull(inference, "inference");
  }

  /**
   * Options with the fastest pass.
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
    return new CrossEncoderOptions(newDevice, maxLength, inference);
  }

  /**
   * A copy with a device given by name ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}).
   *
   * @param name the name, or null for automatic
   * @return the copy, never null
   * @throws dev.ce4j.api.InvalidInputException if the name is unknown or names an unusable GPU
   */
  public CrossEncoderOptions withDevice(String name) {
    return new CrossEncoderOptions(Devices.resolve(name), maxLength, inference);
  }

  /**
   * A copy with another maximum length.
   *
   * @param newMaxLength the length, or 0 for the model's own
   * @return the copy, never null
   */
  public CrossEncoderOptions withMaxLength(int newMaxLength) {
    return new CrossEncoderOptions(device, newMaxLength, inference);
  }

  /**
   * A copy with another forward pass for scoring.
   *
   * @param newInference the pass, never null
   * @return the copy, never null
   */
  public CrossEncoderOptions withInference(Inference newInference) {
    return new CrossEncoderOptions(device, maxLength, newInference);
  }

  @Override
  public String toString() {
    return "CrossEncoderOptions[device=" + device + ", maxLength=" + maxLength + ", inference="
        + inference.name().toLowerCase(Locale.ROOT) + "]";
  }
}
