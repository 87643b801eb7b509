package dev.ce4j.examples.demo.wordnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reranking datasets keep the split by word (every document of a split's file is a synset
 * whose head word is in that split), the training file holds the stated candidates, and the
 * generalization sets are test-split queries that are not definitions.
 */
class WordNetDatasetsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static WordNet wordNet;

  @TempDir Path tmp;

  @BeforeAll
  static void load() {
    wordNet = WordNet.load();
  }

  private static List<JsonNode> read(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private static void assertSplit(Path file, Split split) throws Exception {
    for (JsonNode rec : read(file)) {
      assertThat(rec.get("labels").get(0).asInt()).as("the positive comes first").isEqualTo(1);
      for (JsonNode d : rec.get("documents")) {
        String head = d.asText().split(", ")[0];
        assertThat(Split.of(head)).as(file.getFileName() + ": " + d.asText()).isEqualTo(split);
      }
    }
  }

  @Test
  void everyPartOfSpeechTrainsWhileDevAndTestStayNounsInTheirSplits() throws Exception {
    DatasetSizes sizes = new DatasetSizes(300, 10, 10, 6, 3, 4, 2, true, 20, 10, 10, 10);
    WordNetDatasets.Built built = WordNetDatasets.build(wordNet, 42, sizes, tmp.resolve("all"));
    List<JsonNode> train = read(built.file(WordNetDatasets.RERANK_TRAIN));
    assertThat(train).hasSize(300);
    for (JsonNode rec : train) {
      assertThat(rec.get("documents")).hasSize(1 + 4 + 2);
      assertThat(rec.get("labels").toString()).isEqualTo("[1,0,0,0,0,0,0]");
    }
    assertSplit(built.file(WordNetDatasets.RERANK_TRAIN), Split.TRAIN);
    assertSplit(built.file(WordNetDatasets.RERANK_DEV), Split.DEV);
    assertSplit(built.file(WordNetDatasets.RERANK_TEST), Split.TEST);
    // 300 definitions drawn from all parts of speech: about a third are not nouns (verbs, adjectives, adverbs)
    List<String> nounDefinitions = wordNet.synsets().stream().filter(s -> s.pos().equals("n"))
        .map(WordNetSynset::definition).toList();
    long notNouns = train.stream().filter(r -> !nounDefinitions.contains(r.get("query").asText())).count();
    assertThat(notNouns).isBetween(30L, 150L);

    DatasetSizes nounsOnly = new DatasetSizes(300, 10, 10, 6, 3, 4, 2, false, 20, 10, 10, 10);
    WordNetDatasets.Built nouns = WordNetDatasets.build(wordNet, 42, nounsOnly, tmp.resolve("nouns"));
    for (JsonNode rec : read(nouns.file(WordNetDatasets.RERANK_TRAIN))) {
      assertThat(nounDefinitions).contains(rec.get("query").asText());
    }
    // dev and test do not depend on the training choice
    for (String f : List.of(WordNetDatasets.RERANK_DEV, WordNetDatasets.RERANK_TEST, WordNetDatasets.GEN_EXAMPLES,
        WordNetDatasets.GEN_WORD_LISTS)) {
      assertThat(Files.mismatch(built.file(f), nouns.file(f))).as(f).isEqualTo(-1L);
    }
  }

  @Test
  void generalizationSetsAreTestSynsetsFoundFromExamplesAndHyponyms() throws Exception {
    DatasetSizes sizes = new DatasetSizes(5, 5, 5, 6, 3, 2, 1, false, 25, 10, 10, 10);
    WordNetDatasets.Built built = WordNetDatasets.build(wordNet, 7, sizes, tmp.resolve("gen"));
    List<JsonNode> examples = read(built.file(WordNetDatasets.GEN_EXAMPLES));
    List<JsonNode> lists = read(built.file(WordNetDatasets.GEN_WORD_LISTS));
    assertThat(examples).hasSize(25);
    assertThat(lists).hasSize(25);
    assertSplit(built.file(WordNetDatasets.GEN_EXAMPLES), Split.TEST);
    assertSplit(built.file(WordNetDatasets.GEN_WORD_LISTS), Split.TEST);
    for (JsonNode rec : examples) {
      assertThat(rec.get("query").asText()).contains("___");
      assertThat(rec.get("documents")).hasSize(10);
    }
    for (JsonNode rec : lists) {
      String[] words = rec.get("query").asText().split(", ");
      assertThat(words.length).isBetween(2, 4);
      for (String w : words) {
        assertThat(Split.of(w)).isEqualTo(Split.TEST);
      }
    }
  }

  @Test
  void examplesAreTheGlossesQuotedParts() {
    assertThat(WordNet.examples("a member of the genus Canis; \"the dog barked all night\"; \"a dog's life\""))
        .containsExactly("the dog barked all night", "a dog's life");
    assertThat(WordNet.examples("no examples here")).isEmpty();
    assertThat(WordNet.definition("a member of the genus Canis; \"the dog barked all night\""))
        .isEqualTo("a member of the genus Canis");
  }
}
