package dev.ce4j.train.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** JSON reading, canonical writing and diffing of {@link TrainingArguments}. */
final class TrainingArgumentsJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

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
      return fromTree((ObjectNode) root, base);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(source + ": " + e.getMessage(), e);
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
    ObjectNode o = F.objectNode();
    o.put("seed", a.seed());
    if (a.dataSeed() == null) {
      o.putNull("dataSeed");
    } else {
      o.put("dataSeed", a.dataSeed());
    }
    ObjectNode m = o.putObject("model");
    putPath(m, "path", a.model().path());
    putPath(m, "config", a.model().config());
    putPath(m, "tokenizer", a.model().tokenizer());
    m.put("numLabels", a.model().numLabels());
    ArrayNode td = o.putArray("trainData");
    a.trainData().forEach(d -> td.add(dataTree(d)));
    ObjectNode loss = o.putObject("loss");
    loss.put("name", a.loss().name());
    loss.set("params", paramsTree(a.loss().params()));
    ArrayNode ev = o.putArray("evaluators");
    for (EvaluatorSpec e : a.evaluators()) {
      ObjectNode en = ev.addObject();
      en.put("name", e.name());
      en.put("id", e.id());
      en.set("params", paramsTree(e.params()));
      en.set("data", dataTree(e.data()));
    }
    o.put("epochs", a.epochs());
    o.put("maxSteps", a.maxSteps());
    o.put("batchSize", a.batchSize());
    o.put("learningRate", a.learningRate());
    o.put("scheduler", a.scheduler().jsonName());
    o.put("warmupRatio", a.warmupRatio());
    o.put("warmupSteps", a.warmupSteps());
    o.put("weightDecay", a.weightDecay());
    o.put("gradientAccumulationSteps", a.gradientAccumulationSteps());
    o.put("maxGradNorm", a.maxGradNorm());
    o.put("evalSteps", a.evalSteps());
    o.put("saveSteps", a.saveSteps());
    o.put("saveTotalLimit", a.saveTotalLimit());
    o.put("loadBestModelAtEnd", a.loadBestModelAtEnd());
    o.put("metricForBestModel", a.metricForBestModel());
    if (a.greaterIsBetter() == null) {
      o.putNull("greaterIsBetter"); // follows the metric's declared direction
    } else {
      o.put("greaterIsBetter", a.greaterIsBetter());
    }
    o.put("earlyStoppingPatience", a.earlyStoppingPatience());
    o.put("earlyStoppingMinDelta", a.earlyStoppingMinDelta());
    o.put("loggingSteps", a.loggingSteps());
    o.put("numThreads", a.numThreads());
    o.put("device", a.device());
    o.put("determinism", a.determinism().jsonName());
    o.put("sampler", a.sampler().jsonName());
    return o;
  }

  static String write(TrainingArguments a, boolean pretty) {
    try {
      return pretty ? PRETTY.writeValueAsString(tree(a)) + "\n" : MAPPER.writeValueAsString(tree(a));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static void putPath(ObjectNode o, String key, Path p) {
    if (p == null) {
      o.putNull(key);
    } else {
      o.put(key, p.toString());
    }
  }

  private static ObjectNode dataTree(DataFile d) {
    ObjectNode n = F.objectNode();
    n.put("path", d.path().toString());
    n.put("format", d.format().jsonName());
    return n;
  }

  private static ObjectNode paramsTree(Parameters p) {
    ObjectNode n = F.objectNode();
    new TreeMap<>(p.asMap()).forEach(n::put);
    return n;
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
