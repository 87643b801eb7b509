package dev.ce4j.core.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.arch.bert.ReferenceBert;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.GraphProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.ModelProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.NodeProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.StringStringEntryProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Imports the real all-MiniLM-L6-v2 ONNX export and checks names, shapes and architecture against
 * the hand-known MiniLM-L6 layout, then checks the numbers: a plain-Java BERT forward pass over the
 * imported tensors must reproduce ONNX Runtime's hidden states on the original graph.
 */
class OnnxBertImporterTest {

  @TempDir static Path dir;

  private static Path onnx;
  private static Path tokenizer;
  private static ImportedBert minilm;
  private static ModelProto model;

  @BeforeAll
  static void importMiniLm() throws Exception {
    onnx = MiniLm.copy(MiniLm.ONNX_RESOURCE, dir);
    tokenizer = MiniLm.copy(MiniLm.TOKENIZER_RESOURCE, dir);
    minilm = OnnxBertImporter.read(onnx);
    model = ModelProto.parseFrom(Files.readAllBytes(onnx));
  }

  @Test
  void recoversTheMiniLmArchitecture() {
    assertThat(minilm.config())
        .isEqualTo(new ImportedBertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12, "gelu"));
    assertThat(minilm.config().headSize()).isEqualTo(32);
    assertThat(minilm.hasPooler()).isFalse();
    assertThat(minilm.ignoredInitializers()).containsExactly("embeddings.position_ids");
    assertThat(minilm.producer()).isEqualTo("pytorch 2.0.1");
  }

  @Test
  void namesEveryTensorLikeHuggingFaceWithItsShape() {
    Map<String, List<Long>> expected = new LinkedHashMap<>();
    expected.put("bert.embeddings.word_embeddings.weight", List.of(30522L, 384L));
    expected.put("bert.embeddings.position_embeddings.weight", List.of(512L, 384L));
    expected.put("bert.embeddings.token_type_embeddings.weight", List.of(2L, 384L));
    expected.put("bert.embeddings.LayerNorm.weight", List.of(384L));
    expected.put("bert.embeddings.LayerNorm.bias", List.of(384L));
    for (int i = 0; i < 6; i++) {
      String l = "bert.encoder.layer." + i + ".";
      for (String p : List.of("query", "key", "value")) {
        expected.put(l + "attention.self." + p + ".weight", List.of(384L, 384L));
        expected.put(l + "attention.self." + p + ".bias", List.of(384L));
      }
      expected.put(l + "attention.output.dense.weight", List.of(384L, 384L));
      expected.put(l + "attention.output.dense.bias", List.of(384L));
      expected.put(l + "attention.output.LayerNorm.weight", List.of(384L));
      expected.put(l + "attention.output.LayerNorm.bias", List.of(384L));
      expected.put(l + "intermediate.dense.weight", List.of(1536L, 384L));
      expected.put(l + "intermediate.dense.bias", List.of(1536L));
      expected.put(l + "output.dense.weight", List.of(384L, 1536L));
      expected.put(l + "output.dense.bias", List.of(384L));
      expected.put(l + "output.LayerNorm.weight", List.of(384L));
      expected.put(l + "output.LayerNorm.bias", List.of(384L));
    }
    assertThat(expected).hasSize(101);
    Map<String, List<Long>> actual = new LinkedHashMap<>();
    minilm
        .tensors()
        .forEach((name, t) -> actual.put(name, Arrays.stream(t.shape()).boxed().toList()));
    assertThat(actual).containsExactlyEntriesOf(expected);
  }

  @Test
  void transposesAnonymousMatMulWeightsToOutByIn() {
    // layer 0's query projection is the MatMul input onnx::MatMul_787, stored [in, out]
    TensorProto raw = initializer(model, "onnx::MatMul_787");
    assertThat(raw.getDimsList()).containsExactly(384L, 384L);
    float[] stored = floats(raw);
    float[] hf = minilm.tensor("bert.encoder.layer.0.attention.self.query.weight").data();
    for (int out : new int[] {0, 1, 17, 383}) {
      for (int in : new int[] {0, 2, 100, 383}) {
        assertThat(hf[out * 384 + in]).isEqualTo(stored[in * 384 + out]);
      }
    }
    // the intermediate projection is [384, 1536] in ONNX and [1536, 384] in Hugging Face layout
    TensorProto inter = initializer(model, "onnx::MatMul_798");
    assertThat(inter.getDimsList()).containsExactly(384L, 1536L);
    float[] interHf = minilm.tensor("bert.encoder.layer.0.intermediate.dense.weight").data();
    assertThat(interHf[1535 * 384 + 7]).isEqualTo(floats(inter)[7 * 1536 + 1535]);
    // named tensors are copied unchanged
    assertThat(minilm.tensor("bert.embeddings.LayerNorm.weight").data())
        .containsExactly(floats(initializer(model, "embeddings.LayerNorm.weight")));
  }

  @Test
  void plainJavaBertOnImportedTensorsMatchesOnnxRuntime() throws Exception {
    Map<String, Integer> vocab = MiniLm.vocab(tokenizer);
    int sep = MiniLm.id(vocab, "[SEP]");
    long[][] unpadded = {
      MiniLm.pairIds(vocab, "how do cats sleep", "cats sleep most of the day in a warm place"),
      MiniLm.pairIds(vocab, "what is the capital of france", "paris is the capital"),
      MiniLm.pairIds(vocab, "a", "b")
    };
    long[][] ids = MiniLm.pad(unpadded);
    long[][] types = new long[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      types[i] = MiniLm.pad(new long[][] {MiniLm.pairTypes(unpadded[i], sep), ids[0]})[0];
    }
    long[][] mask = MiniLm.mask(unpadded, ids[0].length);

    float[][][] ort = MiniLm.ortHiddenStates(onnx, ids, types, mask);
    double[][][] ref =
        reference(minilm.tensors(), minilm.config()).forward(ids, types, mask);
    double diff = MiniLm.maxAbsDiff(ort, ref);
    System.out.printf(
        "ONNX Runtime vs plain-Java BERT on imported tensors: max |diff| = %.3g%n", diff);
    assertThat(diff).isLessThan(1e-4);

    // the comparison is sensitive: swapping layer 0's query and key weights breaks it
    Map<String, NamedTensor> swapped = new LinkedHashMap<>(minilm.tensors());
    String q = "bert.encoder.layer.0.attention.self.query.weight";
    String k = "bert.encoder.layer.0.attention.self.key.weight";
    swapped.put(q, new NamedTensor(q, minilm.tensor(k).shape(), minilm.tensor(k).data()));
    swapped.put(k, new NamedTensor(k, minilm.tensor(q).shape(), minilm.tensor(q).data()));
    double[][][] wrong = reference(swapped, minilm.config()).forward(ids, types, mask);
    assertThat(MiniLm.maxAbsDiff(ort, wrong)).isGreaterThan(1e-2);
  }

  /** The plain-Java BERT of the model tests, over the imported tensors. */
  private static ReferenceBert reference(Map<String, NamedTensor> tensors, ImportedBertConfig c) {
    BertConfig config = BertConfig.builder()
        .vocabSize(c.vocabSize())
        .hiddenSize(c.hiddenSize())
        .numHiddenLayers(c.numHiddenLayers())
        .numAttentionHeads(c.numAttentionHeads())
        .intermediateSize(c.intermediateSize())
        .hiddenAct(c.hiddenAct())
        .maxPositionEmbeddings(c.maxPositionEmbeddings())
        .typeVocabSize(c.typeVocabSize())
        .layerNormEps(c.layerNormEps())
        .build();
    Map<String, FloatTensor> weights = new LinkedHashMap<>();
    tensors.forEach((name, t) -> weights.put(name, new FloatTensor(t.shape(), t.data())));
    return new ReferenceBert(config, weights);
  }

  @Test
  void referenceErfIsAccurate() {
    // values from scipy.special.erf
    assertThat(ReferenceBert.erf(0.0)).isEqualTo(0.0);
    assertThat(ReferenceBert.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-15));
    assertThat(ReferenceBert.erf(1.0)).isCloseTo(0.8427007929497149, within(1e-15));
    assertThat(ReferenceBert.erf(-1.5)).isCloseTo(-0.9661051464753108, within(1e-15));
    assertThat(ReferenceBert.erf(2.4)).isCloseTo(0.9993114861033549, within(1e-15));
    assertThat(ReferenceBert.erf(2.5)).isCloseTo(0.9995930479825550, within(1e-15));
    assertThat(ReferenceBert.erf(3.0)).isCloseTo(0.9999779095030014, within(1e-15));
    assertThat(ReferenceBert.erf(-6.0)).isCloseTo(-1.0, within(1e-15));
  }

  // ---------------------------------------------------------------- damaged and foreign inputs

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope.onnx");
    assertThatThrownBy(() -> OnnxBertImporter.read(missing))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ONNX file not found")
        .hasMessageContaining("nope.onnx");
  }

  static Stream<Arguments> notOnnx() {
    return Stream.of(
        Arguments.of(
            "text.onnx",
            "this is not a protobuf\n".getBytes(StandardCharsets.UTF_8),
            "is not an ONNX model"),
        Arguments.of("empty.onnx", new byte[0], "file is empty (0 bytes)"),
        Arguments.of(
            "json.onnx",
            "{\"model\": 1}".getBytes(StandardCharsets.UTF_8),
            "is not an ONNX model"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notOnnx")
  void fileThatIsNotOnnxIsRefused(String name, byte[] content, String message) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, content);
    assertThatThrownBy(() -> OnnxBertImporter.read(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(name)
        .hasMessageContaining(message);
  }

  @Test
  void aDirectoryOrAFifoIsRefusedWithoutBlocking() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("folder.onnx"));
    assertThatThrownBy(() -> OnnxBertImporter.read(folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(folder + ": is a directory, not a file");
    Path fifo = dir.resolve("fifo.onnx");
    assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(() -> OnnxBertImporter.read(fifo))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(fifo + ": not a regular file (a named pipe (FIFO))"));
  }

  @Test
  void anInitializerThatIsNotFiniteIsRefusedNamingIt() {
    // a NaN in a named initializer, and an infinity in an anonymous MatMul weight
    TensorProto bias = initializer(model, "embeddings.LayerNorm.bias");
    float[] b = floats(bias);
    b[17] = Float.NaN;
    byte[] withNan =
        replaceInitializer(smallVocab(model), "embeddings.LayerNorm.bias", withFloats(bias, b))
            .toByteArray();
    assertThatThrownBy(() -> OnnxBertImporter.read(withNan, "nan.onnx"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "nan.onnx: initializer 'embeddings.LayerNorm.bias' holds NaN at index [17]")
        .hasMessageContaining("not finite");

    TensorProto w = initializer(model, "onnx::MatMul_787");
    float[] d = floats(w);
    d[384 + 2] = Float.NEGATIVE_INFINITY; // row 1, column 2 of the [in, out] ONNX layout
    byte[] withInf =
        replaceInitializer(smallVocab(model), "onnx::MatMul_787", withFloats(w, d)).toByteArray();
    assertThatThrownBy(() -> OnnxBertImporter.read(withInf, "inf.onnx"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            "inf.onnx: MatMul input 'onnx::MatMul_787' holds -Infinity at index [1, 2]");
  }

  @Test
  void truncatedFileIsRefused() throws Exception {
    byte[] head = Arrays.copyOf(Files.readAllBytes(onnx), 1_000_000);
    assertThatThrownBy(() -> OnnxBertImporter.read(head, "cut.onnx"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cut.onnx is not an ONNX model")
        .hasMessageContaining("truncated");
  }

  @Test
  void onnxModelThatIsNotBertIsRefused() {
    ModelProto relu =
        ModelProto.newBuilder()
            .setIrVersion(8)
            .setGraph(
                GraphProto.newBuilder()
                    .addNode(NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y"))
                    .addInitializer(
                        TensorProto.newBuilder()
                            .setName("w")
                            .addDims(1)
                            .setDataType(1)
                            .addFloatData(1f)))
            .build();
    assertThatThrownBy(() -> OnnxBertImporter.read(relu.toByteArray(), "relu.onnx"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("relu.onnx is not a BERT encoder")
        .hasMessageContaining("embeddings.word_embeddings.weight")
        .hasMessageContaining("[w]");
  }

  static Stream<Arguments> damagedMiniLm() {
    return Stream.of(
        Arguments.of(
            "a tensor missing",
            (UnaryOperator<ModelProto>)
                m -> removeInitializer(m, "encoder.layer.3.output.LayerNorm.bias"),
            List.of("1 tensor(s) missing: encoder.layer.3.output.LayerNorm.bias")),
        Arguments.of(
            "a tensor of the wrong shape",
            (UnaryOperator<ModelProto>)
                m ->
                    replaceInitializer(
                        m,
                        "embeddings.LayerNorm.weight",
                        floatTensor("embeddings.LayerNorm.weight", 383)),
            List.of("'embeddings.LayerNorm.weight' has shape [383]", "needs [384]")),
        Arguments.of(
            "a weight with no bias and no node name",
            (UnaryOperator<ModelProto>) OnnxBertImporterTest::orphanFirstMatMul,
            List.of("cannot tell which BERT layer the weight 'onnx::MatMul_787' belongs to")),
        Arguments.of(
            "external data",
            (UnaryOperator<ModelProto>) OnnxBertImporterTest::externalLayerNorm,
            List.of(
                "'embeddings.LayerNorm.bias' keeps its data in an external file ('weights.bin')")),
        Arguments.of(
            "an ONNX Runtime fused operator",
            (UnaryOperator<ModelProto>) m -> addNode(m, "Attention", "com.microsoft"),
            List.of("non-standard operators [com.microsoft:Attention]")),
        Arguments.of(
            "a quantized operator",
            (UnaryOperator<ModelProto>) m -> addNode(m, "DynamicQuantizeLinear", ""),
            List.of("is a quantized model")),
        Arguments.of(
            "a gap in the layer indices",
            (UnaryOperator<ModelProto>)
                m -> renameEverywhere(m, "encoder.layer.5.", "encoder.layer.7."),
            List.of("layer indices [0, 1, 2, 3, 4, 7] are not 0..5")),
        Arguments.of(
            "an attention scale that contradicts the heads",
            (UnaryOperator<ModelProto>) m -> setAttentionScale(m, 4f),
            List.of(
                "inconsistent numbers of attention heads",
                "Reshape targets say [12]",
                "score scales say [24]")),
        Arguments.of(
            "truncated raw data",
            (UnaryOperator<ModelProto>)
                m ->
                    replaceInitializer(
                        m,
                        "embeddings.LayerNorm.bias",
                        initializer(m, "embeddings.LayerNorm.bias").toBuilder()
                            .setRawData(
                                initializer(m, "embeddings.LayerNorm.bias")
                                    .getRawData()
                                    .substring(0, 100))
                            .build()),
            List.of(
                "'embeddings.LayerNorm.bias' of shape [384] needs 1536 bytes of raw_data but has"
                    + " 100")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedMiniLm")
  void damagedBertGraphGetsOneClearError(
      String what, UnaryOperator<ModelProto> damage, List<String> messageParts) {
    byte[] bytes = damage.apply(smallVocab(model)).toByteArray();
    var thrown =
        assertThatThrownBy(() -> OnnxBertImporter.read(bytes, "damaged.onnx"))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("damaged.onnx");
    for (String part : messageParts) {
      thrown.hasMessageContaining(part);
    }
  }

  @Test
  void smallVocabularyCopyStillImports() {
    // the base of the damage cases above is itself valid
    ImportedBert small = OnnxBertImporter.read(smallVocab(model).toByteArray(), "small.onnx");
    assertThat(small.config().vocabSize()).isEqualTo(10);
    assertThat(small.tensors()).hasSize(101);
  }

  // ---------------------------------------------------------------- helpers

  /** The model with its word embedding cut to 10 rows, so that the damage cases stay small. */
  private static ModelProto smallVocab(ModelProto m) {
    TensorProto word = initializer(m, "embeddings.word_embeddings.weight");
    TensorProto small =
        word.toBuilder()
            .setDims(0, 10)
            .setRawData(word.getRawData().substring(0, 10 * 384 * 4))
            .build();
    return replaceInitializer(m, "embeddings.word_embeddings.weight", small);
  }

  private static TensorProto initializer(ModelProto m, String name) {
    return m.getGraph().getInitializerList().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static float[] floats(TensorProto t) {
    float[] out = new float[t.getRawData().size() / 4];
    t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  private static TensorProto withFloats(TensorProto t, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return t.toBuilder().setRawData(ByteString.copyFrom(b.array())).build();
  }

  private static TensorProto floatTensor(String name, int n) {
    ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putFloat(1f);
    }
    return TensorProto.newBuilder()
        .setName(name)
        .addDims(n)
        .setDataType(1)
        .setRawData(ByteString.copyFrom(b.array()))
        .build();
  }

  private static ModelProto withGraph(ModelProto m, GraphProto g) {
    return m.toBuilder().setGraph(g).build();
  }

  private static ModelProto removeInitializer(ModelProto m, String name) {
    GraphProto.Builder g = m.getGraph().toBuilder().clearInitializer();
    m.getGraph().getInitializerList().stream()
        .filter(t -> !t.getName().equals(name))
        .forEach(g::addInitializer);
    return withGraph(m, g.build());
  }

  private static ModelProto replaceInitializer(ModelProto m, String name, TensorProto replacement) {
    GraphProto.Builder g = m.getGraph().toBuilder().clearInitializer();
    for (TensorProto t : m.getGraph().getInitializerList()) {
      g.addInitializer(t.getName().equals(name) ? replacement : t);
    }
    return withGraph(m, g.build());
  }

  private static ModelProto addNode(ModelProto m, String op, String domain) {
    return withGraph(
        m,
        m.getGraph().toBuilder()
            .addNode(
                NodeProto.newBuilder()
                    .setOpType(op)
                    .setDomain(domain)
                    .addInput("x")
                    .addOutput("extra"))
            .build());
  }

  private static ModelProto externalLayerNorm(ModelProto m) {
    TensorProto t = initializer(m, "embeddings.LayerNorm.bias");
    return replaceInitializer(
        m,
        t.getName(),
        t.toBuilder()
            .clearRawData()
            .setDataLocation(TensorProto.DataLocation.EXTERNAL)
            .addExternalData(
                StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))
            .build());
  }

  /**
   * Renames the bias of layer 0's query projection and the MatMul node, hiding the weight's layer.
   */
  private static ModelProto orphanFirstMatMul(ModelProto m) {
    ModelProto renamed = renameEverywhere(m, "encoder.layer.0.attention.self.query.bias", "b0");
    GraphProto.Builder g = renamed.getGraph().toBuilder();
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getName().equals("/encoder/layer.0/attention/self/query/MatMul")) {
        g.setNode(i, g.getNode(i).toBuilder().setName("mm"));
      }
    }
    return withGraph(m, g.build());
  }

  /** Replaces a substring in every initializer name and node input. */
  private static ModelProto renameEverywhere(ModelProto m, String from, String to) {
    GraphProto.Builder g = m.getGraph().toBuilder();
    for (int i = 0; i < g.getInitializerCount(); i++) {
      TensorProto t = g.getInitializer(i);
      g.setInitializer(i, t.toBuilder().setName(t.getName().replace(from, to)));
    }
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto.Builder n = g.getNode(i).toBuilder();
      List<String> inputs = new ArrayList<>(n.getInputList());
      n.clearInput();
      inputs.forEach(in -> n.addInput(in.replace(from, to)));
      g.setNode(i, n);
    }
    return withGraph(m, g.build());
  }

  /** Sets the constant that divides the attention scores (sqrt(head_size) = sqrt(32) in MiniLM). */
  private static ModelProto setAttentionScale(ModelProto m, float scale) {
    GraphProto.Builder g = m.getGraph().toBuilder();
    List<String> scaleConstants = new ArrayList<>();
    for (NodeProto n : m.getGraph().getNodeList()) {
      if (n.getOpType().equals("Div")
          && n.getInput(0).endsWith("/attention/self/MatMul_output_0")) {
        scaleConstants.add(n.getInput(1));
      }
    }
    assertThat(scaleConstants).hasSize(6);
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(scale);
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto n = g.getNode(i);
      if (n.getOpType().equals("Constant") && scaleConstants.contains(n.getOutput(0))) {
        NodeProto.Builder nb = n.toBuilder();
        nb.setAttribute(
            0,
            nb.getAttribute(0).toBuilder()
                .setT(
                    nb.getAttribute(0).getT().toBuilder()
                        .setRawData(ByteString.copyFrom(b.array()))));
        g.setNode(i, nb);
      }
    }
    return withGraph(m, g.build());
  }
}
