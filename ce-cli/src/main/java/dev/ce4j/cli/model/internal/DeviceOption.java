package dev.ce4j.cli.model.internal;

import ai.djl.Device;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.device.Devices;
import dev.ce4j.core.engine.PyTorch;
import java.io.PrintWriter;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * The {@code --device NAME} option of the commands that run a model, as a picocli mixin, and the
 * one line on standard error that says which device a command used.
 *
 * <p>Resolving the name loads DJL's PyTorch engine, so it happens in {@link #options()}, called
 * when the command runs, never when the command line is parsed. Not thread-safe: picocli fills it
 * in once per run.
 */
public final class DeviceOption {

  @Option(
      names = "--device",
      paramLabel = "NAME",
      defaultValue = Devices.AUTO,
      description = "Where the model runs: auto (the first GPU when the PyTorch engine has one, else"
          + " the CPU), cpu, gpu (the first GPU) or gpu:N (GPU number N). Default: ${DEFAULT-VALUE}.")
  private String device;

  /** Creates the option; picocli fills it in. */
  public DeviceOption() {
    // picocli injects the field
  }

  /**
   * The model options for the chosen device; loads the PyTorch engine.
   *
   * @return the options, never null
   * @throws InvalidInputException if the name is unknown or names a GPU the engine cannot use
   * @throws dev.ce4j.api.CeException if the engine cannot be loaded
   */
  public CrossEncoderOptions options() {
    return CrossEncoderOptions.defaults().withDevice(device);
  }

  /**
   * Prints the device line: {@code ce predict: device cpu (PyTorch 2.7.1, 2 intra-op threads)}.
   *
   * @param err where to print, never null
   * @param command the qualified command name, such as {@code ce predict}, never null
   * @param used the device the model runs on, never null
   */
  public static void report(PrintWriter err, String command, Device used) {
    Objects.requireNonNull(used, "used");
    int threads = PyTorch.intraOpThreads();
    err.println(command + ": device " + Devices.name(used) + " (PyTorch " + PyTorch.version() + ", "
        + threads + (threads == 1 ? " intra-op thread)" : " intra-op threads)"));
    err.flush();
  }

  /**
   * Prints the device line of a command that loads no engine.
   *
   * @param err where to print, never null
   * @param command the qualified command name, such as {@code ce import-onnx}, never null
   * @param why why no engine is needed, such as {@code the import is pure Java}, never null
   */
  public static void reportNone(PrintWriter err, String command, String why) {
    err.println(command + ": device none (" + why + "; no engine loaded)");
    err.flush();
  }
}
