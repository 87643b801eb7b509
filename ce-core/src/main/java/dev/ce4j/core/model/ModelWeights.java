package dev.ce4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.Architecture;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.engine.PyTorch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's parameters: one F32 {@link NDArray} per Hugging Face tensor name, in the order its
 * {@link Architecture} declares ({@link Architecture#tensorShapes}), all on one device and owned by
 * one {@link NDManager}, so that loading, saving, gradients and optimiser state are all keyed by
 * the names transformers uses.
 *
 * <p>Linear weights are {@code [out, in]} as in PyTorch. The arrays are the live parameters: the
 * trainer turns on their gradients ({@link #setRequiresGradient(boolean)}) and updates them in
 * place, by name; they are never replaced. Closing releases their native memory. The map is not
 * modified after construction, so concurrent reads are safe; concurrent reads and in-place updates
 * of the arrays are not.
 *
 * <p>The static methods are the checks every way into {@code ce} applies to weights in Java memory:
 * names and shapes against a configuration, finite values, and room in the heap.
 */
public final class ModelWeights implements AutoCloseable {
  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> params;

  private ModelWeights(ModelConfig config, NDManager manager, Map<String, NDArray> params) {
    this.config = config;
    this.manager = manager;
    this.params = Collections.unmodifiableMap(params);
  }

  /**
   * Places host tensors on a device, checking that they are exactly the tensors the configuration
   * needs.
   *
   * @param config the configuration, never null
   * @param tensors name to tensor, never null; must hold exactly the configuration's {@link
   *     Architecture#tensorShapes}
   * @param parent the manager whose device receives the weights; a sub-manager is created and
   *     owned, never null
   * @param source what the tensors came from, for error messages (such as a file path), never null
   * @return the weights, never null
   * @throws InvalidInputException naming {@code source} and the tensor if one is missing, extra or
   *     of the wrong shape
   */
  public static ModelWeights fromHost(
      ModelConfig config, Map<String, FloatTensor> tensors, NDManager parent, String source) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(source, "source");
    LinkedHashMap<String, long[]> expected = shapes(config);
    LinkedHashMap<String, long[]> actual = new LinkedHashMap<>();
    tensors.forEach((name, t) -> actual.put(name, t.shape()));
    checkShapes(expected, actual, source);
    NDManager manager = parent.newSubManager();
    try {
      LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
      for (String name : expected.keySet()) {
        FloatTensor t = tensors.get(name);
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        a.setName(name);
        params.put(name, a);
      }
      return new ModelWeights(config, manager, params);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Checks, before any weight is allocated, that a model of a configuration can fit in this Java
   * VM's heap at all: its weights pass through Java {@code float[]}s (4 bytes each) on their way to
   * the engine. A model that cannot fit is refused with its size instead of failing with an {@link
   * OutOfMemoryError} after a long allocation.
   *
   * @param config the configuration, never null
   * @param source what the configuration came from (such as a file path), for the message, never
   *     null
   * @throws InvalidInputException naming {@code source}, the number of weights and both sizes when
   *     the weights alone need more than {@link Runtime#maxMemory()}
   */
  public static void checkFitsInHeap(ModelConfig config, String source) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(source, "source");
    long bytes = config.parameterCount() * Float.BYTES;
    long max = Runtime.getRuntime().maxMemory();
    if (max != Long.MAX_VALUE && bytes > max) {
      throw new InvalidInputException(
          source
              + ": a model of this configuration ("
              + config.modelType()
              + ", vocab_size "
              + config.vocabSize()
              + ", "
              + config.describeSizes()
              + ") has "
              + config.parameterCount()
              + " weights, "
              + mib(bytes)
              + " MiB as float32, more than the "
              + mib(max)
              + " MiB this Java VM may use; use smaller sizes, or give Java more memory (-Xmx,"
              + " for ./ce through JAVA_OPTS)");
    }
  }

  private static long mib(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  /**
   * Checks that every value of every tensor is finite. Call it once when weights enter {@code ce}
   * (loading, importing) and when they leave it (saving): a forward pass on NaN or infinite
   * weights gives NaN scores.
   *
   * @param tensors name to tensor, never null
   * @param source what the tensors came from, for error messages (such as a file path), never null
   * @throws InvalidInputException naming {@code source}, the first tensor that holds NaN or an
   *     infinity, the index of its first such value and how many it holds
   */
  public static void checkFinite(Map<String, FloatTensor> tensors, String source) {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(source, "source");
    for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
      checkFinite(e.getKey(), e.getValue(), source);
    }
  }

  /**
   * Checks that every value of one tensor is finite.
   *
   * @param name the tensor's name, never null
   * @param tensor the tensor, never null
   * @param source what the tensor came from, for error messages (such as a file path), never null
   * @throws InvalidInputException naming {@code source}, the tensor, the index of its first NaN or
   *     infinite value and how many it holds
   */
  public static void checkFinite(String name, FloatTensor tensor, String source) {
    int first = tensor.firstNonFinite();
    if (first < 0) {
      return;
    }
    float[] d = tensor.data();
    long more = 0;
    for (int i = first + 1; i < d.length; i++) {
      if (!Float.isFinite(d[i])) {
        more++;
      }
    }
    throw new InvalidInputException(
        source
            + ": tensor '"
            + name
            + "' holds "
            + d[first]
            + " at index "
            + tensor.index(first)
            + (more > 0 ? " (and " + more + " more non-finite values)" : "")
            + "; ce refuses weights that are not finite numbers: they were damaged, or the"
            + " training that made them diverged");
  }

  /**
   * Checks tensor names and shapes against those a configuration needs.
   *
   * @param expected name to shape, never null
   * @param actual name to shape of the tensors found, never null
   * @param source what the tensors came from, for error messages (such as a file path), never null
   * @throws InvalidInputException naming {@code source} and the first missing, extra or misshapen
   *     tensor, with the expected and actual shapes
   */
  public static void checkShapes(
      Map<String, long[]> expected, Map<String, long[]> actual, String source) {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      long[] shape = actual.get(e.getKey());
      if (shape == null) {
        missing.add(e.getKey());
      } else if (!Arrays.equals(shape, e.getValue())) {
        throw new InvalidInputException(
            source
                + ": tensor '"
                + e.getKey()
                + "' has shape "
                + Arrays.toString(shape)
                + " but config.json implies "
                + Arrays.toString(e.getValue())
                + "; the weights do not belong to this config.json");
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException(
          source
              + ": tensor '"
              + missing.get(0)
              + "' is missing"
              + (missing.size() > 1
                  ? " (and " + (missing.size() - 1) + " more: " + abbreviate(missing) + ")"
                  : "")
              + "; a checkpoint of this architecture with Hugging Face tensor names is needed");
    }
    List<String> extra = new ArrayList<>();
    for (String name : actual.keySet()) {
      if (!expected.containsKey(name)) {
        extra.add(name);
      }
    }
    if (!extra.isEmpty()) {
      throw new InvalidInputException(
          source
              + ": unexpected tensor '"
              + extra.get(0)
              + "'"
              + (extra.size() > 1
                  ? " (and " + (extra.size() - 1) + " more: " + abbreviate(extra) + ")"
                  : "")
              + "; it is not part of a model of this architecture with this config.json");
    }
  }

  private static LinkedHashMap<String, long[]> shapes(ModelConfig config) {
    return config.architecture().tensorShapes(config);
  }

  private static String abbreviate(List<String> names) {
    List<String> rest = names.subList(1, Math.min(names.size(), 6));
    return String.join(", ", rest) + (names.size() > 6 ? ", ..." : "");
  }

  /**
   * The configuration these weights were made for.
   *
   * @return the configuration, never null
   */
  public ModelConfig config() {
    return config;
  }

  /**
   * The parameter with a Hugging Face name.
   *
   * @param name the tensor name, never null
   * @return the live parameter array, never null
   * @throws IllegalArgumentException if there is no such tensor, naming it
   */
  public NDArray get(String name) {
    NDArray a = params.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no tensor named '" + name + "'");
    }
    return a;
  }

  /**
   * Every parameter, in transformers' order.
   *
   * @return an unmodifiable map of the live arrays, never null
   */
  public Map<String, NDArray> asMap() {
    return params;
  }

  /**
   * The manager that owns the parameters (and their device).
   *
   * @return the manager, never null
   */
  public NDManager manager() {
    return manager;
  }

  /**
   * Turns gradient tracking of every parameter on or off.
   *
   * @param requiresGradient whether the engine should record gradients for the parameters
   */
  public void setRequiresGradient(boolean requiresGradient) {
    for (NDArray a : params.values()) {
      a.setRequiresGradient(requiresGradient);
    }
  }

  /**
   * Overwrites every parameter's values in place (for example to restore a checkpoint or the best
   * model), keeping the arrays, their gradient flags and their device. Works whatever the current
   * values are (NaN and infinities included). Autograd is switched off on the calling thread for
   * the copy.
   *
   * @param tensors exactly the configuration's {@link Architecture#tensorShapes}, never null
   * @param source what the tensors came from, for error messages, never null
   * @throws InvalidInputException naming {@code source} and the tensor if one is missing, extra or
   *     of the wrong shape; no parameter is changed then
   */
  public void copyFrom(Map<String, FloatTensor> tensors, String source) {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(source, "source");
    LinkedHashMap<String, long[]> actual = new LinkedHashMap<>();
    tensors.forEach((name, t) -> actual.put(name, t.shape()));
    checkShapes(shapes(config), actual, source);
    PyTorch.GradScope noGrad = PyTorch.noGrad();
    try (NDManager scratch = manager.newSubManager()) {
      NDIndex all = new NDIndex("...");
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        FloatTensor t = tensors.get(e.getKey());
        e.getValue().set(all, scratch.create(t.data(), new Shape(t.shape())));
      }
    } finally {
      noGrad.close();
    }
  }

  /**
   * Copies the parameters to Java memory.
   *
   * @return name to tensor in transformers' order, never null, a fresh map
   */
  public LinkedHashMap<String, FloatTensor> toHost() {
    LinkedHashMap<String, FloatTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray a = e.getValue();
      if (a.getDataType() != DataType.FLOAT32) {
        throw new IllegalStateException("tensor " + e.getKey() + " is " + a.getDataType());
      }
      out.put(e.getKey(), new FloatTensor(a.getShape().getShape(), a.toFloatArray()));
    }
    return out;
  }

  /** Releases the native memory of every parameter. */
  @Override
  public void close() {
    manager.close();
  }
}
