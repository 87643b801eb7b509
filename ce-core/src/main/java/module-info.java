/**
 * {@code ce}'s core as a named module. On the module path a user sees only the API packages:
 *
 * <ul>
 *   <li>{@code dev.ce4j.core} ({@link dev.ce4j.core.CrossEncoder}, its options, ranked documents)
 *       and {@code predict} (how a call scores);
 *   <li>{@code arch} and {@code model}: the {@link dev.ce4j.core.arch.Architecture} SPI a plugin
 *       implements, with the weights, inputs and seeded initialisation its forward pass uses;
 *   <li>{@code tokenize}, {@code io}, {@code fingerprint}, {@code device} and {@code onnx}: what
 *       {@code CrossEncoder}'s methods return or take, model folders and their fingerprints,
 *       device names, importing an ONNX export.
 * </ul>
 *
 * <p>The rest is internal: the built-in families ({@code arch.bert}, ... ; found with {@link
 * java.util.ServiceLoader} like any plugin), the shared encoder ({@code arch.encoder}), the engine
 * switches ({@code engine}), DJL's global seed ({@code seed}) and the {@code .internal} packages.
 * Those {@code ce}'s own modules use are exported to them alone. On the class path (the command
 * line, the examples, most users) this descriptor is ignored and nothing changes.
 */
// "module": the qualified exports name modules built after this one; DJL, protobuf and JNA are
// automatic modules (no descriptor of their own), and DJL's types are part of this API
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module dev.ce4j.core {
  requires transitive dev.ce4j.api;
  requires transitive ai.djl.api;
  requires transitive ai.djl.tokenizers;
  requires transitive com.fasterxml.jackson.databind;
  requires ai.djl.pytorch_engine;
  requires com.google.protobuf;
  requires com.sun.jna;
  // DJL's own dependencies that are explicit modules: DJL, an automatic module, cannot require
  // them, so without these a module-path application fails in DJL with NoClassDefFoundError
  requires com.google.gson;
  requires org.slf4j;
  requires static com.google.auto.service; // @AutoService: class retention, compile time only

  exports dev.ce4j.core;
  exports dev.ce4j.core.arch;
  exports dev.ce4j.core.arch.bert;
  exports dev.ce4j.core.arch.encoder;
  exports dev.ce4j.core.device;
  exports dev.ce4j.core.fingerprint;
  exports dev.ce4j.core.io;
  exports dev.ce4j.core.model;
  exports dev.ce4j.core.onnx;
  exports dev.ce4j.core.predict;
  exports dev.ce4j.core.tokenize;

  exports dev.ce4j.core.engine to dev.ce4j.train, dev.ce4j.cli, dev.ce4j.benchmarks;
  exports dev.ce4j.core.seed to dev.ce4j.train;
  exports dev.ce4j.core.io.lines to dev.ce4j.train, dev.ce4j.cli;

  uses dev.ce4j.core.arch.Architecture;

  provides dev.ce4j.core.arch.Architecture with
      dev.ce4j.core.arch.bert.BertArchitecture,
      dev.ce4j.core.arch.deberta.DebertaV2Architecture,
      dev.ce4j.core.arch.distilbert.DistilBertArchitecture,
      dev.ce4j.core.arch.electra.ElectraArchitecture,
      dev.ce4j.core.arch.modernbert.ModernBertArchitecture,
      dev.ce4j.core.arch.roberta.RobertaArchitecture;
}
