package dev.ce4j.core.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxTensorsTest {

  private static final float[] VALUES = {1f, -2f, 0.5f, 3f, -0.25f, 65504f};

  private static TensorProto.Builder tensor(int dataType) {
    return TensorProto.newBuilder().setName("t").addDims(2).addDims(3).setDataType(dataType);
  }

  private static ByteString raw(int width, java.util.function.BiConsumer<ByteBuffer, Float> put) {
    ByteBuffer b = ByteBuffer.allocate(width * VALUES.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : VALUES) {
      put.accept(b, v);
    }
    return ByteString.copyFrom(b.array());
  }

  /** Half-precision bits of the exactly representable VALUES. */
  private static final int[] HALF = {0x3C00, 0xC000, 0x3800, 0x4200, 0xB400, 0x7BFF};

  static Stream<Arguments> encodings() {
    TensorProto.Builder floatData = tensor(OnnxTensors.FLOAT);
    TensorProto.Builder doubleData = tensor(OnnxTensors.DOUBLE);
    TensorProto.Builder halfInt32 = tensor(OnnxTensors.FLOAT16);
    TensorProto.Builder bf16Int32 = tensor(OnnxTensors.BFLOAT16);
    for (int i = 0; i < VALUES.length; i++) {
      floatData.addFloatData(VALUES[i]);
      doubleData.addDoubleData(VALUES[i]);
      halfInt32.addInt32Data(HALF[i]);
      bf16Int32.addInt32Data(Float.floatToIntBits(VALUES[i]) >>> 16);
    }
    return Stream.of(
        Arguments.of(
            "FLOAT raw_data",
            tensor(OnnxTensors.FLOAT).setRawData(raw(4, ByteBuffer::putFloat)).build()),
        Arguments.of("FLOAT float_data", floatData.build()),
        Arguments.of(
            "DOUBLE raw_data",
            tensor(OnnxTensors.DOUBLE).setRawData(raw(8, (b, v) -> b.putDouble(v))).build()),
        Arguments.of("DOUBLE double_data", doubleData.build()),
        Arguments.of("FLOAT16 raw_data", tensor(OnnxTensors.FLOAT16).setRawData(halfRaw()).build()),
        Arguments.of("FLOAT16 int32_data", halfInt32.build()),
        Arguments.of(
            "BFLOAT16 raw_data",
            tensor(OnnxTensors.BFLOAT16)
                .setRawData(raw(2, (b, v) -> b.putShort((short) (Float.floatToIntBits(v) >>> 16))))
                .build()),
        Arguments.of("BFLOAT16 int32_data", bf16Int32.build()));
  }

  private static ByteString halfRaw() {
    ByteBuffer b = ByteBuffer.allocate(2 * HALF.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int h : HALF) {
      b.putShort((short) h);
    }
    return ByteString.copyFrom(b.array());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void decodesEveryFloatEncodingToTheSameValues(String what, TensorProto t) {
    assertThat(OnnxTensors.shape(t)).containsExactly(2, 3);
    assertThat(OnnxTensors.isFloating(t)).isTrue();
    // 65504 is exact in half but not in bfloat16: the bfloat16 fixtures truncate it to 65280
    float[] expected = VALUES.clone();
    if (t.getDataType() == OnnxTensors.BFLOAT16) {
      expected[5] = Float.intBitsToFloat(Float.floatToIntBits(65504f) & 0xFFFF0000);
    }
    assertThat(OnnxTensors.floats(t, "f.onnx")).containsExactly(expected);
  }

  @Test
  void decodesIntegersFromRawAndTypedFields() {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(12).putLong(-3);
    TensorProto raw64 =
        TensorProto.newBuilder()
            .addDims(2)
            .setDataType(OnnxTensors.INT64)
            .setRawData(ByteString.copyFrom(b.array()))
            .build();
    TensorProto typed64 =
        TensorProto.newBuilder()
            .addDims(2)
            .setDataType(OnnxTensors.INT64)
            .addInt64Data(12)
            .addInt64Data(-3)
            .build();
    TensorProto typed32 =
        TensorProto.newBuilder()
            .addDims(2)
            .setDataType(OnnxTensors.INT32)
            .addInt32Data(12)
            .addInt32Data(-3)
            .build();
    ByteBuffer b32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(12).putInt(-3);
    TensorProto raw32 =
        TensorProto.newBuilder()
            .addDims(2)
            .setDataType(OnnxTensors.INT32)
            .setRawData(ByteString.copyFrom(b32.array()))
            .build();
    for (TensorProto t : new TensorProto[] {raw64, typed64, typed32, raw32}) {
      assertThat(OnnxTensors.longs(t, "f.onnx")).containsExactly(12, -3);
    }
  }

  @Test
  void scalarHasEmptyShapeAndOneValue() {
    TensorProto scalar =
        TensorProto.newBuilder().setDataType(OnnxTensors.FLOAT).addFloatData(5.5f).build();
    assertThat(OnnxTensors.shape(scalar)).isEmpty();
    assertThat(OnnxTensors.floats(scalar, "f.onnx")).containsExactly(5.5f);
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of(
            "string tensor",
            tensor(8).addStringData(ByteString.copyFromUtf8("x")).build(),
            "has ONNX data type 8"),
        Arguments.of(
            "too few float_data values",
            tensor(OnnxTensors.FLOAT).addFloatData(1f).build(),
            "needs 6 values but its float_data has 1"),
        Arguments.of(
            "too short raw_data",
            tensor(OnnxTensors.FLOAT).setRawData(ByteString.copyFrom(new byte[7])).build(),
            "needs 24 bytes of raw_data but has 7"),
        Arguments.of(
            "external data",
            tensor(OnnxTensors.FLOAT).setDataLocation(TensorProto.DataLocation.EXTERNAL).build(),
            "keeps its data in an external file"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void refusesDamagedTensorsNamingFileAndTensor(String what, TensorProto t, String message) {
    assertThatThrownBy(() -> OnnxTensors.floats(t, "f.onnx"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("f.onnx: tensor 't'")
        .hasMessageContaining(message);
  }
}
