package dev.ce4j.core.onnx.internal;

import com.google.protobuf.ByteString;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.HalfFloats;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Decodes ONNX {@code TensorProto}s into Java arrays.
 *
 * <p>ONNX stores values either in {@code raw_data} (little-endian bytes, what PyTorch's exporter
 * writes) or in the typed repeated fields ({@code float_data}, {@code int32_data} for 16-bit
 * floats, {@code int64_data}, {@code double_data}); both are read. Tensors whose data lives in an
 * external file ({@code data_location = EXTERNAL}) are refused with a message that says so.
 * Stateless and thread-safe.
 */
public final class OnnxTensors {

  /** ONNX {@code TensorProto.DataType} FLOAT. */
  public static final int FLOAT = 1;

  /** ONNX {@code TensorProto.DataType} INT32. */
  public static final int INT32 = 6;

  /** ONNX {@code TensorProto.DataType} INT64. */
  public static final int INT64 = 7;

  /** ONNX {@code TensorProto.DataType} FLOAT16. */
  public static final int FLOAT16 = 10;

  /** ONNX {@code TensorProto.DataType} DOUBLE. */
  public static final int DOUBLE = 11;

  /** ONNX {@code TensorProto.DataType} BFLOAT16. */
  public static final int BFLOAT16 = 16;

  private OnnxTensors() {}

  /**
   * The dimensions of a tensor.
   *
   * @param t the tensor, never null
   * @return a new array of its dimensions, never null (empty for a scalar)
   */
  public static long[] shape(TensorProto t) {
    long[] s = new long[t.getDimsCount()];
    for (int i = 0; i < s.length; i++) {
      s[i] = t.getDims(i);
    }
    return s;
  }

  /**
   * Whether a tensor holds floating-point values that {@link #floats} can decode.
   *
   * @param t the tensor, never null
   * @return true for FLOAT, FLOAT16, BFLOAT16 and DOUBLE
   */
  public static boolean isFloating(TensorProto t) {
    int dt = t.getDataType();
    return dt == FLOAT || dt == FLOAT16 || dt == BFLOAT16 || dt == DOUBLE;
  }

  /**
   * Decodes a floating-point tensor into floats (half types widened exactly, doubles rounded).
   *
   * @param t the tensor, never null
   * @param file the file it came from, for messages, never null
   * @return a new array of {@code product(dims)} values in row-major order, never null
   * @throws InvalidInputException when the data is external, of another type, or its length does
   *     not match the dimensions
   */
  public static float[] floats(TensorProto t, String file) {
    rejectExternal(t, file);
    int n = elementCount(t, file);
    int dt = t.getDataType();
    float[] out = new float[n];
    ByteString raw = t.getRawData();
    boolean useRaw = !raw.isEmpty() || n == 0;
    switch (dt) {
      case FLOAT -> {
        if (useRaw) {
          checkRawSize(t, raw, n, 4, file);
          raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        } else {
          checkTypedCount(t, t.getFloatDataCount(), n, "float_data", file);
          for (int i = 0; i < n; i++) {
            out[i] = t.getFloatData(i);
          }
        }
      }
      case DOUBLE -> {
        if (useRaw) {
          checkRawSize(t, raw, n, 8, file);
          var b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
          for (int i = 0; i < n; i++) {
            out[i] = (float) b.get(i);
          }
        } else {
          checkTypedCount(t, t.getDoubleDataCount(), n, "double_data", file);
          for (int i = 0; i < n; i++) {
            out[i] = (float) t.getDoubleData(i);
          }
        }
      }
      case FLOAT16, BFLOAT16 -> {
        boolean half = dt == FLOAT16;
        if (useRaw) {
          checkRawSize(t, raw, n, 2, file);
          var b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
          for (int i = 0; i < n; i++) {
            int bits = b.get(i) & 0xFFFF;
            out[i] = half ? HalfFloats.f16ToFloat(bits) : HalfFloats.bf16ToFloat(bits);
          }
        } else {
          // 16-bit floats without raw_data are stored one per int32_data element (low 16 bits)
          checkTypedCount(t, t.getInt32DataCount(), n, "int32_data", file);
          for (int i = 0; i < n; i++) {
            int bits = t.getInt32Data(i) & 0xFFFF;
            out[i] = half ? HalfFloats.f16ToFloat(bits) : HalfFloats.bf16ToFloat(bits);
          }
        }
      }
      default ->
          throw new InvalidInputException(
              file
                  + ": tensor '"
                  + t.getName()
                  + "' has ONNX data type "
                  + dt
                  + "; only FLOAT (1), FLOAT16 (10), DOUBLE (11) and BFLOAT16 (16) weights can"
                  + " be imported");
    }
    return out;
  }

  /**
   * Decodes an integer tensor (INT64 or INT32) into longs.
   *
   * @param t the tensor, never null
   * @param file the file it came from, for messages, never null
   * @return a new array of its values, never null
   * @throws InvalidInputException when the data is external, not integral, or its length does not
   *     match the dimensions
   */
  public static long[] longs(TensorProto t, String file) {
    rejectExternal(t, file);
    int n = elementCount(t, file);
    long[] out = new long[n];
    ByteString raw = t.getRawData();
    boolean useRaw = !raw.isEmpty();
    if (t.getDataType() == INT64) {
      if (useRaw) {
        checkRawSize(t, raw, n, 8, file);
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
      } else {
        checkTypedCount(t, t.getInt64DataCount(), n, "int64_data", file);
        for (int i = 0; i < n; i++) {
          out[i] = t.getInt64Data(i);
        }
      }
    } else if (t.getDataType() == INT32) {
      if (useRaw) {
        checkRawSize(t, raw, n, 4, file);
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          out[i] = b.getInt(4 * i);
        }
      } else {
        checkTypedCount(t, t.getInt32DataCount(), n, "int32_data", file);
        for (int i = 0; i < n; i++) {
          out[i] = t.getInt32Data(i);
        }
      }
    } else {
      throw new InvalidInputException(
          file
              + ": tensor '"
              + t.getName()
              + "' is not an integer tensor (ONNX data type "
              + t.getDataType()
              + ")");
    }
    return out;
  }

  private static int elementCount(TensorProto t, String file) {
    long n = 1;
    List<Long> dims = t.getDimsList();
    for (long d : dims) {
      if (d < 0) {
        throw new InvalidInputException(
            file + ": tensor '" + t.getName() + "' has a negative dimension in " + dims);
      }
      n *= d;
      if (n > Integer.MAX_VALUE - 8) {
        throw new InvalidInputException(
            file + ": tensor '" + t.getName() + "' of shape " + dims + " is too large to import");
      }
    }
    return (int) n;
  }

  private static void rejectExternal(TensorProto t, String file) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      String location =
          t.getExternalDataList().stream()
              .filter(e -> e.getKey().equals("location"))
              .map(e -> e.getValue())
              .findFirst()
              .orElse("?");
      throw new InvalidInputException(
          file
              + ": tensor '"
              + t.getName()
              + "' keeps its data in an external file ('"
              + location
              + "'); ONNX external data is not supported. Re-save the model with all tensors"
              + " inside the .onnx file (onnx.save_model(model, path,"
              + " save_as_external_data=False)), which works for models under 2 GB");
    }
  }

  private static void checkRawSize(TensorProto t, ByteString raw, int n, int width, String file) {
    if ((long) n * width != raw.size()) {
      throw new InvalidInputException(
          file
              + ": tensor '"
              + t.getName()
              + "' of shape "
              + t.getDimsList()
              + " needs "
              + (long) n * width
              + " bytes of raw_data but has "
              + raw.size()
              + "; the file is damaged");
    }
  }

  private static void checkTypedCount(TensorProto t, int have, int n, String field, String file) {
    if (have != n) {
      throw new InvalidInputException(
          file
              + ": tensor '"
              + t.getName()
              + "' of shape "
              + t.getDimsList()
              + " needs "
              + n
              + " values but its "
              + field
              + " has "
              + have
              + "; the file is damaged");
    }
  }
}
