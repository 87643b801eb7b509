package dev.ce4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.TestModels;
import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.bert.BertArchitecture;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ScoreActivation;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
            (Damage) f -> editConfig(f, c -> c.put("model_type", "gpt2")),
            "config.json",
            new String[] {"unsupported model_type", "gpt2"}),
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
            new String[] {"\"max_seq_length\" must be an integer"}),
        // values that are not finite numbers, in each stored type
        Arguments.of(
            "NaN in an F32 tensor",
            (Damage) f -> patchElement(f, "classifier.weight", 5, f32(Float.NaN)),
            "model.safetensors",
            new String[] {"tensor 'classifier.weight' holds NaN at index [0, 5]", "not finite"}),
        Arguments.of(
            "infinity in an F32 matrix, with more",
            (Damage)
                f -> {
                  // row 1, column 6 of a [32, 64] matrix is flat index 70
                  patchElement(f, "bert.encoder.layer.1.output.dense.weight", 70, f32(-1f / 0f));
                  patchElement(f, "bert.encoder.layer.1.output.dense.weight", 100, f32(0f / 0f));
                },
            "model.safetensors",
            new String[] {
              "'bert.encoder.layer.1.output.dense.weight' holds -Infinity at index [1, 6]",
              "(and 1 more non-finite values)"
            }),
        Arguments.of(
            "NaN in a BF16 tensor",
            (Damage)
                f -> {
                  storeAs(f, DType.BF16);
                  patchElement(f, "bert.pooler.dense.bias", 3, bits16(0x7fc1));
                },
            "model.safetensors",
            new String[] {"'bert.pooler.dense.bias' holds NaN at index [3]"}),
        Arguments.of(
            "infinity in a BF16 tensor",
            (Damage)
                f -> {
                  storeAs(f, DType.BF16);
                  patchElement(f, "bert.embeddings.LayerNorm.weight", 0, bits16(0x7f80));
                },
            "model.safetensors",
            new String[] {"'bert.embeddings.LayerNorm.weight' holds Infinity at index [0]"}),
        Arguments.of(
            "infinity in an F16 tensor",
            (Damage)
                f -> {
                  storeAs(f, DType.F16);
                  patchElement(f, "classifier.bias", 0, bits16(0xfc00));
                },
            "model.safetensors",
            new String[] {"'classifier.bias' holds -Infinity at index [0]"}),
        Arguments.of(
            "NaN in an F16 tensor",
            (Damage)
                f -> {
                  storeAs(f, DType.F16);
                  // word embedding row 2, column 31: flat index 2 * 32 + 31
                  patchElement(f, "bert.embeddings.word_embeddings.weight", 95, bits16(0x7e00));
                },
            "model.safetensors",
            new String[] {"'bert.embeddings.word_embeddings.weight' holds NaN at index [2, 31]"}),
        Arguments.of(
            "an F64 value beyond the float range",
            (Damage) f -> storeAsF64(f, "classifier.bias", 1e300),
            "model.safetensors",
            new String[] {"'classifier.bias' holds Infinity at index [0]"}),
        Arguments.of(
            "non-finite value under an old LayerNorm name",
            (Damage)
                f ->
                    editWeights(
                        f,
                        w -> {
                          FloatTensor t = w.remove("bert.embeddings.LayerNorm.bias");
                          t.data()[7] = Float.NaN;
                          w.put("bert.embeddings.LayerNorm.beta", t);
                        }),
            "model.safetensors",
            new String[] {"'bert.embeddings.LayerNorm.beta' holds NaN at index [7]"}),
        // files that are not regular files, or are empty
        Arguments.of(
            "model.safetensors a FIFO",
            (Damage) f -> replaceWithFifo(f.resolve("model.safetensors")),
            "model.safetensors",
            new String[] {"not a regular file", "named pipe (FIFO)"}),
        Arguments.of(
            "config.json a FIFO",
            (Damage) f -> replaceWithFifo(f.resolve("config.json")),
            "config.json",
            new String[] {"not a regular file", "named pipe (FIFO)"}),
        Arguments.of(
            "tokenizer.json a FIFO",
            (Damage) f -> replaceWithFifo(f.resolve("tokenizer.json")),
            "tokenizer.json",
            new String[] {"not a regular file", "named pipe (FIFO)"}),
        Arguments.of(
            "tokenizer_config.json a FIFO",
            (Damage) f -> replaceWithFifo(f.resolve("tokenizer_config.json")),
            "tokenizer_config.json",
            new String[] {"not a regular file", "named pipe (FIFO)"}),
        Arguments.of(
            "config_sentence_transformers.json a FIFO",
            (Damage) f -> replaceWithFifo(f.resolve("config_sentence_transformers.json")),
            "config_sentence_transformers.json",
            new String[] {"not a regular file", "named pipe (FIFO)"}),
        Arguments.of(
            "model.safetensors a directory",
            (Damage)
                f -> {
                  Files.delete(f.resolve("model.safetensors"));
                  Files.createDirectory(f.resolve("model.safetensors"));
                },
            "model.safetensors",
            new String[] {"is a directory, not a file"}),
        Arguments.of(
            "model.safetensors a link to a missing file",
            (Damage)
                f -> {
                  Files.delete(f.resolve("model.safetensors"));
                  Files.createSymbolicLink(f.resolve("model.safetensors"), f.resolve("gone"));
                },
            "model.safetensors",
            new String[] {"broken symbolic link", "gone", "does not exist"}),
        Arguments.of(
            "config.json a link to a missing file",
            (Damage)
                f -> {
                  Files.delete(f.resolve("config.json"));
                  Files.createSymbolicLink(f.resolve("config.json"), Path.of("elsewhere.json"));
                },
            "config.json",
            new String[] {"broken symbolic link to 'elsewhere.json'"}),
        Arguments.of(
            "model.safetensors empty",
            (Damage) f -> Files.write(f.resolve("model.safetensors"), new byte[0]),
            "model.safetensors",
            new String[] {"file is empty (0 bytes)"}),
        Arguments.of(
            "config.json empty",
            (Damage) f -> Files.write(f.resolve("config.json"), new byte[0]),
            "config.json",
            new String[] {"file is empty (0 bytes)"}),
        Arguments.of(
            "tokenizer.json empty",
            (Damage) f -> Files.write(f.resolve("tokenizer.json"), new byte[0]),
            "tokenizer.json",
            new String[] {"file is empty (0 bytes)"}),
        Arguments.of(
            "config.json not UTF-8",
            (Damage) f -> Files.write(f.resolve("config.json"), new byte[] {'{', (byte) 0xff, '}'}),
            "config.json",
            new String[] {"not UTF-8 text"}),
        // a tokenizer that does not fit the embedding
        Arguments.of(
            "tokenizer ids beyond vocab_size",
            (Damage) f -> editConfig(f, c -> c.put("vocab_size", 30000)),
            "tokenizer.json",
            // the MiniLM vocabulary has 30522 entries, ids 0 to 30521
            new String[] {
              "token id 30521",
              "does not fit " + f("config.json"),
              "vocab_size 30000 gives ids 0 to 29999",
              "at least 30522"
            }),
        Arguments.of(
            "an added token beyond vocab_size",
            (Damage)
                f -> {
                  ObjectNode tok = (ObjectNode) JSON.readTree(f.resolve("tokenizer.json").toFile());
                  ((ArrayNode) tok.get("added_tokens"))
                      .addObject()
                      .put("id", 40000)
                      .put("content", "[NEW]")
                      .put("special", true);
                  Files.writeString(f.resolve("tokenizer.json"), JSON.writeValueAsString(tok));
                },
            "tokenizer.json",
            new String[] {"token id 40000 ('[NEW]' in added_tokens)", "vocab_size 30522"}),
        Arguments.of(
            "malformed tokenizer.json",
            (Damage)
                f -> Files.writeString(f.resolve("tokenizer.json"), "{\"version\": \"1.0\",\n {"),
            "tokenizer.json",
            new String[] {"not a valid Hugging Face tokenizer.json", "line 2, column"}),
        // config.json sizes and fields
        Arguments.of(
            "a tensor too large for one array",
            (Damage) f -> editConfig(f, c -> c.put("vocab_size", 2_000_000_000)),
            "config.json",
            new String[] {
              "vocab_size 2000000000 x hidden_size 32 = 64000000000 values in the word embedding"
            }),
        Arguments.of(
            "an integer beyond 32 bits",
            (Damage) f -> editConfig(f, c -> c.put("hidden_size", 3_000_000_000L)),
            "config.json",
            new String[] {"\"hidden_size\" is 3000000000, outside the integers"}),
        Arguments.of(
            "a fractional size",
            (Damage) f -> editConfig(f, c -> c.put("hidden_size", 32.5)),
            "config.json",
            new String[] {"\"hidden_size\" must be an integer, got 32.5"}),
        Arguments.of(
            "too many layers",
            (Damage) f -> editConfig(f, c -> c.put("num_hidden_layers", 2_000_000_000)),
            "config.json",
            new String[] {"num_hidden_layers 2000000000 is more than ce supports (at most 1024)"}),
        Arguments.of(
            "num_labels disagrees with id2label",
            (Damage) f -> editConfig(f, c -> c.put("num_labels", 3)),
            "config.json",
            new String[] {"\"num_labels\" is 3 but \"id2label\" names 1 label"}),
        Arguments.of(
            "a max_length below 4",
            (Damage)
                f ->
                    editConfig(
                        f,
                        c -> ((ObjectNode) c.get("sentence_transformers")).put("max_length", -5)),
            "config.json",
            new String[] {"{\"max_length\"} must be at least 4", "got -5"}),
        Arguments.of(
            "a label name that is not a name",
            (Damage) f -> editConfig(f, c -> ((ObjectNode) c.get("id2label")).putObject("0")),
            "config.json",
            new String[] {"\"id2label\" must map each id to a label name, but '0' maps to {}"}),
        Arguments.of(
            "a model too large for the heap",
            (Damage)
                f ->
                    editConfig(
                        f,
                        c -> {
                          // 1024 layers of hidden 4096: over 200e9 weights, 800 GB
                          c.put("num_hidden_layers", 1024);
                          c.put("hidden_size", 4096);
                          c.put("intermediate_size", 16384);
                        }),
            "config.json",
            new String[] {"weights", "MiB as float32, more than the", "MiB this Java VM may use"}));
  }

  /** A file of the test folder as the messages name it, filled in by the test. */
  private static String f(String name) {
    return "\u0000" + name;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedFolders")
  void damagedFolderIsReportedClearly(String name, Damage damage, String file, String[] fragments)
      throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 1);
    Files.writeString(
        folder.resolve("config_sentence_transformers.json"),
        "{\"activation_fn\": \"torch.nn.modules.activation.Sigmoid\"}");
    damage.apply(folder);
    String[] expected =
        Arrays.stream(fragments)
            .map(x -> x.replace("\u0000", folder.toString() + java.io.File.separator))
            .toArray(String[]::new);
    // a FIFO must be refused, not opened: opening one blocks until a writer comes
    Throwable thrown =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> catchThrowable(() -> ModelFolder.read(folder)));
    assertThat(thrown)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(folder.resolve(file).toString())
        .hasMessageContainingAll(expected)
        .hasMessageNotContaining("Source:")
        .hasMessageNotContaining("REDACTED");
  }

  @Test
  void jacksonInternalsNeverReachTheMessage() throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 1);
    // an object left open: Jackson's own message names "[Source: REDACTED ...; line: 1, column:
    // 24]"
    Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"bert\", \"id2label\": {");
    assertThatThrownBy(() -> ModelFolder.read(folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(
            folder.resolve("config.json") + ": malformed JSON at line 1, column")
        .hasMessageContaining("Unexpected end-of-input")
        .hasMessageContaining("start marker at line 1, column")
        .hasMessageNotContaining("Source")
        .hasMessageNotContaining("REDACTED")
        .hasMessageNotContaining("StreamReadFeature");
  }

  @Test
  void storedWeightsAreReadWithoutAConfigButChecked() throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 4);
    LinkedHashMap<String, FloatTensor> complete = ModelFolder.read(folder).weights();
    editWeights(
        folder,
        w -> {
          w.remove("classifier.weight");
          w.remove("classifier.bias");
          w.put("bert.embeddings.LayerNorm.gamma", w.remove("bert.embeddings.LayerNorm.weight"));
          w.put(
              "bert.embeddings.position_ids", new FloatTensor(new long[] {1, 128}, new float[128]));
        });
    LinkedHashMap<String, FloatTensor> stored = ModelFolder.readStoredWeights(folder, BertArchitecture.INSTANCE);
    assertThat(stored).hasSize(complete.size() - 2).doesNotContainKey("classifier.weight");
    assertThat(stored.get("bert.embeddings.LayerNorm.weight"))
        .isEqualTo(complete.get("bert.embeddings.LayerNorm.weight"));
    assertThat(stored).doesNotContainKey("bert.embeddings.position_ids");

    patchElement(folder, "bert.pooler.dense.weight", 33, f32(Float.POSITIVE_INFINITY));
    assertThatThrownBy(() -> ModelFolder.readStoredWeights(folder, BertArchitecture.INSTANCE))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(folder.resolve("model.safetensors").toString())
        .hasMessageContaining("'bert.pooler.dense.weight' holds Infinity at index [1, 1]");
  }

  @Test
  void finiteExtremesAreAccepted() throws IOException {
    // the largest and smallest finite values of each type are weights, not damage
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 4);
    patchElement(folder, "classifier.weight", 0, f32(Float.MAX_VALUE));
    patchElement(folder, "classifier.weight", 1, f32(-Float.MAX_VALUE));
    patchElement(folder, "classifier.weight", 2, f32(Float.MIN_VALUE));
    assertThat(ModelFolder.read(folder).weights().get("classifier.weight").data())
        .startsWith(Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE);
    Path half = TestModels.writeTinyFolder(dir.resolve("half"), TestModels.tiny(), 4);
    storeAs(half, DType.F16);
    patchElement(half, "classifier.bias", 0, bits16(0x7bff)); // 65504, the largest F16
    assertThat(ModelFolder.read(half).weights().get("classifier.bias").data())
        .containsExactly(65504f);
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
  void aFileGivenAsTheFolderIsNamedAsSuch() throws IOException {
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), TestModels.tiny(), 1);
    Path weights = folder.resolve("model.safetensors");
    assertThatThrownBy(() -> ModelFolder.read(weights))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(weights + ": not a folder; a model is a folder holding")
        .hasMessageContaining("give the folder, not one of its files");
  }

  @Test
  void writtenFolderReadsBackIdentically() throws IOException {
    BertConfig config = TestModels.tiny(3);
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), config, 5);
    assertThat(folder.resolve("tokenizer_config.json")).exists();
    assertThat(Files.list(folder).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder(
            "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
            "config_sentence_transformers.json", "modules.json", "sentence_bert_config.json", "README.md");
    ModelFolder.Contents c = ModelFolder.read(folder);
    assertThat(c.config()).isEqualTo(config);
    assertThat(c.weights()).isEqualTo(WeightInit.initialWeights(config, 5));
    // the export's fixed truncation and padding are cleared, the rest is the tokenizer as it was
    assertThat(c.tokenizer().tokenizerJson())
        .isEqualTo(SentenceTransformersFiles.cleanTokenizer(TestModels.minilmTokenizerBytes(), "tokenizer.json"))
        .isNotEqualTo(TestModels.minilmTokenizerBytes());
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
    ModelConfig read = ModelFolder.readConfig(folder);
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

  @Test
  void weightsThatLoadWouldRefuseAreNeverWritten() throws IOException {
    BertConfig config = TestModels.tiny();
    Path folder = TestModels.writeTinyFolder(dir.resolve("m"), config, 1);
    byte[] before = Files.readAllBytes(folder.resolve("model.safetensors"));
    LinkedHashMap<String, FloatTensor> weights = WeightInit.initialWeights(config, 2);
    FloatTensor c = weights.get("classifier.weight");
    float[] data = c.data().clone();
    data[3] = Float.POSITIVE_INFINITY;
    weights.put("classifier.weight", new FloatTensor(c.shape(), data));
    assertThatThrownBy(() -> ModelFolder.write(folder, config, weights, ModelFolder.read(folder).tokenizer()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("weights to save in " + folder + ": tensor 'classifier.weight' holds Infinity at index [0, 3]");
    assertThat(folder.resolve("model.safetensors")).hasBinaryContent(before);
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

  /** Overwrites the bytes of element {@code index} of a tensor in the folder's weights file. */
  static void patchElement(Path folder, String tensor, int index, byte[] bytes) throws IOException {
    Path f = folder.resolve("model.safetensors");
    byte[] all = Files.readAllBytes(f);
    long len = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header =
        (ObjectNode) JSON.readTree(new String(all, 8, (int) len, StandardCharsets.UTF_8));
    long begin = header.get(tensor).get("data_offsets").get(0).asLong();
    System.arraycopy(
        bytes, 0, all, (int) (8 + len + begin + (long) index * bytes.length), bytes.length);
    Files.write(f, all);
  }

  static byte[] f32(float v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array();
  }

  static byte[] bits16(int bits) {
    return new byte[] {(byte) bits, (byte) (bits >>> 8)};
  }

  /** Rewrites the folder's weights in another stored type. */
  static void storeAs(Path folder, DType dtype) throws IOException {
    Path f = folder.resolve("model.safetensors");
    SafeTensors.write(f, SafeTensors.readFloats(f, n -> true), dtype, Map.of("format", "pt"));
  }

  /** Rewrites the folder's weights as F64 (written here by hand), with one value replaced. */
  static void storeAsF64(Path folder, String tensor, double first) throws IOException {
    Path f = folder.resolve("model.safetensors");
    LinkedHashMap<String, FloatTensor> w = SafeTensors.readFloats(f, n -> true);
    ObjectNode header = JSON.createObjectNode();
    long offset = 0;
    for (Map.Entry<String, FloatTensor> e : w.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F64");
      ArrayNode shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long n = 8L * e.getValue().data().length;
      t.putArray("data_offsets").add(offset).add(offset + n);
      offset += n;
    }
    ByteBuffer data = ByteBuffer.allocate((int) offset).order(ByteOrder.LITTLE_ENDIAN);
    for (Map.Entry<String, FloatTensor> e : w.entrySet()) {
      float[] d = e.getValue().data();
      for (int i = 0; i < d.length; i++) {
        data.putDouble(i == 0 && e.getKey().equals(tensor) ? first : d[i]);
      }
    }
    Files.write(f, withHeader(JSON.writeValueAsString(header), data.array()));
  }

  /**
   * Replaces a file by a named pipe (FIFO) of the same name; skips the test where none can be made.
   */
  static void replaceWithFifo(Path file) throws IOException {
    Files.deleteIfExists(file);
    int status;
    try {
      status = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start().waitFor();
    } catch (IOException e) {
      status = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    assumeTrue(status == 0, "mkfifo is not available here");
  }

  static void truncate(Path file, int bytes) throws IOException {
    truncateTo(file, (int) Files.size(file) - bytes);
  }

  static void truncateTo(Path file, int size) throws IOException {
    byte[] all = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(all, size));
  }
}
