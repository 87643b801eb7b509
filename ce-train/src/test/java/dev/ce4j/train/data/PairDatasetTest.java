package dev.ce4j.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ce4j.api.InvalidInputException;
import dev.ce4j.api.TextPair;
import dev.ce4j.api.eval.Samples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PairDatasetTest {
  @TempDir Path dir;

  private Path file(String name, String... lines) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void readsScalarLabels() throws Exception {
    Path f = file("train.jsonl",
        "{\"pair\": [\"what is java\", \"a language\"], \"label\": 1}",
        "",
        "{\"pair\": [\"what is java\", \"an island\"], \"label\": 0.25, \"id\": \"x\"}");
    PairDataset d = PairDataset.read(f);
    assertThat(d.size()).isEqualTo(2);
    assertThat(d.labelKind()).isEqualTo(LabelKind.SCALAR);
    assertThat(d.get(0).pair()).isEqualTo(TextPair.of("what is java", "a language"));
    assertThat(d.get(1).score()).isEqualTo(0.25);
    assertThat(d.get(1).origin()).isEqualTo(new Origin(f.toString(), 3));
    assertThat(d.texts(1)).containsExactly("what is java", "an island");
  }

  @Test
  void readsMultiLabelArrays() throws Exception {
    Path f = file("ml.jsonl",
        "{\"pair\": [\"a\", \"b\"], \"label\": [1, 0, 1]}",
        "{\"pair\": [\"c\", \"d\"], \"label\": [0, 0, 0]}");
    PairDataset d = PairDataset.read(f);
    assertThat(d.labelKind()).isEqualTo(LabelKind.MULTI_LABEL);
    assertThat(d.labelWidth()).isEqualTo(3);
    Samples.Multilabel s = d.toMultilabel();
    assertThat(s.labels()).isEqualTo(new int[][] {{1, 0, 1}, {0, 0, 0}});
    assertThatThrownBy(d::toPointwise).hasMessageContaining("need a number as \"label\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "malformed JSON        | {\"pair\": [\"a\", \"b\"], \"label\": 1       | , line 2, column 32: malformed JSON: Unexpected end-of-input",
        "not an object         | [\"a\", \"b\"]                                 | , line 2: expected a JSON object such as {\"pair\": [\"query\", \"document\"], \"label\": 1}, got an array",
        "missing pair          | {\"label\": 1}                                 | :2: missing field \"pair\"",
        "pair of one           | {\"pair\": [\"a\"], \"label\": 1}              | :2: \"pair\" must be an array of two strings",
        "pair not strings      | {\"pair\": [\"a\", 2], \"label\": 1}           | :2: \"pair\" must be an array of two strings",
        "missing label         | {\"pair\": [\"a\", \"b\"]}                     | :2: missing field \"label\"",
        "label string          | {\"pair\": [\"a\", \"b\"], \"label\": \"1\"}   | :2: \"label\" must be a number or an array of 0/1, got \"1\"",
        "label boolean         | {\"pair\": [\"a\", \"b\"], \"label\": true}    | :2: \"label\" must be a number or an array of 0/1, got true",
        "label NaN             | {\"pair\": [\"a\", \"b\"], \"label\": NaN}     | :2: \"label\" is NaN",
        "label infinite        | {\"pair\": [\"a\", \"b\"], \"label\": 1e999}   | :2: \"label\" is infinite",
        "mixed kinds           | {\"pair\": [\"a\", \"b\"], \"label\": [1, 0]}  | :2: \"label\" is an array (multi-label) but line 1 has a number",
        "unknown field         | {\"pair\": [\"a\", \"b\"], \"lable\": 1}       | :2: unknown field \"lable\"",
        "listwise record       | {\"query\": \"a\", \"documents\": [], \"labels\": []} | set the file's format to \"listwise\"",
        "duplicate key         | {\"pair\": [\"a\", \"b\"], \"label\": 1, \"label\": 0} | , line 2, column 41: malformed JSON: Duplicate field 'label'",
      })
  void badRecordsNameFileAndLine(String what, String badLine, String message) throws Exception {
    Path f = file("bad.jsonl", "{\"pair\": [\"q\", \"d\"], \"label\": 1}", badLine.trim());
    assertThatThrownBy(() -> PairDataset.read(f))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining(message.trim());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "ragged        | [1, 0, 1] | :3: ragged labels: \"label\" has 3 values but line 2 has 2",
        "not 0/1       | [1, 2]    | :3: \"label\"[1] must be 0 or 1",
        "empty         | []        | :3: \"label\" is an empty array",
        "NaN in array  | [NaN, 1]  | :3: \"label\"[0] is NaN",
        "scalar after  | 1         | :3: \"label\" is a number but line 2 has an array (multi-label)",
      })
  void badMultiLabelRecordsNameTheLine(String what, String label, String message) throws Exception {
    Path f = file("bad.jsonl", "", "{\"pair\": [\"q\", \"d\"], \"label\": [1, 0]}", "{\"pair\": [\"q\", \"e\"], \"label\": " + label.trim() + "}");
    assertThatThrownBy(() -> PairDataset.read(f)).hasMessageContaining(f + message.trim());
  }

  @Test
  void invalidUtf8NamesTheLine() throws Exception {
    Path f = dir.resolve("latin1.jsonl");
    byte[] good = "{\"pair\": [\"q\", \"d\"], \"label\": 1}\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad = "{\"pair\": [\"caf\u00e9\", \"d\"], \"label\": 1}\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[good.length + bad.length];
    System.arraycopy(good, 0, all, 0, good.length);
    System.arraycopy(bad, 0, all, good.length, bad.length);
    Files.write(f, all);
    assertThatThrownBy(() -> PairDataset.read(f)).hasMessageContaining(f + ", line 2: not valid UTF-8");
  }

  @Test
  void missingFileIsNamed() {
    Path f = dir.resolve("nope.jsonl");
    assertThatThrownBy(() -> PairDataset.read(f)).hasMessage(f + ": file not found");
  }

  @Test
  void conversionsToSamples() throws Exception {
    Path f = file("mc.jsonl",
        "{\"pair\": [\"q1\", \"a\"], \"label\": 2}",
        "{\"pair\": [\"q2\", \"b\"], \"label\": 0}",
        "{\"pair\": [\"q1\", \"c\"], \"label\": 1}");
    PairDataset d = PairDataset.read(f);
    assertThat(d.toMulticlass().labels()).containsExactly(2, 0, 1);
    assertThat(d.toPointwise().labels()).containsExactly(2.0, 0.0, 1.0);
    Samples.Ranking r = d.toRanking();
    assertThat(r.queries()).hasSize(2);
    assertThat(r.queries().get(0).query()).isEqualTo("q1");
    assertThat(r.queries().get(0).documents()).containsExactly("a", "c");
    assertThat(r.queries().get(0).labels()).containsExactly(2.0, 1.0);
    assertThat(r.queries().get(0).id()).isEqualTo(f + ":1");
    assertThat(r.queries().get(1).documents()).containsExactly("b");
  }

  @Test
  void multiclassNeedsClassIndices() throws Exception {
    Path f = file("mc.jsonl", "{\"pair\": [\"q\", \"a\"], \"label\": 1}", "{\"pair\": [\"q\", \"b\"], \"label\": 1.5}");
    assertThatThrownBy(() -> PairDataset.read(f).toMulticlass())
        .hasMessage(f + ":2: \"label\" 1.5 is not a class index; multi-class labels are integers 0, 1, 2, ...");
    Path neg = file("neg.jsonl", "{\"pair\": [\"q\", \"a\"], \"label\": -1}");
    assertThatThrownBy(() -> PairDataset.read(neg).toMulticlass()).hasMessageContaining(neg + ":1:");
    assertThatThrownBy(() -> PairDataset.read(neg).toRanking()).hasMessageContaining("is negative");
  }

  @Test
  void writeThenReadRoundTrips() throws Exception {
    PairDataset d = PairDataset.of(
        List.of(PairExample.of("q", "d1", 1), PairExample.of("q \"quoted\"", "d\u00e9\n2", 0.125)), LabelKind.SCALAR);
    Path out = dir.resolve("out.jsonl");
    d.write(out);
    PairDataset back = PairDataset.read(out);
    assertThat(back.pairs()).isEqualTo(d.pairs());
    assertThat(back.get(1).score()).isEqualTo(0.125, within(0.0));
    assertThat(Files.readAllLines(out).get(0)).isEqualTo("{\"pair\":[\"q\",\"d1\"],\"label\":1}");
  }

  @Test
  void filesOfDifferentLabelKindsDoNotConcatenate() throws Exception {
    Path a = file("a.jsonl", "{\"pair\": [\"q\", \"a\"], \"label\": 1}");
    Path b = file("b.jsonl", "{\"pair\": [\"q\", \"a\"], \"label\": [1, 0]}");
    assertThat(PairDataset.read(List.of(a, a)).size()).isEqualTo(2);
    assertThatThrownBy(() -> PairDataset.read(List.of(a, b)))
        .hasMessageContaining(b + ": labels are multi-label arrays of 2 but " + a + " has numbers");
  }
}
