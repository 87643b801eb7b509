package dev.ce4j.cli.model;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.cli.model.internal.DeviceOption;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ce fingerprint}: prints the fingerprint of a model's weights (see {@link
 * ModelFingerprint}), a SHA-256 over the tensors that does not depend on file layout or metadata.
 *
 * <p>Pure Java: the weights file is streamed, no engine is loaded. Not thread-safe: one instance
 * serves one run.
 */
@Command(
    name = "fingerprint",
    mixinStandardHelpOptions = true,
    description = {
      "Print the fingerprint (SHA-256) of a model's weights.",
      "",
      "The fingerprint is 64 hex digits over every tensor's name, dtype, shape and data,"
          + " independent of file layout and metadata: two folders with the same fingerprint hold"
          + " the same weights, bit for bit.",
      ""
    })
public final class FingerprintCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "A model folder, whose model.safetensors is hashed, or a single .safetensors file.")
  private Path model;

  /** Creates the command; picocli fills in its options. */
  public FingerprintCommand() {
    // picocli injects the fields
  }

  /**
   * Hashes the weights and prints the fingerprint.
   *
   * @return {@link ExitCodes#OK}
   * @throws InvalidInputException if there is no readable, undamaged weights file, naming it
   */
  @Override
  public Integer call() {
    if (!Files.exists(model)) {
      throw new InvalidInputException("'" + model + "' does not exist; give a model folder or a .safetensors file");
    }
    DeviceOption.reportNone(spec.commandLine().getErr(), spec.qualifiedName(), "hashing is pure Java");
    String fingerprint = Files.isDirectory(model)
        ? ModelFingerprint.ofFolder(model)
        : ModelFingerprint.ofSafeTensors(model);
    spec.commandLine().getOut().println(fingerprint);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
