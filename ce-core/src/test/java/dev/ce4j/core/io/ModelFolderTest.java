package dev.ce4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.TestModels;
import dev.ce4j.core.model.BertConfig;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ScoreActivation;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelFolderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  interface Damage {
    void apply(Path folder) throws IOException;
  }

  static Stream<Arguments> damagedFolders() {
    return Stream.of(
        Arguments.of(
            "config.json missing",
            (Damage) f -> Files.delete(f.resolve("config.json")),
            "config.json",
            new String[] {"file not found"}),
        Arguments.of(
            "model.safetensors missing",
            (Damage) f -> Files.delete(f.resolve("model.safetensors")),
            "model.safetensors",
            new String[] {"file not found"}),
        Arguments.of(
            "tokenizer.json missing",
            (Damage) f -> Files.delete(f.resolve("tokenizer.json")),
            "tokenizer.json",
            new String[] {"file not found"}),
        Arguments.of(
            "malformed config.json",
            (Damage)
                f -> Files.writeString(f.resolve("config.json"), "{\"model_type\": \"bert\", "),
            "config.json",
            new String[] {"malformed JSON", "line 1"}),
        Arguments.of(
            "config.json not an object",
            (Damage) f -> Files.writeString(f.resolve("config.json"), "[1, 2]"),
            "config.json",
            new String[] {"malformed JSON", "must be an object"}),
        Arguments.of(
            "unknown model_type",
            (Damage) f -> editConfig(f, c -> c.put("model_type", "xlm-roberta")),
            "config.json",
            new String[] {"unsupported model_type", "xlm-roberta"}),
        Arguments.of(
            "no model_type",
            (Damage) f -> editConfig(f, c -> c.remove("model_type")),
            "config.json",
            new String[] {"no \"model_type\""}),
        Arguments.of(
            "hidden_size not an integer",
            (Damage) f -> editConfig(f, c -> c.put("hidden_size", "abc")),
            "config.json",
            new String[] {"\"hidden_size\" must be an integer", "abc"}),
        Arguments.of(
            "required field missing",
            (Damage) f -> editConfig(f, c -> c.remove("vocab_size")),
            "config.json",
            new String[] {"\"vocab_size\" is missing"}),
        Arguments.of(
            "heads do not divide hidden size",
            (Damage) f -> editConfig(f, c -> c.put("num_attention_heads", 5)),
            "config.json",
            new String[] {"hidden_size 32", "num_attention_heads 5"}),
        Arguments.of(
            "unsupported hidden_act",
            (Damage) f -> editConfig(f, c -> c.put("hidden_act", "relu")),
            "config.json",
            new String[] {"hidden_act 'relu'"}),
        Arguments.of(
            "unknown activation function",
            (Damage)
                f ->
                    editConfig(
                        f,
                        c ->
                            ((ObjectNode) c.get("sentence_transformers"))
                                .put("activation_fn", "torch.nn.modules.activation.Softmax")),
            "config.json",
            new String[] {"unsupported activation function", "Softmax"}),
        Arguments.of(
            "bad id2label",
            (Damage) f -> editConfig(f, c -> ((ObjectNode) c.get("id2label")).put("one", "x")),
            "config.json",
            new String[] {"id2label", "'one'"}),
        Arguments.of(
            "tensor missing",
            (Damage) f -> editWeights(f, w -> w.remove("classifier.bias")),
            "model.safetensors",
            new String[] {"'classifier.bias' is missing"}),
        Arguments.of(
            "several tensors missing",
            (Damage) f -> editWeights(f, w -> w.keySet().removeIf(n -> n.contains("layer.1."))),
            "model.safetensors",
            new String[] {
              "'bert.encoder.layer.1.attention.self.query.weight' is missing", "and 15 more"
            }),
        Arguments.of(
            "extra tensor",
            (Damage)
                f ->
                    editWeights(
                        f,
                        w ->
                            w.put(
                                "classifier.extra", new FloatTensor(new long[] {2}, new float[2]))),
            "model.safetensors",
            new String[] {"unexpected tensor 'classifier.extra'"}),
        Arguments.of(
            "tensor of the wrong shape",
            (Damage)
                f ->
                    editWeights(
                        f,
                        w ->
                            w.put(
                                "classifier.weight",
                                new FloatTensor(new long[] {2, 32}, new float[64]))),
            "model.safetensors",
            new String[] {"'classifier.weight' has shape [2, 32]", "implies [1, 32]"}),
        Arguments.of(
            "truncated data",
            (Damage) f -> truncate(f.resolve("model.safetensors"), 1000),
            "model.safetensors",
            new String[] {"truncated", "only"}),
        Arguments.of(
            "truncated inside the header",
            (Damage) f -> truncateTo(f.resolve("model.safetensors"), 100),
            "model.safetensors",
            new String[] {"truncated", "header announces"}),
        Arguments.of(
            "shorter than the length prefix",
            (Damage) f -> truncateTo(f.resolve("model.safetensors"), 5),
            "model.safetensors",
            new String[] {"truncated", "5 bytes"}),
        Arguments.of(
            "header points outside the file",
            (Damage)
                f ->
                    editHeader(
                        f, h -> shiftOffsets((ObjectNode) h.get("classifier.bias"), 1_000_000)),
            "model.safetensors",
            new String[] {"'classifier.bias'", "pointing outside the file"}),
        Arguments.of(
            "offsets disagree with the shape",
            (Damage)
                f ->
                    editHeader(
                        f, h -> ((ArrayNode) h.get("classifier.bias").get("shape")).set(0, 3)),
            "model.safetensors",
            new String[] {"'classifier.bias'", "needs 12 bytes"}),
        Arguments.of(
            "unknown dtype",
            (Damage)
                f -> editHeader(f, h -> ((ObjectNode) h.get("classifier.bias")).put("dtype", "Q4")),
            "model.safetensors",
            new String[] {"unknown dtype 'Q4'"}),
        Arguments.of(
            "not a safetensors file",
            (Damage)
                f ->
                    Files.writeString(
                        f.resolve("model.safetensors"), "this is not a safetensors file"),
            "model.safetensors",
            new String[] {"not a safetensors file"}),
        Arguments.of(
            "header is not JSON",
            (Damage)
                f -> Files.write(f.resolve("model.safetensors"), withHeader("{oops", new byte[0])),
            "model.safetensors",
            new String[] {"malformed safetensors header"}),
        Arguments.of(
            "pickle weights only",
            (Damage)
                f -> {
                  Files.delete(f.resolve("model.safetensors"));
                  Files.write(f.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
                },
            "pytorch_model.bin",
            new String[] {"never loads", "safe_serialization=True", "save_pretrained"}),
        Arguments.of(
            "malformed tokenizer_config.json",
            (Damage)
                f -> {
                  editConfig(
                      f, c -> ((ObjectNode) c.get("sentence_transformers")).remove("max_length"));
                  Files.writeString(f.resolve("tokenizer_config.json"), "{");
                },
            "tokenizer_config.json",
            new String[] {"malformed JSON"}),
        Arguments.of(
            "malformed config_sentence_transformers.json",
            (Damage) f -> Files.writeString(f.resolve("config_sentence_transformers.json"), "{"),
            "config_sentence_transformers.json",
            new String[] {"malformed JSON"}),
        Arguments.of(
            "unsupported activation in config_sentence_transformers.json",
            (Damage)
                f ->
                    Files.writeString(
                        f.resolve("config_sentence_transformers.json"),
                        "{\"activation_fn\": \"torch.nn.modules.activation.ReLU\"}"),
            "config_sentence_transformers.json",
            new String[] {"unsupported activation function", "ReLU", "Sigmoid"}),
        Arguments.of(
            "activation in config_sentence_transformers.json not a string",
            (Damage)
                f ->
                    Files.writeString(
                        f.resolve("config_sentence_transformers.json"), "{\"activation_fn\": 3}"),
            "config_sentence_transformers.json",
            new String[] {"\"activation_fn\" must be a string"}),
        Arguments.of(
            "bad max_seq_length in sentence_bert_config.json",
            (Damage)
                f -> {
                  editConfig(
                      f, c -> ((ObjectNode) c.get("sentence_transformers")).remove("max_length"));
                  Files.writeString(
                      f.resolve("sentence_bert_config.json"), "{\"max_seq_length\": \"long\"}");
                },
            "sentence_bert_config.json",
            new String[] {"\"max_seq_length\" must be an integer"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedFolders")
  void damagedFolderIsReportedClearly(String name, Damage damage, String file, String[] fragments)
      throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 1);
    damage.apply(folder);
    assertThatThrownBy(() -> ModelFolder.read(folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(folder.resolve(file).toString())
        .hasMessageContainingAll(fragments);
  }

  @Test
  void missingFolderIsReported() {
    Path nowhere = dir.resolve("nowhere");
    assertThatThrownBy(() -> ModelFolder.read(nowhere))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(nowhere.toString())
        .hasMessageContaining("no such model folder");
  }

  @Test
  void writtenFolderReadsBackIdentically() throws IOException {
    BertConfig config = TestModels.tiny(3);
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), config, 5);
    assertThat(folder.resolve("tokenizer_config.json")).exists();
    assertThat(Files.list(folder).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder(
            "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json");
    ModelFolder.Contents c = ModelFolder.read(folder);
    assertThat(c.config()).isEqualTo(config);
    assertThat(c.weights()).isEqualTo(WeightInit.initialWeights(config, 5));
    assertThat(c.tokenizer().tokenizerJson()).isEqualTo(TestModels.minilmTokenizerBytes());
    assertThat(SafeTensors.readHeader(folder.resolve("model.safetensors")).metadata())
        .containsEntry("format", "pt");
  }

  @Test
  void acceptsGammaBetaNamesAndIgnoresPositionIds() throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 2);
    LinkedHashMap<String, FloatTensor> expected = ModelFolder.read(folder).weights();
    editWeights(
        folder,
        w -> {
          LinkedHashMap<String, FloatTensor> renamed = new LinkedHashMap<>();
          w.forEach(
              (n, t) ->
                  renamed.put(
                      n.replace("LayerNorm.weight", "LayerNorm.gamma")
                          .replace("LayerNorm.bias", "LayerNorm.beta"),
                      t));
          renamed.put(
              "bert.embeddings.position_ids", new FloatTensor(new long[] {1, 128}, new float[128]));
          w.clear();
          w.putAll(renamed);
        });
    assertThat(
            new String(
                Files.readAllBytes(folder.resolve("model.safetensors")),
                StandardCharsets.ISO_8859_1))
        .contains("LayerNorm.gamma");
    assertThat(ModelFolder.read(folder).weights()).isEqualTo(expected);
  }

  @Test
  void readsBf16AndF16Weights() throws IOException {
    BertConfig config = TestModels.tiny();
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), config, 3);
    LinkedHashMap<String, FloatTensor> f32 = ModelFolder.read(folder).weights();
    for (DType dtype : new DType[] {DType.BF16, DType.F16}) {
      SafeTensors.write(folder.resolve("model.safetensors"), f32, dtype, Map.of("format", "pt"));
      LinkedHashMap<String, FloatTensor> loaded = ModelFolder.read(folder).weights();
      for (Map.Entry<String, FloatTensor> e : f32.entrySet()) {
        float[] src = e.getValue().data();
        float[] got = loaded.get(e.getKey()).data();
        for (int i = 0; i < src.length; i++) {
          float rounded =
              dtype == DType.BF16
                  ? HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(src[i]))
                  : HalfFloats.f16ToFloat(HalfFloats.floatToF16(src[i]));
          if (got[i] != rounded) {
            throw new AssertionError(
                dtype + " " + e.getKey() + "[" + i + "]: " + got[i] + " != " + rounded);
          }
        }
      }
    }
  }

  @Test
  void maxLengthComesFromTokenizerConfigWhenConfigHasNone() throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 1);
    editConfig(folder, c -> ((ObjectNode) c.get("sentence_transformers")).remove("max_length"));
    Files.writeString(folder.resolve("tokenizer_config.json"), "{\"model_max_length\": 40}");
    assertThat(ModelFolder.readConfig(folder).maxLength()).isEqualTo(40);
    // transformers' "no limit" value, and a limit above the position table, fall back / are capped
    Files.writeString(
        folder.resolve("tokenizer_config.json"),
        "{\"model_max_length\": 1000000000000000019884624838656}");
    assertThat(ModelFolder.readConfig(folder).maxLength()).isEqualTo(128);
    Files.writeString(folder.resolve("tokenizer_config.json"), "{\"model_max_length\": 512}");
    assertThat(ModelFolder.readConfig(folder).maxLength()).isEqualTo(128);
    Files.delete(folder.resolve("tokenizer_config.json"));
    assertThat(ModelFolder.readConfig(folder).maxLength()).isEqualTo(128);
  }

  @Test
  void settingsOfSentenceTransformers5AndLaterAreRead() throws IOException {
    // sentence-transformers 5+ keeps the activation in config_sentence_transformers.json and
    // writes no "sentence_transformers" block into config.json (see interop/st-saved for real ones)
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 1);
    editConfig(folder, c -> c.remove("sentence_transformers"));
    assertThat(ModelFolder.readConfig(folder).activation()).isEqualTo(ScoreActivation.SIGMOID);
    Files.writeString(
        folder.resolve("config_sentence_transformers.json"),
        "{\"model_type\": \"CrossEncoder\", \"activation_fn\":"
            + " \"torch.nn.modules.linear.Identity\"}");
    assertThat(ModelFolder.readConfig(folder).activation()).isEqualTo(ScoreActivation.IDENTITY);
    // a module's max_seq_length comes before the tokenizer's model_max_length
    Files.writeString(folder.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 48}");
    assertThat(ModelFolder.readConfig(folder).maxLength()).isEqualTo(48);
    // a bi-encoder's file without activation_fn changes nothing
    Files.writeString(
        folder.resolve("config_sentence_transformers.json"),
        "{\"model_type\": \"SentenceTransformer\"}");
    assertThat(ModelFolder.readConfig(folder).activation()).isEqualTo(ScoreActivation.SIGMOID);
  }

  @Test
  void savingOverASentenceTransformersFolderKeepsItsFilesConsistent() throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 1);
    Files.writeString(
        folder.resolve("config_sentence_transformers.json"),
        "{\"model_type\": \"CrossEncoder\", \"prompts\": {},"
            + " \"activation_fn\": \"torch.nn.modules.linear.Identity\"}");
    Files.writeString(
        folder.resolve("sentence_bert_config.json"),
        "{\"max_seq_length\": 48, \"transformer_task\": \"sequence-classification\"}");
    BertConfig tanh =
        TestModels.tiny().toBuilder().activation(ScoreActivation.TANH).maxLength(40).build();
    ModelFolder.write(
        folder,
        tanh,
        WeightInit.initialWeights(tanh, 1),
        new TokenizerFiles(TestModels.minilmTokenizerBytes(), null, null));
    var st = JSON.readTree(folder.resolve("config_sentence_transformers.json").toFile());
    assertThat(st.get("activation_fn").asText()).isEqualTo("torch.nn.modules.activation.Tanh");
    assertThat(st.get("model_type").asText()).isEqualTo("CrossEncoder");
    assertThat(st.has("prompts")).isTrue();
    var module = JSON.readTree(folder.resolve("sentence_bert_config.json").toFile());
    assertThat(module.get("max_seq_length").asInt()).isEqualTo(40);
    assertThat(module.get("transformer_task").asText()).isEqualTo("sequence-classification");
    BertConfig read = ModelFolder.readConfig(folder);
    assertThat(read.activation()).isEqualTo(ScoreActivation.TANH);
    assertThat(read.maxLength()).isEqualTo(40);
  }

  @Test
  void writtenTokenizerConfigCarriesMaxLengthAndCasing() throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 1);
    var node = JSON.readTree(folder.resolve("tokenizer_config.json").toFile());
    assertThat(node.get("model_max_length").asInt()).isEqualTo(64);
    assertThat(node.get("do_lower_case").asBoolean()).isTrue();
    assertThat(node.get("tokenizer_class").asText()).isEqualTo("BertTokenizer");
  }

  @Test
  void writeLeavesNoTemporaryFiles() throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 1);
    TestModels.writeTinyFolder(folder, TestModels.tiny(), 2); // overwrite in place
    try (Stream<Path> s = Files.list(folder)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    assertThat(ModelFolder.read(folder).weights())
        .isEqualTo(WeightInit.initialWeights(TestModels.tiny(), 2));
  }

  // ---- helpers that damage a folder ----

  static void editConfig(Path folder, Consumer<ObjectNode> edit) throws IOException {
    Path f = folder.resolve("config.json");
    ObjectNode c = (ObjectNode) JSON.readTree(f.toFile());
    edit.accept(c);
    Files.writeString(f, JSON.writeValueAsString(c));
  }

  static void editWeights(Path folder, Consumer<LinkedHashMap<String, FloatTensor>> edit)
      throws IOException {
    Path f = folder.resolve("model.safetensors");
    LinkedHashMap<String, FloatTensor> w = SafeTensors.readFloats(f, n -> true);
    edit.accept(w);
    SafeTensors.write(f, w, DType.F32, Map.of("format", "pt"));
  }

  static void editHeader(Path folder, Consumer<ObjectNode> edit) throws IOException {
    Path f = folder.resolve("model.safetensors");
    byte[] all = Files.readAllBytes(f);
    long len = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header =
        (ObjectNode) JSON.readTree(new String(all, 8, (int) len, StandardCharsets.UTF_8));
    edit.accept(header);
    byte[] data = Arrays.copyOfRange(all, 8 + (int) len, all.length);
    Files.write(f, withHeader(JSON.writeValueAsString(header), data));
  }

  static byte[] withHeader(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.putLong(h.length).put(h).put(data).array();
  }

  static void shiftOffsets(ObjectNode tensor, long by) {
    ArrayNode o = (ArrayNode) tensor.get("data_offsets");
    o.set(0, o.get(0).asLong() + by);
    o.set(1, o.get(1).asLong() + by);
  }

  static void truncate(Path file, int bytes) throws IOException {
    truncateTo(file, (int) Files.size(file) - bytes);
  }

  static void truncateTo(Path file, int size) throws IOException {
    byte[] all = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(all, size));
  }
}
