package dev.ce4j.train.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Parameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * JSON reading, canonical writing and diffing of {@link TrainingArguments}. The canonical JSON is
 * written by Jackson databind from {@link Canonical}. A config file is user input: {@code fromTree}
 * reads it field by field in {@link #FIELDS} order, refusing unknown fields (listing the known
 * ones), wrong types and missing required fields with messages that name the field and quote the
 * value. Jackson's own binding errors would name Java types and report fields in file order, so
 * the config format keeps this reader as its deserializer.
 */
final class TrainingArgumentsJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static final List<String> FIELDS =
      List.of(
          "seed", "dataSeed", "model", "trainData", "loss", "evaluators", "epochs", "maxSteps",
          "batchSize", "learningRate", "scheduler", "warmupRatio", "warmupSteps", "weightDecay",
          "gradientAccumulationSteps", "maxGradNorm", "evalSteps", "saveSteps", "saveTotalLimit",
          "loadBestModelAtEnd", "metricForBestModel", "greaterIsBetter", "earlyStoppingPatience",
          "earlyStoppingMinDelta", "loggingSteps", "numThreads", "device", "determinism",
          "sampler");

  private TrainingArgumentsJson() {}

  static TrainingArguments read(Path file) {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new InvalidInputException(
          file + ": not a regular file (" + (Files.isDirectory(file) ? "a folder" : "a pipe, socket or device")
              + "); give a JSON config file");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": config file not found", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read config file: " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().normalize().getParent();
    return parse(text, base, file.toString());
  }

  static TrainingArguments parse(String json, Path base, String source) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new InvalidInputException(source + ": malformed JSON" + where + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(source + ": a training config must be a JSON object");
    }
    try {
      return MAPPER.readerFor(TrainingArguments.class).withAttribute(Reader.BASE, base).readValue(root);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind a JSON tree", e);
    }
  }

  /**
   * The config format as Jackson reads it ({@code @JsonDeserialize} on {@link TrainingArguments}):
   * {@code fromTree}'s field-by-field checks. Relative paths are resolved against the context
   * attribute {@link #BASE} (kept as written without it); with the attribute {@link #SOURCE}, an
   * error is prefixed with it.
   */
  static final class Reader extends StdDeserializer<TrainingArguments> {
    /** The context attribute holding the folder relative paths are resolved against. */
    static final String BASE = "ce.trainingArguments.base";
    /** The context attribute naming the source in error messages. */
    static final String SOURCE = "ce.trainingArguments.source";

    Reader() {
      super(TrainingArguments.class);
    }

    @Override
    public TrainingArguments deserialize(JsonParser p, DeserializationContext c) throws IOException {
      JsonNode node = p.readValueAsTree();
      Object source = c.getAttribute(SOURCE);
      try {
        if (node == null || !node.isObject()) {
          throw new InvalidInputException("a training config must be a JSON object");
        }
        return fromTree((ObjectNode) node, (Path) c.getAttribute(BASE));
      } catch (InvalidInputException e) {
        throw source == null ? e : new InvalidInputException(source + ": " + e.getMessage(), e);
      }
    }
  }

  /** Writes the canonical layout ({@code @JsonSerialize} on {@link TrainingArguments}). */
  static final class Writer extends StdSerializer<TrainingArguments> {
    Writer() {
      super(TrainingArguments.class);
    }

    @Override
    public void serialize(TrainingArguments a, JsonGenerator g, SerializerProvider p) throws IOException {
      p.defaultSerializeValue(Canonical.of(a), g);
    }
  }

  private static TrainingArguments fromTree(ObjectNode root, Path base) {
    Obj o = new Obj(root, "", FIELDS);
    TrainingArguments.Builder b = TrainingArguments.builder();
    if (!o.has("seed")) {
      throw new InvalidInputException("missing required field 'seed' (any integer, 0 included)");
    }
    b.setSeed(o.longValue("seed"));
    if (o.has("dataSeed")) {
      b.optDataSeed(o.longValue("dataSeed"));
    }
    if (!o.has("model")) {
      throw new InvalidInputException("missing required field 'model'");
    }
    b.setModel(model(o.node("model"), base));
    if (!o.has("trainData")) {
      throw new InvalidInputException("missing required field 'trainData'");
    }
    b.setTrainData(dataFiles(o.node("trainData"), "trainData", base));
    if (!o.has("loss")) {
      throw new InvalidInputException("missing required field 'loss'");
    }
    b.setLoss(loss(o.node("loss")));
    if (o.has("evaluators")) {
      JsonNode ev = o.node("evaluators");
      if (!ev.isArray()) {
        throw new InvalidInputException("field 'evaluators' must be an array, got " + ev);
      }
      List<EvaluatorSpec> list = new ArrayList<>();
      for (int i = 0; i < ev.size(); i++) {
        list.add(evaluator(ev.get(i), "evaluators[" + i + "]", base));
      }
      b.optEvaluators(list);
    }
    if (o.has("epochs")) b.optEpochs(o.intValue("epochs"));
    if (o.has("maxSteps")) b.optMaxSteps(o.longValue("maxSteps"));
    if (o.has("batchSize")) b.optBatchSize(o.intValue("batchSize"));
    if (o.has("learningRate")) b.optLearningRate(o.doubleValue("learningRate"));
    if (o.has("scheduler")) b.optScheduler(o.enumValue("scheduler", SchedulerType.class));
    if (o.has("warmupRatio")) b.optWarmupRatio(o.doubleValue("warmupRatio"));
    if (o.has("warmupSteps")) b.optWarmupSteps(o.longValue("warmupSteps"));
    if (o.has("weightDecay")) b.optWeightDecay(o.doubleValue("weightDecay"));
    if (o.has("gradientAccumulationSteps")) {
      b.optGradientAccumulationSteps(o.intValue("gradientAccumulationSteps"));
    }
    if (o.has("maxGradNorm")) b.optMaxGradNorm(o.doubleValue("maxGradNorm"));
    if (o.has("evalSteps")) b.optEvalSteps(o.longValue("evalSteps"));
    if (o.has("saveSteps")) b.optSaveSteps(o.longValue("saveSteps"));
    if (o.has("saveTotalLimit")) b.optSaveTotalLimit(o.intValue("saveTotalLimit"));
    if (o.has("loadBestModelAtEnd")) b.optLoadBestModelAtEnd(o.boolValue("loadBestModelAtEnd"));
    if (o.has("metricForBestModel")) b.optMetricForBestModel(o.string("metricForBestModel"));
    if (o.has("greaterIsBetter")) b.optGreaterIsBetter(o.boolValue("greaterIsBetter"));
    if (o.has("earlyStoppingPatience")) b.optEarlyStoppingPatience(o.intValue("earlyStoppingPatience"));
    if (o.has("earlyStoppingMinDelta")) b.optEarlyStoppingMinDelta(o.doubleValue("earlyStoppingMinDelta"));
    if (o.has("loggingSteps")) b.optLoggingSteps(o.longValue("loggingSteps"));
    if (o.has("numThreads")) b.optNumThreads(o.intValue("numThreads"));
    if (o.has("device")) b.optDevice(o.string("device"));
    if (o.has("determinism")) b.optDeterminism(o.enumValue("determinism", Determinism.class));
    if (o.has("sampler")) b.optSampler(o.enumValue("sampler", SamplerType.class));
    return b.build();
  }

  private static ModelSource model(JsonNode node, Path base) {
    if (node.isTextual()) {
      return ModelSource.folder(path(node.asText(), base));
    }
    Obj o = new Obj(node, "model.", List.of("path", "config", "tokenizer", "numLabels"));
    Path path = o.has("path") ? path(o.string("path"), base) : null;
    Path config = o.has("config") ? path(o.string("config"), base) : null;
    Path tokenizer = o.has("tokenizer") ? path(o.string("tokenizer"), base) : null;
    int numLabels = o.has("numLabels") ? o.intValue("numLabels") : 0;
    return new ModelSource(path, config, tokenizer, numLabels);
  }

  private static List<DataFile> dataFiles(JsonNode node, String field, Path base) {
    List<DataFile> out = new ArrayList<>();
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        out.add(dataFile(node.get(i), field + "[" + i + "]", base));
      }
    } else {
      out.add(dataFile(node, field, base));
    }
    return out;
  }

  private static DataFile dataFile(JsonNode node, String field, Path base) {
    if (node.isTextual()) {
      return DataFile.pairs(path(node.asText(), base));
    }
    Obj o = new Obj(node, field + ".", List.of("path", "format"));
    if (!o.has("path")) {
      throw new InvalidInputException("missing required field '" + field + ".path'");
    }
    DataFormat format = o.has("format") ? o.enumValue("format", DataFormat.class) : DataFormat.PAIRS;
    return new DataFile(path(o.string("path"), base), format);
  }

  private static LossSpec loss(JsonNode node) {
    if (node.isTextual()) {
      return LossSpec.of(node.asText());
    }
    Obj o = new Obj(node, "loss.", List.of("name", "params"));
    if (!o.has("name")) {
      throw new InvalidInputException("missing required field 'loss.name'");
    }
    return new LossSpec(o.string("name"), o.has("params") ? params(o.node("params"), "loss.params") : Parameters.empty());
  }

  private static EvaluatorSpec evaluator(JsonNode node, String field, Path base) {
    Obj o = new Obj(node, field + ".", List.of("name", "id", "params", "data"));
    if (!o.has("id")) {
      throw new InvalidInputException("missing required field '" + field + ".id'");
    }
    if (!o.has("data")) {
      throw new InvalidInputException("missing required field '" + field + ".data'");
    }
    String id = o.string("id");
    String name = o.has("name") ? o.string("name") : id;
    Parameters params = o.has("params") ? params(o.node("params"), field + ".params") : Parameters.empty();
    return new EvaluatorSpec(name, id, params, dataFile(o.node("data"), field + ".data", base));
  }

  private static Parameters params(JsonNode node, String field) {
    if (!node.isObject()) {
      throw new InvalidInputException("field '" + field + "' must be an object of name: value, got " + node);
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      String text;
      if (v.isTextual() || v.isBoolean() || v.isIntegralNumber()) {
        text = v.asText();
      } else if (v.isNumber()) {
        text = Double.toString(v.doubleValue());
      } else {
        throw new InvalidInputException(
            "field '" + field + "." + e.getKey() + "' must be a string, number or boolean, got " + v);
      }
      map.put(e.getKey(), text);
    }
    return Parameters.of(map);
  }

  private static Path path(String text, Path base) {
    if (text.isBlank()) {
      throw new InvalidInputException("a path must not be empty");
    }
    Path p = Path.of(text);
    return base == null || p.isAbsolute() ? p : base.resolve(p).normalize();
  }

  static ObjectNode tree(TrainingArguments a) {
    return MAPPER.valueToTree(Canonical.of(a));
  }

  static String write(TrainingArguments a, boolean pretty) {
    try {
      Canonical c = Canonical.of(a);
      return pretty ? PRETTY.writeValueAsString(c) + "\n" : MAPPER.writeValueAsString(c);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * The canonical JSON of {@link TrainingArguments}, as Jackson writes it: every field, in {@link
   * #FIELDS} order, null where unset; paths as written ({@link Path#toString()}), enums by their JSON
   * names, parameter maps sorted by key. {@code run.json} records it and {@code argumentsSha256} is
   * the SHA-256 of its compact form, so its bytes must not change.
   */
  @JsonPropertyOrder({
    "seed", "dataSeed", "model", "trainData", "loss", "evaluators", "epochs", "maxSteps", "batchSize",
    "learningRate", "scheduler", "warmupRatio", "warmupSteps", "weightDecay", "gradientAccumulationSteps",
    "maxGradNorm", "evalSteps", "saveSteps", "saveTotalLimit", "loadBestModelAtEnd", "metricForBestModel",
    "greaterIsBetter", "earlyStoppingPatience", "earlyStoppingMinDelta", "loggingSteps", "numThreads", "device",
    "determinism", "sampler"
  })
  record Canonical(
      @JsonProperty("seed") long seed,
      @JsonProperty("dataSeed") Long dataSeed,
      @JsonProperty("model") Model model,
      @JsonProperty("trainData") List<Data> trainData,
      @JsonProperty("loss") Loss loss,
      @JsonProperty("evaluators") List<Evaluator> evaluators,
      @JsonProperty("epochs") int epochs,
      @JsonProperty("maxSteps") long maxSteps,
      @JsonProperty("batchSize") int batchSize,
      @JsonProperty("learningRate") double learningRate,
      @JsonProperty("scheduler") String scheduler,
      @JsonProperty("warmupRatio") double warmupRatio,
      @JsonProperty("warmupSteps") long warmupSteps,
      @JsonProperty("weightDecay") double weightDecay,
      @JsonProperty("gradientAccumulationSteps") int gradientAccumulationSteps,
      @JsonProperty("maxGradNorm") double maxGradNorm,
      @JsonProperty("evalSteps") long evalSteps,
      @JsonProperty("saveSteps") long saveSteps,
      @JsonProperty("saveTotalLimit") int saveTotalLimit,
      @JsonProperty("loadBestModelAtEnd") boolean loadBestModelAtEnd,
      @JsonProperty("metricForBestModel") String metricForBestModel,
      @JsonProperty("greaterIsBetter") Boolean greaterIsBetter,
      @JsonProperty("earlyStoppingPatience") int earlyStoppingPatience,
      @JsonProperty("earlyStoppingMinDelta") double earlyStoppingMinDelta,
      @JsonProperty("loggingSteps") long loggingSteps,
      @JsonProperty("numThreads") int numThreads,
      @JsonProperty("device") String device,
      @JsonProperty("determinism") String determinism,
      @JsonProperty("sampler") String sampler) {

    static Canonical of(TrainingArguments a) {
      return new Canonical(
          a.seed(), a.dataSeed(), Model.of(a.model()), a.trainData().stream().map(Data::of).toList(),
          new Loss(a.loss().name(), sorted(a.loss().params())),
          a.evaluators().stream()
              .map(e -> new Evaluator(e.name(), e.id(), sorted(e.params()), Data.of(e.data())))
              .toList(),
          a.epochs(), a.maxSteps(), a.batchSize(), a.learningRate(), a.scheduler().jsonName(), a.warmupRatio(),
          a.warmupSteps(), a.weightDecay(), a.gradientAccumulationSteps(), a.maxGradNorm(), a.evalSteps(),
          a.saveSteps(), a.saveTotalLimit(), a.loadBestModelAtEnd(), a.metricForBestModel(), a.greaterIsBetter(),
          a.earlyStoppingPatience(), a.earlyStoppingMinDelta(), a.loggingSteps(), a.numThreads(), a.device(),
          a.determinism().jsonName(), a.sampler().jsonName());
    }

    private static TreeMap<String, String> sorted(Parameters p) {
      return new TreeMap<>(p.asMap());
    }

    /** {@link ModelSource}: every field, null where unset. */
    @JsonPropertyOrder({"path", "config", "tokenizer", "numLabels"})
    record Model(
        @JsonProperty("path") String path,
        @JsonProperty("config") String config,
        @JsonProperty("tokenizer") String tokenizer,
        @JsonProperty("numLabels") int numLabels) {
      static Model of(ModelSource m) {
        return new Model(text(m.path()), text(m.config()), text(m.tokenizer()), m.numLabels());
      }

      private static String text(Path p) {
        return p == null ? null : p.toString();
      }
    }

    /** {@link DataFile}: the path and the format's JSON name. */
    @JsonPropertyOrder({"path", "format"})
    record Data(@JsonProperty("path") String path, @JsonProperty("format") String format) {
      static Data of(DataFile d) {
        return new Data(d.path().toString(), d.format().jsonName());
      }
    }

    /** {@link LossSpec}: the name and the parameters, sorted by key. */
    @JsonPropertyOrder({"name", "params"})
    record Loss(@JsonProperty("name") String name, @JsonProperty("params") TreeMap<String, String> params) {}

    /** {@link EvaluatorSpec}: the parameters sorted by key. */
    @JsonPropertyOrder({"name", "id", "params", "data"})
    record Evaluator(
        @JsonProperty("name") String name,
        @JsonProperty("id") String id,
        @JsonProperty("params") TreeMap<String, String> params,
        @JsonProperty("data") Data data) {}
  }

  static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a != null && b != null && a.isObject() && b.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        diff(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
      }
    } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        diff(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
    } else if (a == null || b == null || !a.equals(b)) {
      out.add(path + " differs: " + show(a) + " vs " + show(b));
    }
  }

  private static String show(JsonNode n) {
    return n == null ? "(absent)" : n.isTextual() ? n.asText() : n.toString();
  }

  /** Typed access to the fields of one JSON object, rejecting unknown fields up front. */
  private static final class Obj {
    private final JsonNode node;
    private final String prefix;

    Obj(JsonNode node, String prefix, List<String> known) {
      String name = prefix.isEmpty() ? "the config" : "field '" + prefix.substring(0, prefix.length() - 1) + "'";
      if (!node.isObject()) {
        throw new InvalidInputException(name + " must be a JSON object, got " + node);
      }
      this.node = node;
      this.prefix = prefix;
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!known.contains(f)) {
          throw new InvalidInputException(
              "unknown field '" + prefix + f + "'; known fields" + (prefix.isEmpty() ? "" : " of " + name)
                  + ": " + String.join(", ", known));
        }
      }
    }

    boolean has(String f) {
      JsonNode v = node.get(f);
      return v != null && !v.isNull();
    }

    JsonNode node(String f) {
      return node.get(f);
    }

    private InvalidInputException wrong(String f, String what) {
      return new InvalidInputException("field '" + prefix + f + "' must be " + what + ", got " + node.get(f));
    }

    long longValue(String f) {
      JsonNode v = node.get(f);
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw wrong(f, "an integer");
      }
      return v.longValue();
    }

    int intValue(String f) {
      JsonNode v = node.get(f);
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw wrong(f, "an integer (32-bit)");
      }
      return v.intValue();
    }

    double doubleValue(String f) {
      JsonNode v = node.get(f);
      if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
        throw wrong(f, "a finite number");
      }
      return v.doubleValue();
    }

    boolean boolValue(String f) {
      JsonNode v = node.get(f);
      if (!v.isBoolean()) {
        throw wrong(f, "true or false");
      }
      return v.booleanValue();
    }

    String string(String f) {
      JsonNode v = node.get(f);
      if (!v.isTextual()) {
        throw wrong(f, "a string");
      }
      return v.asText();
    }

    <E extends Enum<E>> E enumValue(String f, Class<E> type) {
      JsonNode v = node.get(f);
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        String jn = jsonName(e);
        names.add(jn);
        if (v.isTextual() && jn.equals(v.asText().trim().toLowerCase(Locale.ROOT))) {
          return e;
        }
      }
      throw wrong(f, "one of " + String.join(", ", names));
    }

    private static String jsonName(Enum<?> e) {
      if (e instanceof SchedulerType s) return s.jsonName();
      if (e instanceof Determinism d) return d.jsonName();
      if (e instanceof SamplerType s) return s.jsonName();
      if (e instanceof DataFormat d) return d.jsonName();
      return e.name().toLowerCase(Locale.ROOT);
    }
  }
}
