package dev.ce4j.core.device;

import ai.djl.Device;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.engine.PyTorch;
import java.util.Locale;

/**
 * Parses device names and picks the automatic device.
 *
 * <p>Accepted names: {@code auto}, {@code cpu}, {@code gpu} (= {@code gpu:0}), {@code gpu:N};
 * {@code cuda} and {@code cuda:N} are synonyms of {@code gpu}. A GPU is only accepted when the
 * PyTorch engine can use it: this needs a CUDA libtorch ({@code PYTORCH_FLAVOR=cu124} or {@code
 * PYTORCH_LIBRARY_PATH}). Stateless and thread-safe.
 */
public final class Devices {
  /** The name that asks for automatic choice. */
  public static final String AUTO = "auto";

  private Devices() {}

  /**
   * The number of GPUs the PyTorch engine can use.
   *
   * @return 0 with a CPU-only libtorch or no GPU
   */
  public static int gpuCount() {
    return PyTorch.engine().getGpuCount();
  }

  /**
   * The automatic device: the first GPU when the engine can use one, else the CPU.
   *
   * @return the device, never null
   */
  public static Device auto() {
    return gpuCount() > 0 ? Device.gpu(0) : Device.cpu();
  }

  /**
   * Resolves a device name.
   *
   * @param name a device name (see the class comment), or null for {@code auto}
   * @return the device, never null
   * @throws InvalidInputException if the name is malformed or names a GPU the engine cannot use,
   *     quoting it and saying how to fix it
   */
  public static Device resolve(String name) {
    if (name == null) {
      return auto();
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals(AUTO)) {
      return auto();
    }
    if (n.equals("cpu")) {
      return Device.cpu();
    }
    String rest;
    if (n.startsWith("gpu")) {
      rest = n.substring(3);
    } else if (n.startsWith("cuda")) {
      rest = n.substring(4);
    } else {
      throw new InvalidInputException(
          "unknown device '" + name + "'; use auto, cpu, gpu or gpu:N (N = 0, 1, ...)");
    }
    int index;
    if (rest.isEmpty()) {
      index = 0;
    } else if (rest.startsWith(":")
        && rest.length() > 1
        && rest.substring(1).chars().allMatch(Character::isDigit)) {
      try {
        index = Integer.parseInt(rest.substring(1));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("device index in '" + name + "' is too large", e);
      }
    } else {
      throw new InvalidInputException(
          "unknown device '" + name + "'; use auto, cpu, gpu or gpu:N (N = 0, 1, ...)");
    }
    int count = gpuCount();
    if (index >= count) {
      throw new InvalidInputException(
          "device '"
              + name
              + "' requested, but the PyTorch engine sees "
              + count
              + " usable GPU(s)"
              + (count == 0
                  ? "; a GPU needs a CUDA libtorch: set PYTORCH_FLAVOR (for example cu124) or"
                      + " PYTORCH_LIBRARY_PATH, or use --device cpu"
                  : "; use gpu:0 to gpu:" + (count - 1)));
    }
    return Device.gpu(index);
  }

  /**
   * A device's name in the form {@link #resolve(String)} accepts.
   *
   * @param device the device, never null
   * @return {@code cpu} or {@code gpu:N}, never null
   */
  public static String name(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }
}
