package dev.ce4j.cli.model.internal;

import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --precision fp32|int8|bf16} option of {@code ce predict} and {@code ce rank}, as a
 * picocli mixin: the number format of the scoring pass's linear layers ({@link
 * CrossEncoderOptions.Precision}). A model that cannot score in it (another device than the CPU, a
 * family without the pass, bf16 on a CPU without {@code avx512_bf16}) is refused when it is loaded,
 * with the reason (exit status 2). Not thread-safe: picocli fills it in once per run.
 */
public final class PrecisionOption {

  @Option(
      names = "--precision",
      paramLabel = "FORMAT",
      defaultValue = "fp32",
      converter = PrecisionConverter.class,
      description = "Number format of the linear layers when scoring: fp32, int8 (int8 weights per output"
          + " channel, activations quantized per batch; CPU) or bf16 (a CPU with the avx512 bf16"
          + " instructions)."
          + " Default: ${DEFAULT-VALUE}.")
  private CrossEncoderOptions.Precision precision;

  /** Creates the option; picocli fills it in. */
  public PrecisionOption() {
    // picocli injects the field
  }

  /**
   * The options with the chosen precision.
   *
   * @param options the options so far, never null
   * @return the options with the precision, never null
   */
  public CrossEncoderOptions apply(CrossEncoderOptions options) {
    return options.withPrecision(precision);
  }

  /**
   * Prints, for a precision other than fp32, the line {@code ce predict: precision int8 (scoring
   * pass torchscript_int8)}.
   *
   * @param err where to print, never null
   * @param command the qualified command name, never null
   * @param encoder the loaded model, never null
   */
  public static void report(PrintWriter err, String command, CrossEncoder encoder) {
    Objects.requireNonNull(encoder, "encoder");
    if (encoder.precision() != CrossEncoderOptions.Precision.FP32) {
      err.println(command + ": precision " + encoder.precision() + " (scoring pass "
          + encoder.forwardPass().name().toLowerCase(Locale.ROOT) + ")");
      err.flush();
    }
  }

  /** Reads {@code fp32}, {@code int8} or {@code bf16}, in any case. */
  public static final class PrecisionConverter implements ITypeConverter<CrossEncoderOptions.Precision> {
    /** Creates the converter; picocli calls it. */
    public PrecisionConverter() {
      // stateless
    }

    @Override
    public CrossEncoderOptions.Precision convert(String value) {
      try {
        return CrossEncoderOptions.Precision.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
