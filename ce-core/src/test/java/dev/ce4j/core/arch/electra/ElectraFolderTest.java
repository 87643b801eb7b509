package dev.ce4j.core.arch.electra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.fingerprint.ModelFingerprint;
import dev.ce4j.core.io.DType;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.SafeTensors;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ELECTRA model folders in and out: a reference folder saved by {@code ce} and loaded again is the
 * same model bit for bit, with the config transformers wrote; F16 and BF16 copies load; a folder
 * without the classification head (such as an {@code ElectraForPreTraining} checkpoint) is refused
 * by {@link CrossEncoder#load} naming the missing tensor, and gets a seeded head from its stored
 * body; the pre-training head and old buffers are skipped; damaged configs are refused naming the
 * key.
 */
class ElectraFolderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Keys transformers 5 writes for every config class, which {@code ce} does not write. */
  private static final Set<String> GENERIC_KEYS = Set.of(
      "add_cross_attention", "bos_token_id", "eos_token_id", "dtype", "is_decoder", "tie_word_embeddings",
      "transformers_version");

  @TempDir Path dir;

  static CrossEncoderOptions cpu() {
    return CrossEncoderOptions.defaults().withDevice("cpu");
  }

  /** A copy of a reference folder, which the test may damage. */
  Path copy(String name, String as) throws IOException {
    Path from = ElectraReference.of(name).folder;
    Path to = Files.createDirectories(dir.resolve(as));
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void saveThenLoadIsTheSameModelBitForBit(String name) throws IOException {
    ElectraReference ref = ElectraReference.of(name);
    Path saved = dir.resolve("saved");
    double[][] before;
    ModelConfig config;
    try (CrossEncoder model = CrossEncoder.load(ref.folder, cpu())) {
      before = model.predict(ref.textPairs(), 4, false);
      config = model.config();
      assertThat(ModelFingerprint.of(model.weights())).isEqualTo(ModelFingerprint.ofFolder(ref.folder));
      model.save(saved);
    }
    assertThat(ModelFingerprint.ofFolder(saved)).isEqualTo(ModelFingerprint.ofFolder(ref.folder));
    assertThat(ModelFolder.readConfig(saved)).isEqualTo(config);
    try (CrossEncoder again = CrossEncoder.load(saved, cpu())) {
      assertThat(again.predict(ref.textPairs(), 4, false)).isDeepEqualTo(before);
    }

    // the config transformers wrote, key for key (but the keys every transformers 5 config has)
    JsonNode written = JSON.readTree(saved.resolve(ModelFolder.CONFIG).toFile());
    JsonNode original = JSON.readTree(ref.folder.resolve(ModelFolder.CONFIG).toFile());
    original.properties().forEach(e -> {
      if (!GENERIC_KEYS.contains(e.getKey())) {
        assertThat(written.has(e.getKey())).as("saved config.json has %s", e.getKey()).isTrue();
        JsonNode w = written.get(e.getKey());
        if (e.getValue().isNumber()) {
          assertThat(w.asDouble()).as(e.getKey()).isEqualTo(e.getValue().asDouble());
        } else {
          assertThat(w).as(e.getKey()).isEqualTo(e.getValue());
        }
      }
    });
    assertThat(written.get("model_type").asText()).isEqualTo("electra");
    assertThat(written.get("position_embedding_type").asText()).isEqualTo("absolute");
    // the tokenizer's files travel with the model
    assertThat(JSON.readTree(saved.resolve(ModelFolder.TOKENIZER_CONFIG).toFile()))
        .isEqualTo(JSON.readTree(ref.folder.resolve(ModelFolder.TOKENIZER_CONFIG).toFile()));
    assertThat(saved.resolve(ModelFolder.TOKENIZER)).hasSameBinaryContentAs(ref.folder.resolve(ModelFolder.TOKENIZER));
  }

  @Test
  void withoutATokenizerConfigElectrasTokenizerClassIsWritten() throws IOException {
    ElectraReference ref = ElectraReference.of(ElectraReference.PROJECTED);
    ModelFolder.Contents contents = ModelFolder.read(ref.folder);
    TokenizerFiles bare = new TokenizerFiles(contents.tokenizer().tokenizerJson(), null, null);
    try (CrossEncoder model = CrossEncoder.fromWeights(contents.config(), contents.weights(), bare, cpu())) {
      model.save(dir.resolve("m"));
    }
    JsonNode tc = JSON.readTree(dir.resolve("m").resolve(ModelFolder.TOKENIZER_CONFIG).toFile());
    // as transformers' ElectraTokenizer save_pretrained writes them (see the reference's file)
    JsonNode want = JSON.readTree(ref.folder.resolve(ModelFolder.TOKENIZER_CONFIG).toFile());
    assertThat(tc.get("tokenizer_class")).isEqualTo(want.get("tokenizer_class"));
    assertThat(tc.get("do_lower_case")).isEqualTo(want.get("do_lower_case"));
    assertThat(tc.get("model_max_length")).isEqualTo(want.get("model_max_length"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"F16", "BF16"})
  void halfPrecisionCopiesLoad(String type) throws IOException {
    DType dtype = DType.valueOf(type);
    ElectraReference ref = ElectraReference.of(ElectraReference.UNPROJECTED);
    Path half = copy(ref.name, "half");
    LinkedHashMap<String, FloatTensor> full = ModelFolder.read(ref.folder).weights();
    SafeTensors.write(half.resolve(ModelFolder.WEIGHTS), full, dtype, Map.of("format", "pt"));
    // relative spacing of the type's numbers: 2^-10 (F16), 2^-7 (BF16); rounding is half of it
    double ulp = dtype == DType.F16 ? 0x1p-10 : 0x1p-7;
    try (CrossEncoder model = CrossEncoder.load(half, cpu())) {
      model.weights().toHost().forEach((n, t) -> {
        float[] want = full.get(n).data();
        float[] got = t.data();
        for (int i = 0; i < got.length; i++) {
          // F16 has subnormals below 2^-14, spaced 2^-24
          double slack = Math.max(Math.abs(want[i]) * ulp / 2, dtype == DType.F16 ? 0x1p-25 : 0);
          assertThat((double) got[i]).as("%s %s[%d]", type, n, i).isCloseTo(want[i], within(slack));
        }
      });
      double[][] logits = model.predict(ref.textPairs(), 8, false);
      for (int i = 0; i < logits.length; i++) {
        double[] want = ElectraReference.doubles(ref.pairs().get(i).get("logits"));
        for (int j = 0; j < want.length; j++) {
          assertThat(logits[i][j]).as("%s pair %d", type, i).isCloseTo(want[j], within(dtype == DType.F16 ? 2e-3 : 3e-2));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void aFolderWithoutTheHeadIsRefusedNamingItAndGetsASeededHeadFromItsBody(String name) throws IOException {
    Path folder = copy(name, "headless");
    LinkedHashMap<String, FloatTensor> full = ModelFolder.read(folder).weights();
    LinkedHashMap<String, FloatTensor> body = new LinkedHashMap<>(full);
    body.keySet().removeIf(n -> n.startsWith("classifier."));
    assertThat(full.size() - body.size()).isEqualTo(4);
    SafeTensors.write(folder.resolve(ModelFolder.WEIGHTS), body, DType.F32, Map.of("format", "pt"));
    assertThatThrownBy(() -> CrossEncoder.load(folder, cpu()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(folder.resolve(ModelFolder.WEIGHTS) + ": tensor 'classifier.dense.weight' is missing"
            + " (and 3 more: classifier.dense.bias, classifier.out_proj.weight, classifier.out_proj.bias)");

    // what a training run does with such a folder: the stored body, a head from the seed
    ModelConfig config = ModelFolder.readConfig(folder);
    String a = seededHeadFingerprint(folder, config, 7);
    assertThat(seededHeadFingerprint(folder, config, 7)).isEqualTo(a);
    assertThat(seededHeadFingerprint(folder, config, 8)).isNotEqualTo(a);
  }

  /** The body stored in the folder plus the head tensors from the seed; checks what each holds. */
  private static String seededHeadFingerprint(Path folder, ModelConfig config, long seed) {
    LinkedHashMap<String, FloatTensor> stored = ModelFolder.readStoredWeights(folder, config.architecture());
    LinkedHashMap<String, FloatTensor> weights = new LinkedHashMap<>();
    for (String n : config.architecture().tensorShapes(config).keySet()) {
      boolean head = config.architecture().isHead(n);
      assertThat(stored.containsKey(n)).as(n).isNotEqualTo(head);
      weights.put(n, head ? WeightInit.initialTensor(config, n, seed) : stored.get(n));
    }
    try (CrossEncoder model = CrossEncoder.fromWeights(config, weights, TokenizerFiles.fromFolder(folder), cpu())) {
      double[][] scores = model.predict(ElectraReference.of(ElectraReference.UNPROJECTED).textPairs().subList(0, 3));
      for (double[] row : scores) {
        assertThat(row).hasSize(config.numLabels());
        for (double v : row) {
          assertThat(v).isFinite();
        }
      }
      return ModelFingerprint.of(model.weights());
    }
  }

  /**
   * A folder as {@code ElectraForPreTraining.save_pretrained} writes it (the body, the
   * replaced-token detector {@code discriminator_predictions.*}, an int64 {@code position_ids}
   * buffer as older transformers saved, no {@code id2label}): reading skips the detector and the
   * buffer, and loading it as a cross-encoder is refused naming the missing head.
   */
  @Test
  void anElectraForPreTrainingFolderKeepsItsBodyAndIsRefusedForWantOfAHead() throws IOException {
    Path folder = copy(ElectraReference.PROJECTED, "pretraining");
    LinkedHashMap<String, FloatTensor> body = ModelFolder.read(folder).weights();
    body.keySet().removeIf(n -> n.startsWith("classifier."));
    writeWithPretrainingExtras(folder, body, 32, 40);
    editConfig(folder, c -> {
      c.putArray("architectures").add("ElectraForPreTraining");
      c.remove("id2label");
      c.remove("label2id");
    });
    ModelConfig config = ModelFolder.readConfig(folder);
    assertThat(config.numLabels()).isEqualTo(2); // transformers' default
    assertThat(ModelFolder.readStoredWeights(folder, ElectraArchitecture.INSTANCE).keySet())
        .containsExactlyElementsOf(body.keySet());
    assertThatThrownBy(() -> CrossEncoder.load(folder, cpu()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tensor 'classifier.dense.weight' is missing");
  }

  @Test
  void aCompleteFolderThatAlsoCarriesThePretrainingHeadAndBuffersScoresTheSame() throws IOException {
    ElectraReference ref = ElectraReference.of(ElectraReference.PROJECTED);
    Path folder = copy(ref.name, "extras");
    writeWithPretrainingExtras(folder, ModelFolder.read(folder).weights(), 32, 40);
    try (CrossEncoder original = CrossEncoder.load(ref.folder, cpu());
        CrossEncoder extras = CrossEncoder.load(folder, cpu())) {
      assertThat(ModelFingerprint.of(extras.weights())).isEqualTo(ModelFingerprint.of(original.weights()));
      assertThat(extras.predict(ref.textPairs())).isDeepEqualTo(original.predict(ref.textPairs()));
    }
  }

  static Stream<Arguments> damagedConfigs() {
    return Stream.of(
        damaged("no embedding_size", c -> c.remove("embedding_size"), "required field \"embedding_size\" is missing"),
        damaged("no hidden_size", c -> c.remove("hidden_size"), "required field \"hidden_size\" is missing"),
        damaged("hidden_size as text", c -> c.put("hidden_size", "32"), "\"hidden_size\" must be an integer, got \"32\""),
        damaged("heads not dividing hidden_size", c -> c.put("num_attention_heads", 5),
            "hidden_size 32 is not a multiple of num_attention_heads 5"),
        damaged("relative positions", c -> c.put("position_embedding_type", "relative_key"),
            "unsupported position_embedding_type 'relative_key'; ce supports \"absolute\" only"),
        damaged("a decoder", c -> c.put("is_decoder", true), "\"is_decoder\" is true"),
        damaged("relu", c -> c.put("hidden_act", "relu"), "hidden_act 'relu' is not supported; only 'gelu'"),
        damaged("hidden_act not text", c -> c.put("hidden_act", 1), "\"hidden_act\" must be a string, got 1"),
        damaged("padding beyond the vocabulary", c -> c.put("pad_token_id", 269),
            "pad_token_id 269 is outside [0, vocab_size 269)"),
        damaged("classifier_dropout 1", c -> c.put("classifier_dropout", 1.0), "classifier_dropout must be in [0, 1), got 1.0"),
        damaged("layer_norm_eps as text", c -> c.put("layer_norm_eps", "tiny"), "\"layer_norm_eps\" must be a number"),
        damaged("embedding_size 0", c -> c.put("embedding_size", 0), "embedding_size must be at least 1, got 0"),
        damaged("embedding_size against the weights", c -> c.put("embedding_size", 32),
            "tensor 'electra.embeddings.word_embeddings.weight' has shape [269, 16] but config.json implies [269, 32]"),
        damaged("positions against the weights", c -> c.put("max_position_embeddings", 30),
            "tensor 'electra.embeddings.position_embeddings.weight' has shape [40, 16] but config.json implies [30, 16]"),
        damaged("a vocabulary the tokenizer does not fit", c -> c.put("vocab_size", 100), "vocab_size 100"),
        damaged("no model_type", c -> c.remove("model_type"), "no \"model_type\""));
  }

  private static Arguments damaged(String what, Consumer<ObjectNode> edit, String message) {
    return Arguments.of(what, edit, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedConfigs")
  void damagedConfigsAreRefusedNamingTheFileAndKey(String what, Consumer<ObjectNode> edit, String message)
      throws IOException {
    Path folder = copy(ElectraReference.PROJECTED, "damaged");
    editConfig(folder, edit);
    assertThatThrownBy(() -> CrossEncoder.load(folder, cpu()))
        .as(what)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(message)
        .hasMessageContaining(folder.toString());
  }

  @Test
  void aTypeVocabularyWithoutRowsForTheSecondTextIsRefused() throws IOException {
    ElectraReference ref = ElectraReference.of(ElectraReference.PROJECTED);
    ModelFolder.Contents contents = ModelFolder.read(ref.folder);
    ElectraConfig one = ((ElectraConfig) contents.config()).toBuilder().typeVocabSize(1).build();
    LinkedHashMap<String, FloatTensor> w = new LinkedHashMap<>(contents.weights());
    w.put("electra.embeddings.token_type_embeddings.weight",
        new FloatTensor(new long[] {1, 16}, java.util.Arrays.copyOf(
            w.get("electra.embeddings.token_type_embeddings.weight").data(), 16)));
    assertThatThrownBy(() -> CrossEncoder.fromWeights(one, w, contents.tokenizer(), cpu()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the tokenizer gives a pair's tokens type id 1")
        .hasMessageContaining("type_vocab_size 1");
  }

  static void editConfig(Path folder, Consumer<ObjectNode> edit) throws IOException {
    Path f = folder.resolve(ModelFolder.CONFIG);
    ObjectNode c = (ObjectNode) JSON.readTree(f.toFile());
    edit.accept(c);
    Files.writeString(f, JSON.writeValueAsString(c));
  }

  /**
   * Writes {@code weights} (F32) plus what an {@code ElectraForPreTraining} checkpoint adds: {@code
   * discriminator_predictions.dense} {@code [hidden, hidden]}, {@code
   * discriminator_predictions.dense_prediction} {@code [1, hidden]}, and the int64 buffers {@code
   * electra.embeddings.position_ids} {@code [1, positions]} and {@code token_type_ids}; the
   * safetensors file is written here by hand.
   */
  static void writeWithPretrainingExtras(Path folder, Map<String, FloatTensor> weights, int hidden, int positions)
      throws IOException {
    LinkedHashMap<String, FloatTensor> floats = new LinkedHashMap<>();
    floats.put("discriminator_predictions.dense.weight", ramp(new long[] {hidden, hidden}));
    floats.put("discriminator_predictions.dense.bias", ramp(new long[] {hidden}));
    floats.put("discriminator_predictions.dense_prediction.weight", ramp(new long[] {1, hidden}));
    floats.put("discriminator_predictions.dense_prediction.bias", ramp(new long[] {1}));
    floats.putAll(weights);
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, FloatTensor> e : floats.entrySet()) {
      offset = entry(header, e.getKey(), "F32", e.getValue().shape(), offset, 4L * e.getValue().data().length);
    }
    long[] positionIds = new long[positions];
    for (int i = 0; i < positions; i++) {
      positionIds[i] = i;
    }
    offset = entry(header, "electra.embeddings.position_ids", "I64", new long[] {1, positions}, offset, 8L * positions);
    offset = entry(header, "electra.embeddings.token_type_ids", "I64", new long[] {1, positions}, offset, 8L * positions);
    ByteBuffer data = ByteBuffer.allocate((int) offset).order(ByteOrder.LITTLE_ENDIAN);
    for (FloatTensor t : floats.values()) {
      for (float v : t.data()) {
        data.putFloat(v);
      }
    }
    for (long v : positionIds) {
      data.putLong(v);
    }
    for (int i = 0; i < positions; i++) {
      data.putLong(0);
    }
    byte[] h = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    ByteBuffer file = ByteBuffer.allocate(8 + h.length + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(h.length).put(h).put(data.array());
    Files.write(folder.resolve(ModelFolder.WEIGHTS), file.array());
  }

  private static long entry(ObjectNode header, String name, String dtype, long[] shape, long offset, long bytes) {
    ObjectNode t = header.putObject(name);
    t.put("dtype", dtype);
    ArrayNode s = t.putArray("shape");
    for (long d : shape) {
      s.add(d);
    }
    t.putArray("data_offsets").add(offset).add(offset + bytes);
    return offset + bytes;
  }

  private static FloatTensor ramp(long[] shape) {
    float[] d = new float[Math.toIntExact(FloatTensor.numel(shape))];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.sin(i) * 0.05f;
    }
    return new FloatTensor(shape, d);
  }
}
