package dev.ce4j.train;

import dev.ce4j.core.arch.ModelConfig;
import dev.ce4j.core.arch.deberta.DebertaV2Config;

/**
 * {@link ArchitectureReproducibilityTest} for DeBERTa-v3 (disentangled attention with log-bucketed
 * relative positions, a SentencePiece tokenizer): new JVM, SIGKILL and resume, {@code ce reproduce}.
 */
class DebertaV2ReproducibilityTest extends ArchitectureReproducibilityTest {
  @Override
  String fixture() {
    return "deberta-v2/spm-v3-1label-len40";
  }

  @Override
  Class<? extends ModelConfig> configClass() {
    return DebertaV2Config.class;
  }

  @Override
  String modelType() {
    return "deberta-v2";
  }
}
