package dev.ce4j.examples.demo.wordnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
    DatasetSizes sizes = new DatasetSizes(300, 10, 10, 6, 3, 4, 2, true, 0, 20, 10, 10, 10);
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

    DatasetSizes nounsOnly = new DatasetSizes(300, 10, 10, 6, 3, 4, 2, false, 0, 20, 10, 10, 10);
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
  void contentWordNegativesShareAMeaningfulWordAndLeaveEverythingElseAsItWas() throws Exception {
    DatasetSizes whole = new DatasetSizes(200, 10, 10, 6, 3, 5, 2, false, 0, 20, 10, 10, 10);
    DatasetSizes mixed = new DatasetSizes(200, 10, 10, 6, 3, 5, 2, false, 3, 20, 10, 10, 10);
    WordNetDatasets.Built a = WordNetDatasets.build(wordNet, 42, whole, tmp.resolve("whole"));
    WordNetDatasets.Built b = WordNetDatasets.build(wordNet, 42, mixed, tmp.resolve("mixed"));
    List<JsonNode> wholeTrain = read(a.file(WordNetDatasets.RERANK_TRAIN));
    List<JsonNode> mixedTrain = read(b.file(WordNetDatasets.RERANK_TRAIN));
    assertThat(mixedTrain).hasSize(200);
    for (int i = 0; i < 200; i++) {
      JsonNode w = wholeTrain.get(i);
      JsonNode m = mixedTrain.get(i);
      // the same definition (written whole), positive, BM25 and random negatives; three more in between
      assertThat(m.get("query")).isEqualTo(w.get("query"));
      assertThat(m.get("documents")).hasSize(1 + 5 + 3 + 2);
      assertThat(m.get("labels").toString()).isEqualTo("[1,0,0,0,0,0,0,0,0,0,0]");
      for (int d = 0; d < 6; d++) {
        assertThat(m.get("documents").get(d)).isEqualTo(w.get("documents").get(d));
      }
      assertThat(m.get("documents").get(9)).isEqualTo(w.get("documents").get(6));
      assertThat(m.get("documents").get(10)).isEqualTo(w.get("documents").get(7));
      Set<String> distinct = new HashSet<>();
      m.get("documents").forEach(d -> distinct.add(d.asText()));
      assertThat(distinct).hasSize(11);
    }
    assertSplit(b.file(WordNetDatasets.RERANK_TRAIN), Split.TRAIN);
    // mined on the whole definition, many hard negatives share only words such as "of" or "the"
    // with it; mined on its content words, nearly all share a meaningful word
    assertThat(sharingAContentWord(mixedTrain, 6, 8)).isGreaterThan(0.95);
    assertThat(sharingAContentWord(mixedTrain, 1, 5)).isLessThan(0.75);
    for (String f : List.of(WordNetDatasets.RERANK_DEV, WordNetDatasets.RERANK_TEST, WordNetDatasets.BINARY_TEST,
        WordNetDatasets.GEN_EXAMPLES, WordNetDatasets.GEN_WORD_LISTS)) {
      assertThat(Files.mismatch(a.file(f), b.file(f))).as(f).isEqualTo(-1L);
    }
  }

  /** The share of documents {@code from..to} with a word of the query that is not an English stop word. */
  private static double sharingAContentWord(List<JsonNode> train, int from, int to) {
    Set<String> stop = Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
        "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
        "to", "was", "will", "with");
    int n = 0;
    int sharing = 0;
    for (JsonNode rec : train) {
      Set<String> query = new HashSet<>(Arrays.asList(rec.get("query").asText().toLowerCase(Locale.ROOT).split("[^a-z0-9]+")));
      query.removeAll(stop);
      for (int i = from; i <= to; i++) {
        n++;
        if (Arrays.stream(rec.get("documents").get(i).asText().split("[^a-z0-9]+")).anyMatch(query::contains)) {
          sharing++;
        }
      }
    }
    return (double) sharing / n;
  }

  @Test
  void contentWordsDropEnglishStopWords() {
    assertThat(WordNetDatasets.contentWords("the feeling of being bored by something tedious"))
        .isEqualTo("feeling being bored something tedious");
    assertThat(WordNetDatasets.contentWords("A low single seat (as in cars or planes)")).isEqualTo("low single seat cars planes");
    // nothing but stop words: the text is searched as it is
    assertThat(WordNetDatasets.contentWords("to be or not to be")).isEqualTo("to be or not to be");
  }

  @Test
  void generalizationSetsAreTestSynsetsFoundFromExamplesAndHyponyms() throws Exception {
    DatasetSizes sizes = new DatasetSizes(5, 5, 5, 6, 3, 2, 1, false, 0, 25, 10, 10, 10);
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
