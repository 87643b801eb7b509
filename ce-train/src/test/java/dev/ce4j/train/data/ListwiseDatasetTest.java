package dev.ce4j.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.eval.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListwiseDatasetTest {
  @TempDir Path dir;

  private Path file(String... lines) throws Exception {
    Path f = dir.resolve("lw.jsonl");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  @Test
  void readsQueriesWithIds() throws Exception {
    Path f = file(
        "{\"query\": \"java\", \"documents\": [\"a language\", \"an island\"], \"labels\": [1, 0]}",
        "{\"id\": \"q7\", \"query\": \"tea\", \"documents\": [\"a drink\"], \"labels\": [2.5]}",
        "{\"id\": 8, \"query\": \"x\", \"documents\": [\"y\"], \"labels\": [0]}");
    ListwiseDataset d = ListwiseDataset.read(f);
    assertThat(d.size()).isEqualTo(3);
    assertThat(d.get(0).id()).isEqualTo("lw.jsonl:1");
    assertThat(d.get(1).id()).isEqualTo("q7");
    assertThat(d.get(2).id()).isEqualTo("8");
    assertThat(d.texts(0)).containsExactly("java", "a language", "an island");
    Samples.Ranking r = d.toRanking();
    assertThat(r.queries().get(1).labels()).containsExactly(2.5);
    PairDataset pairs = d.toPairs();
    assertThat(pairs.size()).isEqualTo(4);
    assertThat(pairs.get(1).pair().document()).isEqualTo("an island");
    assertThat(pairs.get(1).score()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "ragged        | {\"query\": \"q\", \"documents\": [\"a\", \"b\"], \"labels\": [1]}      | :2: ragged labels: \"documents\" has 2 entries but \"labels\" has 1",
        "empty docs    | {\"query\": \"q\", \"documents\": [], \"labels\": []}                 | :2: \"documents\" is empty",
        "missing query | {\"documents\": [\"a\"], \"labels\": [1]}                             | :2: missing field \"query\"",
        "query number  | {\"query\": 3, \"documents\": [\"a\"], \"labels\": [1]}                | :2: \"query\" must be a string, got 3",
        "doc number    | {\"query\": \"q\", \"documents\": [\"a\", 2], \"labels\": [1, 0]}     | :2: \"documents\"[1] must be a string, got 2",
        "labels NaN    | {\"query\": \"q\", \"documents\": [\"a\"], \"labels\": [NaN]}          | :2: \"labels\"[0] is NaN",
        "labels text   | {\"query\": \"q\", \"documents\": [\"a\"], \"labels\": [\"1\"]}        | :2: \"labels\"[0] must be a number, got \"1\"",
        "labels object | {\"query\": \"q\", \"documents\": [\"a\"], \"labels\": {}}             | :2: \"labels\" must be an array of numbers",
        "no labels     | {\"query\": \"q\", \"documents\": [\"a\"]}                            | :2: missing field \"labels\"",
        "pair record   | {\"pair\": [\"q\", \"a\"], \"label\": 1}                              | set the file's format to \"pairs\"",
        "duplicate id  | {\"id\": \"x\", \"query\": \"q\", \"documents\": [\"a\"], \"labels\": [1]} | :2: \"id\" 'x' is used by an earlier line",
        "id object     | {\"id\": {}, \"query\": \"q\", \"documents\": [\"a\"], \"labels\": [1]} | :2: \"id\" must be a string or an integer",
      })
  void badRecordsNameFileAndLine(String what, String badLine, String message) throws Exception {
    Path f = file("{\"id\": \"x\", \"query\": \"q\", \"documents\": [\"d\"], \"labels\": [1]}", badLine.trim());
    assertThatThrownBy(() -> ListwiseDataset.read(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining(message.trim());
  }

  @Test
  void writeThenReadRoundTrips() throws Exception {
    Path f = file("{\"id\": \"a\", \"query\": \"q\", \"documents\": [\"d1\", \"d2\"], \"labels\": [1, 0.5]}");
    ListwiseDataset d = ListwiseDataset.read(f);
    Path out = dir.resolve("out.jsonl");
    d.write(out);
    assertThat(Files.readString(out)).isEqualTo("{\"id\":\"a\",\"query\":\"q\",\"documents\":[\"d1\",\"d2\"],\"labels\":[1,0.5]}\n");
    assertThat(ListwiseDataset.read(out).get(0).documents()).containsExactly("d1", "d2");
  }

  @Test
  void negativeGradesAreRefusedForRanking() throws Exception {
    Path f = file("{\"query\": \"q\", \"documents\": [\"d\"], \"labels\": [-1]}");
    ListwiseDataset d = ListwiseDataset.read(f);
    assertThatThrownBy(d::toRanking).hasMessageContaining(f + ":1: relevance label -1.0 is negative");
  }
}
