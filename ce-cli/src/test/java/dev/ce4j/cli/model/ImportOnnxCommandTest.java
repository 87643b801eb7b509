package dev.ce4j.cli.model;

import static dev.ce4j.cli.CliRun.ce;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.ce4j.api.TextPair;
import dev.ce4j.cli.CliRun;
import dev.ce4j.cli.ExitCodes;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.onnx.OnnxImport;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.GraphProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.ModelProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImportOnnxCommandTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  /** all-MiniLM-L6-v2 imported once with --minilm, seed 9. */
  static Path minilm;
  static CliRun minilmRun;

  @BeforeAll
  static void importMiniLm() {
    minilm = shared.resolve("minilm");
    minilmRun = ce("import-onnx", "--minilm", "--output", minilm.toString(), "--seed", "9");
  }

  @Test
  void minilmWritesAFolderThatLoadsAndPredicts() throws IOException {
    assertThat(minilmRun.status()).as(minilmRun.err()).isEqualTo(ExitCodes.OK);
    assertThat(minilmRun.out()).isEmpty();
    assertThat(minilmRun.err().lines().toList()).containsExactly(
        "ce import-onnx: device none (the import is pure Java; no engine loaded)",
        "ce import-onnx: wrote " + minilm
            + ": bert, 6 layers, hidden 384, 12 heads, intermediate 1536, vocab 30522, 1 label (sigmoid), max_length 512, seed 9");
    assertThat(minilm.resolve("config.json")).exists();
    assertThat(minilm.resolve("model.safetensors")).exists();
    assertThat(minilm.resolve("tokenizer.json")).exists();
    try (CrossEncoder model = CrossEncoder.load(minilm)) {
      assertThat(((BertConfig) model.config()).numHiddenLayers()).isEqualTo(6);
      double[][] scores = model.predict(List.of(TextPair.of("capital of france", "paris")));
      assertThat(scores[0][0]).isBetween(0.0, 1.0);
    }
    Path pairs = Files.writeString(dir.resolve("p.jsonl"),
        "[\"capital of france\", \"paris is the capital of france\"]\n[\"capital of france\", \"bananas\"]\n");
    CliRun predict = ce("predict", "--model", minilm.toString(), "--input", pairs.toString());
    assertThat(predict.status()).as(predict.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = predict.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines).allSatisfy(l -> assertThat(Double.parseDouble(l)).isStrictlyBetween(0.0, 1.0));
    assertThat(lines.get(0)).isNotEqualTo(lines.get(1));
  }

  @Test
  void explicitFilesGiveTheSameModelAsMinilmForTheSameSeed() throws IOException {
    Path onnx = extract(OnnxImport.MINILM_ONNX_RESOURCE, dir.resolve("model.onnx"));
    Path tokenizer = extract(OnnxImport.MINILM_TOKENIZER_RESOURCE, dir.resolve("tokenizer.json"));
    Path out = dir.resolve("explicit");
    CliRun run = ce("import-onnx", "--onnx", onnx.toString(), "--tokenizer", tokenizer.toString(),
        "--output", out.toString(), "--seed", "9");
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(ModelFingerprint.ofFolder(out)).isEqualTo(ModelFingerprint.ofFolder(minilm));

    Path threeLabels = dir.resolve("three");
    CliRun three = ce("import-onnx", "--onnx", onnx.toString(), "--tokenizer", tokenizer.toString(),
        "--output", threeLabels.toString(), "--num-labels", "3", "--seed", "10");
    assertThat(three.status()).as(three.err()).isEqualTo(ExitCodes.OK);
    assertThat(three.err()).contains("3 labels (identity)", "seed 10");
  }

  @Test
  void aNonEmptyOutputFolderIsRefusedBeforeAnyWork() throws IOException {
    Path out = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(out.resolve("x"), "x");
    CliRun run = ce("import-onnx", "--minilm", "--output", out.toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).isEqualTo("ce import-onnx: output folder '" + out
        + "' is not empty; give a new or empty folder, or add --force to replace the model files in it"
        + System.lineSeparator());
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).hasSize(1);
    }
  }

  static Stream<Arguments> badUsage() {
    return Stream.of(
        Arguments.of(new String[] {"--minilm", "--onnx", "m.onnx"}, "not both"),
        Arguments.of(new String[] {}, "give --onnx FILE and --tokenizer FILE, or --minilm"),
        Arguments.of(new String[] {"--onnx", "m.onnx"}, "missing --tokenizer FILE"),
        Arguments.of(new String[] {"--tokenizer", "t.json"}, "missing --onnx FILE"),
        Arguments.of(new String[] {"--minilm", "--num-labels", "0"}, "--num-labels must be at least 1, got 0"));
  }

  @ParameterizedTest
  @MethodSource("badUsage")
  void badOptionsExitWith2(String[] options, String message) {
    String[] args = Stream.concat(
        Stream.of("import-onnx", "--output", dir.resolve("out").toString()), Stream.of(options))
        .toArray(String[]::new);
    CliRun run = ce(args);
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(message);
    assertThat(run.errHasStackTrace()).isFalse();
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aMissingOnnxFileExitsWith2NamingIt() throws IOException {
    Path tokenizer = TinyModels.tokenizer(dir.resolve("tokenizer.json"));
    Path missing = dir.resolve("missing.onnx");
    CliRun run = ce("import-onnx", "--onnx", missing.toString(), "--tokenizer", tokenizer.toString(),
        "--output", dir.resolve("out").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(missing.toString());
    assertThat(run.errHasStackTrace()).isFalse();
  }

  @Test
  void aFileThatIsNotOnnxExitsWith2NamingIt() throws IOException {
    Path tokenizer = TinyModels.tokenizer(dir.resolve("tokenizer.json"));
    Path notOnnx = Files.writeString(dir.resolve("fake.onnx"), "this is text, not a protobuf");
    CliRun run = ce("import-onnx", "--onnx", notOnnx.toString(), "--tokenizer", tokenizer.toString(),
        "--output", dir.resolve("out").toString());
    assertThat(run.status()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(notOnnx.toString(), "not an ONNX model");
    assertThat(run.errHasStackTrace()).isFalse();
  }

  /**
   * The bundled all-MiniLM-L6-v2 export with its word embedding cut to {@code rows} rows (to keep
   * the file small) and {@code edit} applied to the float data of one initializer.
   */
  private Path editedMiniLm(String name, int rows, String initializer, Consumer<float[]> edit)
      throws IOException {
    ModelProto m;
    try (InputStream in = ImportOnnxCommandTest.class.getResourceAsStream(OnnxImport.MINILM_ONNX_RESOURCE)) {
      m = ModelProto.parseFrom(in);
    }
    GraphProto.Builder g = m.getGraph().toBuilder().clearInitializer();
    for (TensorProto t : m.getGraph().getInitializerList()) {
      if (t.getName().equals("embeddings.word_embeddings.weight")) {
        t = t.toBuilder().setDims(0, rows).setRawData(t.getRawData().substring(0, rows * 384 * 4)).build();
      }
      if (t.getName().equals(initializer)) {
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] d = new float[raw.remaining() / 4];
        raw.asFloatBuffer().get(d);
        edit.accept(d);
        ByteBuffer out = ByteBuffer.allocate(4 * d.length).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(d);
        t = t.toBuilder().setRawData(ByteString.copyFrom(out.array())).build();
      }
      g.addInitializer(t);
    }
    return Files.write(dir.resolve(name), m.toBuilder().setGraph(g).build().toByteArray());
  }

  @Test
  void anInitializerWithNanIsRefusedNamingIt() throws IOException {
    Path tokenizer = TinyModels.tokenizer(dir.resolve("tokenizer.json"));
    Path onnx = editedMiniLm("nan.onnx", 30522, "encoder.layer.2.attention.output.LayerNorm.weight",
        d -> d[100] = Float.NaN);
    Path out = dir.resolve("out");
    CliRun run = ce("import-onnx", "--onnx", onnx.toString(), "--tokenizer", tokenizer.toString(),
        "--output", out.toString());
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("ce import-onnx: " + onnx
        + ": initializer 'encoder.layer.2.attention.output.LayerNorm.weight' holds NaN at index [100]");
    assertThat(run.errHasStackTrace()).isFalse();
    assertThat(out.resolve("model.safetensors")).doesNotExist();
  }

  @Test
  void aTokenizerBeyondTheEmbeddingIsRefusedNamingIt() throws IOException {
    Path tokenizer = TinyModels.tokenizer(dir.resolve("tokenizer.json"));
    Path onnx = editedMiniLm("small.onnx", 1000, "embeddings.LayerNorm.bias", d -> { });
    Path out = dir.resolve("out");
    CliRun run = ce("import-onnx", "--onnx", onnx.toString(), "--tokenizer", tokenizer.toString(),
        "--output", out.toString());
    assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("ce import-onnx: " + tokenizer + ": token id 30521 (",
        "is beyond the ONNX word embedding, which has 1000 rows (ids 0 to 999)");
    assertThat(out.resolve("model.safetensors")).doesNotExist();

    Path notTokenizer = Files.writeString(dir.resolve("config.json"), "[1, 2]");
    CliRun named = ce("import-onnx", "--onnx", onnx.toString(), "--tokenizer", notTokenizer.toString(),
        "--output", out.toString());
    assertThat(named.status()).as(named.err()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(named.err()).endsWith("ce import-onnx: " + notTokenizer
        + ": not a valid Hugging Face tokenizer.json: the top level must be a JSON object" + System.lineSeparator());
  }

  private static Path extract(String resource, Path target) throws IOException {
    try (InputStream in = ImportOnnxCommandTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.copy(in, target);
    }
    return target;
  }
}
