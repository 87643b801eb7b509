package dev.ce4j.train;

import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.roberta.RobertaConfig;

/** {@link ArchitectureReproducibilityTest} for XLM-RoBERTa, with a SentencePiece tokenizer. */
class XlmRobertaReproducibilityTest extends ArchitectureReproducibilityTest {
  @Override
  String fixture() {
    return "xlm-roberta/unigram-1label-len32";
  }

  @Override
  Class<? extends ModelConfig> configClass() {
    return RobertaConfig.class;
  }

  @Override
  String modelType() {
    return "xlm-roberta";
  }
}
