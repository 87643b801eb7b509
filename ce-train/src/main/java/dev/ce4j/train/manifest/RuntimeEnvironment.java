package dev.ce4j.train.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ce4j.core.engine.MklCpuDispatch;
import dev.ce4j.core.engine.PyTorch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The software and hardware a run used. Unknown values are the string {@code unknown}.
 *
 * @param ceVersion the version of {@code ce}, never null
 * @param djlVersion the version of DJL, never null
 * @param libtorchVersion the version of libtorch as the engine reports it, never null
 * @param javaVersion {@code java.version}, never null
 * @param javaVendor {@code java.vendor}, never null
 * @param osName {@code os.name}, never null
 * @param osVersion {@code os.version}, never null
 * @param osArch {@code os.arch}, never null
 * @param cpuModel the CPU model ({@code model name} of {@code /proc/cpuinfo}), never null
 * @param logicalCores the logical cores the JVM sees
 * @param threads the intra-op thread count the run pinned
 * @param device the device the run used, such as {@code cpu} or {@code gpu:0}, never null
 * @param mklCpuDispatch what {@link MklCpuDispatch} did to MKL's kernel choice ({@code enabled},
 *     {@code intel_cpu}, {@code disabled}, {@code not_applicable}), which decides the bits of every
 *     matrix product on the CPU; {@code unknown} in manifests written before it was recorded, never
 *     null
 */
@JsonPropertyOrder({
  "ceVersion", "djlVersion", "libtorchVersion", "javaVersion", "javaVendor", "osName", "osVersion", "osArch",
  "cpuModel", "logicalCores", "threads", "device", "mklCpuDispatch"
})
public record RuntimeEnvironment(
    String ceVersion,
    String djlVersion,
    String libtorchVersion,
    String javaVersion,
    String javaVendor,
    String osName,
    String osVersion,
    String osArch,
    String cpuModel,
    int logicalCores,
    int threads,
    String device,
    String mklCpuDispatch) {
  /** The value of a field that could not be determined. */
  public static final String UNKNOWN = "unknown";

  /** Validates. */
  public RuntimeEnvironment {
    Objects.requireNonNull(ceVersion, "ceVersion");
    Objects.requireNonNull(djlVersion, "djlVersion");
    Objects.requireNonNull(libtorchVersion, "libtorchVersion");
    Objects.requireNonNull(javaVersion, "javaVersion");
    Objects.requireNonNull(javaVendor, "javaVendor");
    Objects.requireNonNull(osName, "osName");
    Objects.requireNonNull(osVersion, "osVersion");
    Objects.requireNonNull(osArch, "osArch");
    Objects.requireNonNull(cpuModel, "cpuModel");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(mklCpuDispatch, "mklCpuDispatch");
  }

  /**
   * The environment as {@code run.json} records it; {@code mklCpuDispatch} is {@link #UNKNOWN} in
   * manifests written before it was recorded.
   *
   * @return the environment, never null
   */
  @JsonCreator
  static RuntimeEnvironment fromJson(
      @JsonProperty(value = "ceVersion", required = true) String ceVersion,
      @JsonProperty(value = "djlVersion", required = true) String djlVersion,
      @JsonProperty(value = "libtorchVersion", required = true) String libtorchVersion,
      @JsonProperty(value = "javaVersion", required = true) String javaVersion,
      @JsonProperty(value = "javaVendor", required = true) String javaVendor,
      @JsonProperty(value = "osName", required = true) String osName,
      @JsonProperty(value = "osVersion", required = true) String osVersion,
      @JsonProperty(value = "osArch", required = true) String osArch,
      @JsonProperty(value = "cpuModel", required = true) String cpuModel,
      @JsonProperty(value = "logicalCores", required = true) Integer logicalCores,
      @JsonProperty(value = "threads", required = true) Integer threads,
      @JsonProperty(value = "device", required = true) String device,
      @JsonProperty(value = "mklCpuDispatch") String mklCpuDispatch) {
    return new RuntimeEnvironment(
        ceVersion, djlVersion, libtorchVersion, javaVersion, javaVendor, osName, osVersion, osArch, cpuModel,
        logicalCores, threads, device, mklCpuDispatch == null ? UNKNOWN : mklCpuDispatch);
  }

  /**
   * Detects the environment, loading the PyTorch engine to ask its version.
   *
   * @param threads the intra-op thread count the run pinned
   * @param device the device name, never null
   * @return the environment, never null
   */
  public static RuntimeEnvironment detect(int threads, String device) {
    String libtorch;
    String mkl;
    try {
      libtorch = PyTorch.version();
      mkl = MklCpuDispatch.status().id();
    } catch (RuntimeException | LinkageError e) {
      libtorch = UNKNOWN;
      mkl = UNKNOWN;
    }
    return detect(threads, device, libtorch, mkl);
  }

  /**
   * Detects the environment except what the engine reports, which is given (so that nothing native
   * is loaded).
   *
   * @param threads the intra-op thread count
   * @param device the device name, never null
   * @param libtorchVersion the libtorch version, never null
   * @param mklCpuDispatch the {@link MklCpuDispatch.Status#id()}, never null
   * @return the environment, never null
   */
  public static RuntimeEnvironment detect(
      int threads, String device, String libtorchVersion, String mklCpuDispatch) {
    String djl;
    try {
      djl = Objects.requireNonNullElse(PyTorch.djlVersion(), UNKNOWN);
    } catch (RuntimeException | LinkageError e) {
      djl = UNKNOWN;
    }
    return new RuntimeEnvironment(
        detectCeVersion(),
        djl,
        libtorchVersion,
        prop("java.version"),
        prop("java.vendor"),
        prop("os.name"),
        prop("os.version"),
        prop("os.arch"),
        cpuModel(Path.of("/proc/cpuinfo")),
        Runtime.getRuntime().availableProcessors(),
        threads,
        device,
        mklCpuDispatch);
  }

  /**
   * The version of {@code ce}, as {@link dev.ce4j.core.CeVersion#get()} finds it.
   *
   * @return the version, never null
   */
  public static String detectCeVersion() {
    return dev.ce4j.core.CeVersion.get();
  }

  /**
   * The first {@code model name} of a {@code /proc/cpuinfo}-style file.
   *
   * @param cpuinfo the file, never null
   * @return the model, or {@code unknown} when the file or the line is missing
   */
  public static String cpuModel(Path cpuinfo) {
    try {
      List<String> lines = Files.readAllLines(cpuinfo, StandardCharsets.UTF_8);
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("model name")) {
          String model = line.substring(colon + 1).trim();
          return model.isEmpty() ? UNKNOWN : model;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable
    }
    return UNKNOWN;
  }

  private static String prop(String name) {
    return Objects.requireNonNullElse(System.getProperty(name), UNKNOWN);
  }
}
