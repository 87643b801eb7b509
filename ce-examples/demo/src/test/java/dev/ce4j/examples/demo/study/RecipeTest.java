package dev.ce4j.examples.demo.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ce4j.api.InvalidInputException;
import dev.ce4j.train.config.TrainingArguments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipes: their configs are valid training arguments, and the study cuts its training file as stated. */
class RecipeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void everyRecipeWritesAConfigTheTrainerAccepts() throws Exception {
    for (Recipe r : concat(RecipeStudy.RECIPES, List.of(Recipe.DEMO, Recipe.QUICK))) {
      Path config = tmp.resolve(r.name() + ".json");
      Files.writeString(config, JSON.writeValueAsString(r.config(7, "model", "train.jsonl", "dev.jsonl", 2)));
      TrainingArguments args = TrainingArguments.read(config);
      assertThat(args.maxSteps()).as(r.name()).isEqualTo(r.steps());
      assertThat(args.batchSize()).as(r.name()).isEqualTo(r.batchSize());
      assertThat(args.learningRate()).as(r.name()).isEqualTo(r.learningRate());
      assertThat(args.seed()).isEqualTo(7);
      assertThat(args.loss().name()).as(r.name()).isEqualTo(r.loss());
    }
  }

  @Test
  void pairsPerStepCountWhatTheModelReads() {
    Recipe bce = new Recipe("b", "bce", Map.of(), 10, 3, 0, 1, false, 64, false, 1e-5, 0.1, 10, 5, 64);
    Recipe lambda = new Recipe("l", "lambda", Map.of(), 10, 3, 0, 1, false, 8, false, 1e-5, 0.1, 10, 5, 64);
    Recipe mnrl = new Recipe("m", "mnrl", Map.of("num_negatives", "4"), 10, 3, 0, 1, false, 6, false, 1e-5, 0.1, 10, 5, 64);
    assertThat(bce.pairsPerStep()).isEqualTo(64);
    assertThat(lambda.pairsPerStep()).isEqualTo(8 * 5);
    assertThat(mnrl.pairsPerStep()).isEqualTo(6 * (5 + 4));
    assertThat(lambda.describe()).isEqualTo("lambda; 10 defs (nouns), 1+3+1 cands; batch 8 defs; lr 1e-5, warm-up 0.10; len 64");
    assertThatThrownBy(() -> new Recipe("x", "bce", Map.of(), 0, 3, 0, 1, false, 8, false, 1e-5, 0.1, 10, 5, 64))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void derivedTrainingFileKeepsThePositiveAndTheFirstNegativesOfEachKind() throws Exception {
    // the study's data holds 5 BM25 then 3 random negatives per definition
    Path from = tmp.resolve("all.jsonl");
    String docs = "[\"pos\",\"h1\",\"h2\",\"h3\",\"h4\",\"h5\",\"r1\",\"r2\",\"r3\"]";
    Files.writeString(from,
        "{\"query\":\"q1\",\"documents\":" + docs + ",\"labels\":[1,0,0,0,0,0,0,0,0]}\n"
            + "{\"query\":\"q2\",\"documents\":" + docs + ",\"labels\":[1,0,0,0,0,0,0,0,0]}\n"
            + "{\"query\":\"q3\",\"documents\":" + docs + ",\"labels\":[1,0,0,0,0,0,0,0,0]}\n");
    Path to = tmp.resolve("cut.jsonl");
    RecipeStudy.deriveTrainingFile(from, to, new Recipe("c", "lambda", Map.of(), 2, 2, 0, 1, false, 8, false, 1e-5, 0.1, 10, 5, 64));
    List<String> lines = Files.readAllLines(to);
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("query").asText()).isEqualTo("q1");
    assertThat(first.get("documents").toString()).isEqualTo("[\"pos\",\"h1\",\"h2\",\"r1\"]");
    assertThat(first.get("labels").toString()).isEqualTo("[1,0,0,0]");

    // with content-word negatives the data holds 5 BM25, 5 BM25 on content words, then 3 random
    Path withContent = tmp.resolve("content.jsonl");
    Files.writeString(withContent, "{\"query\":\"q1\",\"documents\":[\"pos\",\"h1\",\"h2\",\"h3\",\"h4\",\"h5\","
        + "\"c1\",\"c2\",\"c3\",\"c4\",\"c5\",\"r1\",\"r2\",\"r3\"],\"labels\":[1,0,0,0,0,0,0,0,0,0,0,0,0,0]}\n");
    RecipeStudy.deriveTrainingFile(withContent, to, new Recipe("m", "plistmle", Map.of(), 1, 3, 2, 2, false, 8, false, 1e-5, 0.1, 10, 5, 64));
    assertThat(JSON.readTree(Files.readAllLines(to).get(0)).get("documents").toString())
        .isEqualTo("[\"pos\",\"h1\",\"h2\",\"h3\",\"c1\",\"c2\",\"r1\",\"r2\"]");

    Recipe tooMany = new Recipe("t", "lambda", Map.of(), 4, 2, 0, 1, false, 8, false, 1e-5, 0.1, 10, 5, 64);
    assertThatThrownBy(() -> RecipeStudy.deriveTrainingFile(from, tmp.resolve("x.jsonl"), tooMany))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("wants 4 definitions");
  }

  @Test
  void studyRefusesBadArgumentsAndForeignFoldersBeforeDoingAnything() throws Exception {
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = new java.io.PrintStream(sink);
    assertThatThrownBy(() -> RecipeStudy.run(new String[] {"--recipes", "lambda,nope"}, out, out))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown recipe 'nope'").hasMessageContaining("plistmle");
    assertThatThrownBy(() -> RecipeStudy.run(new String[] {"--seed", "x"}, out, out))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("--seed needs an integer");
    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("keep.txt"), "mine");
    assertThatThrownBy(() -> RecipeStudy.run(new String[] {"--output", foreign.toString()}, out, out))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not written by ce demo study");
    assertThat(Files.list(foreign).toList()).containsExactly(foreign.resolve("keep.txt"));
  }

  private static List<Recipe> concat(List<Recipe> a, List<Recipe> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
