package dev.ce4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.model.FloatTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafeTensorsTest {
  @TempDir Path dir;

  /** Values exactly representable in F16 and BF16 (few mantissa bits, moderate exponents). */
  static final float[] EXACT = {
    0f, -0f, 1f, -2f, 0.5f, 0.25f, 3.5f, -0.375f, 96f, 1.5f, -7f, 0.0625f
  };

  static LinkedHashMap<String, FloatTensor> tensors() {
    LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
    t.put("a.weight", new FloatTensor(new long[] {3, 4}, EXACT.clone()));
    t.put("a.bias", new FloatTensor(new long[] {2}, new float[] {1.25f, -0.75f}));
    t.put("scalar", new FloatTensor(new long[] {}, new float[] {2f}));
    t.put("empty", new FloatTensor(new long[] {0, 3}, new float[0]));
    return t;
  }

  @ParameterizedTest
  @EnumSource(names = {"F32", "F16", "BF16"})
  void roundTripsExactlyRepresentableValues(DType dtype) throws IOException {
    Path f = dir.resolve("t.safetensors");
    SafeTensors.write(f, tensors(), dtype, Map.of("format", "pt"));
    SafeTensors.Header h = SafeTensors.readHeader(f);
    assertThat(h.metadata()).containsEntry("format", "pt");
    assertThat(h.tensors().values()).allSatisfy(t -> assertThat(t.dtype()).isEqualTo(dtype));
    assertThat((h.dataStart() - 8) % 8).isZero();
    LinkedHashMap<String, FloatTensor> back = SafeTensors.readFloats(f, n -> true);
    assertThat(back).isEqualTo(tensors());
  }

  @Test
  void f32RoundTripIsBitwiseForArbitraryValues() throws IOException {
    float[] v = new float[1000];
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    v[0] = Float.MIN_VALUE;
    v[1] = Float.MAX_VALUE;
    Map<String, FloatTensor> t = Map.of("x", new FloatTensor(new long[] {10, 100}, v));
    Path f = dir.resolve("x.safetensors");
    SafeTensors.write(f, t, DType.F32, Map.of());
    assertThat(SafeTensors.readFloats(f, n -> true).get("x").bitwiseEquals(t.get("x"))).isTrue();
  }

  @Test
  void halfPrecisionRoundsToNearest() throws IOException {
    Path f = dir.resolve("h.safetensors");
    float third = 1f / 3f;
    SafeTensors.write(
        f, Map.of("x", new FloatTensor(new long[] {1}, new float[] {third})), DType.F16, Map.of());
    assertThat(SafeTensors.readFloats(f, n -> true).get("x").data()[0]).isEqualTo(0.333251953125f);
  }

  @Test
  void readsF64AsF32AndSkipsExcludedIntegerTensors() throws IOException {
    // hand-built file: an F64 tensor and an I64 buffer
    String header =
        "{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
            + "\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[16,24]}}";
    ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    data.putDouble(1.5).putDouble(-0.25).putLong(7);
    Path f = write(header, data.array());
    LinkedHashMap<String, FloatTensor> t = SafeTensors.readFloats(f, n -> !n.equals("ids"));
    assertThat(t).containsOnlyKeys("d");
    assertThat(t.get("d").data()).containsExactly(1.5f, -0.25f);
    assertThatThrownBy(() -> SafeTensors.readFloats(f, n -> true))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("'ids' has dtype I64");
  }

  @Test
  void rejectsDuplicateTensorNames() throws IOException {
    String header =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    Path f = write(header, new byte[8]);
    assertThatThrownBy(() -> SafeTensors.readHeader(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("malformed safetensors header")
        .hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void rejectsOverlappingData() throws IOException {
    String header =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    Path f = write(header, new byte[8]);
    assertThatThrownBy(() -> SafeTensors.readHeader(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("overlap");
  }

  private Path write(String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    Path f = dir.resolve("hand.safetensors");
    Files.write(f, b.array());
    return f;
  }
}
