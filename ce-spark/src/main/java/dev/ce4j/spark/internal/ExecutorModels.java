package dev.ce4j.spark.internal;

import dev.ce4j.api.CeException;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of one executor JVM: each (folder, fingerprint) is loaded once per JVM, at the first
 * task that needs it, and kept for the JVM's life (tasks of later jobs reuse it). Before loading,
 * the folder's fingerprint is computed here and compared with the driver's: a different model at
 * the same path on one executor is an error that names the executor. Thread-safe (loading is
 * serialised; scoring with a loaded model is thread-safe, see {@link CrossEncoder}).
 */
public final class ExecutorModels {
  private static final Map<String, CrossEncoder> MODELS = new HashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ExecutorModels() {}

  /**
   * The model of a folder, loaded at the first call in this JVM.
   *
   * @param folder the folder as the driver named it, never null
   * @param fingerprint the driver's fingerprint of it, never null
   * @return the model, shared, never closed by the caller
   * @throws CeException naming this executor if the folder cannot be read or has another fingerprint
   */
  public static synchronized CrossEncoder get(String folder, String fingerprint) {
    String key = folder + "\u0000" + fingerprint;
    CrossEncoder model = MODELS.get(key);
    if (model != null) {
      return model;
    }
    Path path = Path.of(folder);
    String here;
    try {
      if (!Files.isDirectory(path)) {
        throw new CeException("no such folder");
      }
      here = ModelFingerprint.ofFolder(path);
    } catch (RuntimeException e) {
      throw new CeException("cannot read the model folder " + folder + " on " + ExecutorInfo.describe() + ": "
          + e.getMessage() + "; every executor must see the driver's model folder at this path", e);
    }
    if (!here.equals(fingerprint)) {
      throw new CeException("the model folder " + folder + " on " + ExecutorInfo.describe() + " has fingerprint "
          + here + ", the driver's has " + fingerprint + "; every executor must see the same model at this path");
    }
    try {
      model = CrossEncoder.load(path, CrossEncoderOptions.defaults());
    } catch (RuntimeException e) {
      throw new CeException("cannot load the model folder " + folder + " on " + ExecutorInfo.describe() + ": "
          + e.getMessage(), e);
    }
    LOADS.incrementAndGet();
    MODELS.put(key, model);
    return model;
  }

  /**
   * How many models this JVM has loaded so far (for tests and logs).
   *
   * @return the count
   */
  public static int loads() {
    return LOADS.get();
  }
}
