package dev.ce4j.core;

import ai.djl.Device;
import dev.ce4j.core.device.Devices;

/**
 * How to load or create a {@link CrossEncoder}: the device and an optional maximum sequence length
 * overriding the model folder's.
 *
 * <p>Immutable and thread-safe.
 *
 * @param device the device, or null to choose automatically (the first GPU when DJL's PyTorch
 *     engine finds one, else the CPU)
 * @param maxLength the maximum sequence length, or 0 to take the model's own
 */
public record CrossEncoderOptions(Device device, int maxLength) {
  /** Validates the length. */
  public CrossEncoderOptions {
    if (maxLength < 0) {
      throw new IllegalArgumentException(
          "maxLength must be >= 0 (0 = the model's), got " + maxLength);
    }
  }

  /**
   * Automatic device, the model's own maximum length.
   *
   * @return the defaults, never null
   */
  public static CrossEncoderOptions defaults() {
    return new CrossEncoderOptions(null, 0);
  }

  /**
   * A copy with another device.
   *
   * @param newDevice the device, or null for automatic
   * @return the copy, never null
   */
  public CrossEncoderOptions withDevice(Device newDevice) {
    return new CrossEncoderOptions(newDevice, maxLength);
  }

  /**
   * A copy with a device given by name ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}).
   *
   * @param name the name, or null for automatic
   * @return the copy, never null
   * @throws dev.ce4j.api.InvalidInputException if the name is unknown or names an unusable GPU
   */
  public CrossEncoderOptions withDevice(String name) {
    return new CrossEncoderOptions(Devices.resolve(name), maxLength);
  }

  /**
   * A copy with another maximum length.
   *
   * @param newMaxLength the length, or 0 for the model's own
   * @return the copy, never null
   */
  public CrossEncoderOptions withMaxLength(int newMaxLength) {
    return new CrossEncoderOptions(device, newMaxLength);
  }
}
