package dev.ce4j.core.arch.electra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ce4j.core.CrossEncoder;
import dev.ce4j.core.CrossEncoderOptions;
import dev.ce4j.core.arch.encoder.EncoderClassifier;
import dev.ce4j.core.arch.encoder.EncoderScript;
import dev.ce4j.core.engine.PyTorch;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.ModelInputs;
import dev.ce4j.core.model.ModelWeights;
import dev.ce4j.core.tokenize.EncodedPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each ELECTRA reference folder loads with {@link CrossEncoder#load} and computes what the torch
 * transcription of transformers' {@code ElectraForSequenceClassification} computed: the token ids
 * of the independent tokenizer, the float32 logits of every pair (eager pass, exact TorchScript
 * pass, and {@code predict}'s default pass) within 1e-5, the padded batch, and the first token's
 * row after each layer.
 */
class ElectraReferenceTest {
  /** Float32 logits of the same arithmetic in another order: rounding, well below 1e-5. */
  static final double TOLERANCE = 1e-5;

  static CrossEncoder load(ElectraReference ref) {
    return CrossEncoder.load(ref.folder, CrossEncoderOptions.defaults().withDevice("cpu"));
  }

  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void theConfigAndTensorsAreTransformers(String name) {
    ElectraReference ref = ElectraReference.of(name);
    ElectraConfig config = (ElectraConfig) ModelFolder.readConfig(ref.folder);
    assertThat(config.numLabels()).isEqualTo(ref.numLabels());
    assertThat(config.maxLength()).isEqualTo(ref.maxLength());
    assertThat(config.maxPositions()).isEqualTo(ref.json.get("max_position_embeddings").asInt());
    assertThat(config.padTokenId()).isEqualTo(ref.json.get("pad_token_id").asInt());
    List<String> labels = new ArrayList<>();
    ref.json.get("id2label").properties().forEach(e -> labels.add(e.getValue().asText()));
    assertThat(config.labels()).isEqualTo(labels);
    assertThat(config.hasEmbeddingProjection()).isEqualTo(name.equals(ElectraReference.PROJECTED));

    // names, order and shapes of the transformers module
    LinkedHashMap<String, long[]> expected = ref.tensors();
    LinkedHashMap<String, long[]> actual = ElectraArchitecture.INSTANCE.tensorShapes(config);
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach((n, shape) -> assertThat(actual.get(n)).as(n).containsExactly(shape));
    long count = 0;
    for (long[] shape : expected.values()) {
      count += FloatTensor.numel(shape);
    }
    assertThat(config.parameterCount()).isEqualTo(count);
  }

  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void theTokenizerGivesTheReferenceIdsAndTypeIds(String name) {
    ElectraReference ref = ElectraReference.of(name);
    try (CrossEncoder model = load(ref)) {
      List<EncodedPair> encoded = model.tokenizer().encode(ref.textPairs());
      JsonNode pairs = ref.pairs();
      for (int i = 0; i < pairs.size(); i++) {
        JsonNode p = pairs.get(i);
        assertThat(encoded.get(i).ids()).as("%s pair %d %s", name, i, p.get("tokens"))
            .containsExactly(ElectraReference.longs(p.get("input_ids")));
        assertThat(encoded.get(i).typeIds()).as("%s pair %d types", name, i)
            .containsExactly(ElectraReference.longs(p.get("token_type_ids")));
      }
      assertThat(pairs.get(12).get("truncated").asBoolean()).isTrue();
      assertThat(encoded.get(12).length()).isEqualTo(ref.maxLength());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void eagerAndExactTorchScriptLogitsEqualTheReferenceAndEachOther(String name) {
    ElectraReference ref = ElectraReference.of(name);
    try (CrossEncoder model = load(ref);
        EncoderScript exact = EncoderScript.compile(
            model.weights(), ElectraArchitecture.layout((ElectraConfig) model.config()), EncoderScript.Mode.EXACT)) {
      assertThat(model.model()).isInstanceOf(EncoderClassifier.class);
      PyTorch.GradScope noGrad = PyTorch.noGrad();
      try {
        for (JsonNode p : ref.pairs()) {
          long[][] ids = {ElectraReference.longs(p.get("input_ids"))};
          long[][] types = {ElectraReference.longs(p.get("token_type_ids"))};
          long[][] mask = {ElectraReference.longs(p.get("attention_mask"))};
          try (NDManager m = model.manager().newSubManager()) {
            ModelInputs in = ModelInputs.of(m, ids, types, mask);
            float[] eager = model.model().logits(in, false).toFloatArray();
            float[] scripted = exact.logits(in).toFloatArray();
            assertThat(scripted).as("%s pair %d: exact TorchScript = eager", name, p.get("index").asInt())
                .containsExactly(eager);
            assertClose(eager, ElectraReference.doubles(p.get("logits")), name + " pair " + p.get("index"));
          }
        }
        JsonNode batch = ref.json.get("padded_batch");
        try (NDManager m = model.manager().newSubManager()) {
          ModelInputs in = ModelInputs.of(m, ElectraReference.longRows(batch.get("input_ids")),
              ElectraReference.longRows(batch.get("token_type_ids")),
              ElectraReference.longRows(batch.get("attention_mask")));
          float[] eager = model.model().logits(in, false).toFloatArray();
          assertThat(exact.logits(in).toFloatArray()).as("padded batch: exact TorchScript = eager")
              .containsExactly(eager);
          assertClose(eager, flatten(ElectraReference.doubleRows(batch.get("logits"))), name + " padded batch");
        }
      } finally {
        noGrad.close();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void predictsDefaultPassGivesTheReferenceLogitsAndScores(String name) {
    ElectraReference ref = ElectraReference.of(name);
    try (CrossEncoder model = load(ref)) {
      double[][] raw = model.predict(ref.textPairs(), 5, false);
      double[][] scores = model.predict(ref.textPairs());
      // the default on the CPU: oneDNN where its products are right for these shapes, else exact
      assertThat(model.forwardPass())
          .isIn(CrossEncoder.ForwardPass.TORCHSCRIPT_ONEDNN, CrossEncoder.ForwardPass.TORCHSCRIPT);
      JsonNode pairs = ref.pairs();
      for (int i = 0; i < pairs.size(); i++) {
        double[] want = ElectraReference.doubles(pairs.get(i).get("logits"));
        for (int j = 0; j < want.length; j++) {
          assertThat(raw[i][j]).as("%s pair %d logit %d", name, i, j).isCloseTo(want[j], within(TOLERANCE));
          // sentence-transformers' default: sigmoid for one label, identity for several
          double score = want.length == 1 ? 1 / (1 + Math.exp(-want[j])) : want[j];
          assertThat(scores[i][j]).as("%s pair %d score %d", name, i, j).isCloseTo(score, within(TOLERANCE));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void onednnIsRightWhereAcceptedAndRefusedByNameOtherwise(String name) {
    ElectraReference ref = ElectraReference.of(name);
    try (CrossEncoder model = load(ref)) {
      EncoderScript onednn;
      try {
        onednn = EncoderScript.compile(
            model.weights(), ElectraArchitecture.layout((ElectraConfig) model.config()), EncoderScript.Mode.ONEDNN);
      } catch (IllegalStateException refused) {
        // libtorch's reordered products are wrong for some small shapes on some CPUs
        assertThat(refused).hasMessageContaining("oneDNN computes wrong products with reordered weights of shape");
        assertThat(model.forwardPass()).isEqualTo(CrossEncoder.ForwardPass.TORCHSCRIPT);
        return;
      }
      try (onednn) {
        assertThat(model.forwardPass()).isEqualTo(CrossEncoder.ForwardPass.TORCHSCRIPT_ONEDNN);
        List<EncodedPair> encoded = model.tokenizer().encode(ref.textPairs());
        PyTorch.GradScope noGrad = PyTorch.noGrad();
        try (NDManager m = model.manager().newSubManager()) {
          float[] logits = onednn.logits(model.batch(encoded, m)).toFloatArray();
          assertClose(logits, flatten(ElectraReference.doubleRows(ref.json.get("padded_batch").get("logits"))),
              name + " oneDNN, padded batch");
        } finally {
          noGrad.close();
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void theTokenizersPaddedBatchIsTheReferences(String name) {
    ElectraReference ref = ElectraReference.of(name);
    JsonNode batch = ref.json.get("padded_batch");
    try (CrossEncoder model = load(ref); NDManager m = model.manager().newSubManager()) {
      ModelInputs in = model.batch(model.tokenizer().encode(ref.textPairs()), m);
      assertThat(in.sequenceLength()).isEqualTo(batch.get("length").asLong());
      assertThat(in.inputIds().toLongArray()).containsExactly(flatten(ElectraReference.longRows(batch.get("input_ids"))));
      assertThat(in.tokenTypeIds().toLongArray())
          .containsExactly(flatten(ElectraReference.longRows(batch.get("token_type_ids"))));
      assertThat(in.attentionMask().toLongArray())
          .containsExactly(flatten(ElectraReference.longRows(batch.get("attention_mask"))));
    }
  }

  /**
   * The first token's row after each layer of pair 0: a model cut after layer {@code k} (the same
   * tensors without the later layers) ends with transformers' row after layer {@code k}.
   */
  @ParameterizedTest
  @ValueSource(strings = {ElectraReference.PROJECTED, ElectraReference.UNPROJECTED})
  void theFirstTokensRowAfterEachLayerIsTheTraces(String name) {
    ElectraReference ref = ElectraReference.of(name);
    ElectraConfig config = (ElectraConfig) ModelFolder.readConfig(ref.folder);
    LinkedHashMap<String, FloatTensor> all =
        ModelFolder.readWeights(ref.folder.resolve(ModelFolder.WEIGHTS), config);
    JsonNode trace = ref.json.get("trace");
    JsonNode pair = ref.pairs().get(trace.get("pair_index").asInt());
    long[][] ids = {ElectraReference.longs(pair.get("input_ids"))};
    long[][] types = {ElectraReference.longs(pair.get("token_type_ids"))};
    long[][] mask = {ElectraReference.longs(pair.get("attention_mask"))};
    JsonNode layers = trace.get("layer_outputs_first_token");
    assertThat(layers.size()).isEqualTo(config.numHiddenLayers());
    try (NDManager root = PyTorch.newManager(ai.djl.Device.cpu())) {
      for (int k = 0; k < config.numHiddenLayers(); k++) {
        ElectraConfig cut = config.toBuilder().numHiddenLayers(k + 1).build();
        Map<String, FloatTensor> w = new LinkedHashMap<>();
        for (String n : ElectraArchitecture.INSTANCE.tensorShapes(cut).keySet()) {
          w.put(n, all.get(n));
        }
        try (ModelWeights weights = ModelWeights.fromHost(cut, w, root, "layers 0 to " + k)) {
          float[] first = ElectraArchitecture.INSTANCE.classifier(weights).lastHiddenState(ids, types, mask)[0][0];
          assertClose(first, ElectraReference.doubles(layers.get(k)), name + " layer " + k + " first token");
        }
      }
    }
  }

  static void assertClose(float[] actual, double[] expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i]).as("%s [%d]", what, i).isCloseTo(expected[i], within(TOLERANCE));
    }
  }

  static double[] flatten(double[][] rows) {
    List<Double> all = new ArrayList<>();
    for (double[] r : rows) {
      for (double v : r) {
        all.add(v);
      }
    }
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static long[] flatten(long[][] rows) {
    List<Long> all = new ArrayList<>();
    for (long[] r : rows) {
      for (long v : r) {
        all.add(v);
      }
    }
    return all.stream().mapToLong(Long::longValue).toArray();
  }
}
