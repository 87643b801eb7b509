package dev.ce4j.core.onnx.internal;

import dev.ce4j.core.onnx.internal.proto.OnnxProto.AttributeProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.GraphProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.NodeProto;
import dev.ce4j.core.onnx.internal.proto.OnnxProto.TensorProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An index over an ONNX graph: initializers by name, the node that produces each value, the nodes
 * that consume it, and the constant values of small shape and scale tensors (from initializers,
 * {@code Constant} nodes and the {@code Unsqueeze}/{@code Concat} arithmetic that exporters wrap
 * around them).
 *
 * <p>Immutable after construction and thread-safe.
 */
public final class OnnxGraph {

  private final GraphProto graph;
  private final String file;
  private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
  private final Map<String, NodeProto> producers = new HashMap<>();
  private final Map<String, List<NodeProto>> consumers = new HashMap<>();

  /**
   * Indexes a graph.
   *
   * @param graph the graph, never null
   * @param file the file it came from, for messages, never null
   */
  public OnnxGraph(GraphProto graph, String file) {
    this.graph = graph;
    this.file = file;
    for (TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    for (NodeProto n : graph.getNodeList()) {
      for (String out : n.getOutputList()) {
        producers.put(out, n);
      }
      for (String in : n.getInputList()) {
        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
      }
    }
  }

  /**
   * The file the graph came from.
   *
   * @return the name used in messages, never null
   */
  public String file() {
    return file;
  }

  /**
   * The nodes in graph order.
   *
   * @return an unmodifiable list, never null
   */
  public List<NodeProto> nodes() {
    return graph.getNodeList();
  }

  /**
   * The initializers in file order.
   *
   * @return an unmodifiable map from name to tensor, never null
   */
  public Map<String, TensorProto> initializers() {
    return Collections.unmodifiableMap(initializers);
  }

  /**
   * An initializer by name.
   *
   * @param name the value name, never null
   * @return the initializer, or null when the value is not an initializer
   */
  public TensorProto initializer(String name) {
    return initializers.get(name);
  }

  /**
   * The node that computes a value.
   *
   * @param name the value name, never null
   * @return the producing node, or null for graph inputs, initializers and unknown names
   */
  public NodeProto producer(String name) {
    return producers.get(name);
  }

  /**
   * The nodes that read a value.
   *
   * @param name the value name, never null
   * @return the consuming nodes in graph order, never null
   */
  public List<NodeProto> consumers(String name) {
    return consumers.getOrDefault(name, List.of());
  }

  /**
   * The constant tensor behind a value: an initializer, the {@code value} of a {@code Constant}
   * node, or either of them seen through {@code Identity}.
   *
   * @param name the value name, never null
   * @return the tensor, or empty when the value is not a constant tensor
   */
  public Optional<TensorProto> constantTensor(String name) {
    TensorProto t = initializers.get(name);
    if (t != null) {
      return Optional.of(t);
    }
    NodeProto p = producers.get(name);
    if (p == null) {
      return Optional.empty();
    }
    if (p.getOpType().equals("Identity") && p.getInputCount() == 1) {
      return constantTensor(p.getInput(0));
    }
    if (p.getOpType().equals("Constant")) {
      for (AttributeProto a : p.getAttributeList()) {
        if (a.getName().equals("value") && a.hasT()) {
          return Optional.of(a.getT());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The value of a constant holding a single floating-point number (a scalar or a one-element
   * tensor), from a tensor or a {@code Constant} node's {@code value_float}.
   *
   * @param name the value name, never null
   * @return the number, or empty when the value is not such a constant
   */
  public Optional<Float> scalarFloat(String name) {
    NodeProto p = producers.get(name);
    if (p != null && p.getOpType().equals("Constant")) {
      for (AttributeProto a : p.getAttributeList()) {
        if (a.getName().equals("value_float")) {
          return Optional.of(a.getF());
        }
      }
    }
    Optional<TensorProto> t = constantTensor(name);
    if (t.isEmpty() || !OnnxTensors.isFloating(t.get())) {
      return Optional.empty();
    }
    float[] v = OnnxTensors.floats(t.get(), file);
    return v.length == 1 ? Optional.of(v[0]) : Optional.empty();
  }

  /**
   * The integer values of a 1-D shape-like value, where known: constants give their values, {@code
   * Unsqueeze} of a computed scalar gives one unknown entry, and {@code Concat} joins its inputs.
   * This is how exporters build {@code Reshape} targets such as {@code [batch, seq, heads,
   * head_size]} where only the last two are constants.
   *
   * @param name the value name, never null
   * @return the entries, with null for each entry only known at run time; or empty when not even
   *     the length is known
   */
  public Optional<List<Long>> partialInts(String name) {
    Optional<long[]> c = constantInts(name);
    if (c.isPresent()) {
      List<Long> out = new ArrayList<>();
      for (long v : c.get()) {
        out.add(v);
      }
      return Optional.of(out);
    }
    NodeProto p = producers.get(name);
    if (p == null) {
      return Optional.empty();
    }
    switch (p.getOpType()) {
      case "Unsqueeze", "Cast", "Identity" -> {
        // a computed scalar (such as Gather(Shape(x), 0)) turned into a one-element vector; a
        // Concat along axis 0 only accepts 1-D inputs, so the Unsqueeze input is a scalar
        if (p.getOpType().equals("Unsqueeze")) {
          List<Long> one = new ArrayList<>();
          one.add(null);
          return Optional.of(one);
        }
        return partialInts(p.getInput(0));
      }
      case "Concat" -> {
        List<Long> out = new ArrayList<>();
        for (String in : p.getInputList()) {
          Optional<List<Long>> part = partialInts(in);
          if (part.isEmpty()) {
            return Optional.empty();
          }
          out.addAll(part.get());
        }
        return Optional.of(out);
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /**
   * The values of a constant integer tensor, or of a {@code Constant} node's {@code value_int} or
   * {@code value_ints}.
   *
   * @param name the value name, never null
   * @return the values, or empty when the value is not an integer constant
   */
  public Optional<long[]> constantInts(String name) {
    NodeProto p = producers.get(name);
    if (p != null && p.getOpType().equals("Constant")) {
      for (AttributeProto a : p.getAttributeList()) {
        if (a.getName().equals("value_int")) {
          return Optional.of(new long[] {a.getI()});
        }
        if (a.getName().equals("value_ints")) {
          return Optional.of(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
        }
      }
    }
    if (p != null
        && (p.getOpType().equals("Unsqueeze") || p.getOpType().equals("Cast"))
        && p.getInputCount() >= 1) {
      return constantInts(p.getInput(0));
    }
    Optional<TensorProto> t = constantTensor(name);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    int dt = t.get().getDataType();
    if (dt != OnnxTensors.INT64 && dt != OnnxTensors.INT32) {
      return Optional.empty();
    }
    return Optional.of(OnnxTensors.longs(t.get(), file));
  }

  /**
   * The integer attribute of a node.
   *
   * @param node the node, never null
   * @param attribute the attribute name, never null
   * @param fallback the value when the node lacks the attribute
   * @return the attribute's value or the fallback
   */
  public static long intAttribute(NodeProto node, String attribute, long fallback) {
    for (AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(attribute)) {
        return a.getI();
      }
    }
    return fallback;
  }

  /**
   * The float attribute of a node.
   *
   * @param node the node, never null
   * @param attribute the attribute name, never null
   * @return the attribute's value, or empty when the node lacks it
   */
  public static Optional<Float> floatAttribute(NodeProto node, String attribute) {
    for (AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(attribute)) {
        return Optional.of(a.getF());
      }
    }
    return Optional.empty();
  }
}
