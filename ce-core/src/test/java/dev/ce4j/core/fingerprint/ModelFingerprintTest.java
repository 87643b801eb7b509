package dev.ce4j.core.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.model.FloatTensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFingerprintTest {
  @TempDir Path dir;

  /** "b.w": shape [2] = {1.0, -2.0}; "a": shape [1, 1] = {0.5}. */
  private static LinkedHashMap<String, FloatTensor> twoTensors() {
    LinkedHashMap<String, FloatTensor> m = new LinkedHashMap<>();
    m.put("b.w", new FloatTensor(new long[] {2}, new float[] {1.0f, -2.0f}));
    m.put("a", new FloatTensor(new long[] {1, 1}, new float[] {0.5f}));
    return m;
  }

  /** The bytes the fingerprint hashes for {@link #twoTensors()}, written out by hand. */
  private static byte[] handAssembled() {
    byte[] bytes = {
      // "a" 0x00 "F32" 0x00
      'a', 0, 'F', '3', '2', 0,
      // rank 2 as int32 LE
      2, 0, 0, 0,
      // dims 1, 1 as int64 LE
      1, 0, 0, 0, 0, 0, 0, 0,
      1, 0, 0, 0, 0, 0, 0, 0,
      // 0.5f = 0x3F000000, LE
      0, 0, 0, 0x3F,
      // "b.w" 0x00 "F32" 0x00
      'b', '.', 'w', 0, 'F', '3', '2', 0,
      // rank 1
      1, 0, 0, 0,
      // dim 2
      2, 0, 0, 0, 0, 0, 0, 0,
      // 1.0f = 0x3F800000, -2.0f = 0xC0000000, LE
      0, 0, (byte) 0x80, 0x3F,
      0, 0, 0, (byte) 0xC0,
    };
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void inMemoryFingerprintHashesTheDocumentedBytes() throws Exception {
    assertThat(ModelFingerprint.of(twoTensors())).isEqualTo(sha256(handAssembled()));
  }

  @Test
  void fingerprintIsTheGoldenValueFromPythonHashlib() {
    // produced independently by src/test/resources/dev/ce4j/core/fingerprint/golden.py
    // (Python hashlib + struct)
    assertThat(ModelFingerprint.of(twoTensors()))
        .isEqualTo("b8e23700d616673d0b701a50ec1b46d4d65731e1a04a73dc220c0c342f40abb0");
  }

  @Test
  void fileFingerprintEqualsInMemoryFingerprint() throws IOException {
    Path f = dir.resolve("model.safetensors");
    SafeTensors.write(f, twoTensors(), DType.F32, Map.of("format", "pt"));
    assertThat(ModelFingerprint.ofSafeTensors(f)).isEqualTo(ModelFingerprint.of(twoTensors()));
    assertThat(ModelFingerprint.ofFolder(dir)).isEqualTo(ModelFingerprint.of(twoTensors()));
  }

  @Test
  void layoutOrderAndMetadataDoNotMatter() throws IOException {
    // same tensors, hand-written files: different header order, data order, metadata and padding
    Path one =
        rawFile(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]},"
                + "\"b.w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
            floats(0.5f, 1.0f, -2.0f),
            "one.safetensors");
    Path two =
        rawFile(
            "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"other\"},"
                + "\"b.w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]}}    ",
            floats(1.0f, -2.0f, 0.5f),
            "two.safetensors");
    assertThat(ModelFingerprint.ofSafeTensors(one))
        .isEqualTo(ModelFingerprint.ofSafeTensors(two))
        .isEqualTo(ModelFingerprint.of(twoTensors()));
  }

  @Test
  void oneChangedBitChangesTheFingerprint() {
    LinkedHashMap<String, FloatTensor> changed = twoTensors();
    float flipped = Float.intBitsToFloat(Float.floatToRawIntBits(0.5f) ^ 1);
    changed.put("a", new FloatTensor(new long[] {1, 1}, new float[] {flipped}));
    assertThat(ModelFingerprint.of(changed)).isNotEqualTo(ModelFingerprint.of(twoTensors()));
  }

  @Test
  void shapeAndNameAreHashed() {
    LinkedHashMap<String, FloatTensor> reshaped = twoTensors();
    reshaped.put("a", new FloatTensor(new long[] {1}, new float[] {0.5f}));
    LinkedHashMap<String, FloatTensor> renamed = new LinkedHashMap<>(twoTensors());
    renamed.put("c", renamed.remove("a"));
    String base = ModelFingerprint.of(twoTensors());
    assertThat(ModelFingerprint.of(reshaped)).isNotEqualTo(base);
    assertThat(ModelFingerprint.of(renamed)).isNotEqualTo(base);
  }

  @Test
  void storedDtypeIsPartOfTheFingerprint() throws IOException {
    Path f32 = dir.resolve("f32.safetensors");
    Path f16 = dir.resolve("f16.safetensors");
    SafeTensors.write(f32, twoTensors(), DType.F32, Map.of());
    SafeTensors.write(f16, twoTensors(), DType.F16, Map.of());
    assertThat(ModelFingerprint.ofSafeTensors(f16)).isNotEqualTo(ModelFingerprint.ofSafeTensors(f32));
  }

  @Test
  void missingFileIsReportedByName() {
    Path missing = dir.resolve("nope.safetensors");
    assertThatThrownBy(() -> ModelFingerprint.ofSafeTensors(missing))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("nope.safetensors");
  }

  private static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  private Path rawFile(String header, byte[] data, String name) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
    out.write(h);
    out.write(data);
    Path f = dir.resolve(name);
    Files.write(f, out.toByteArray());
    return f;
  }
}
