package dev.ce4j.examples.usage.multiclass;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The NLI dataset: balanced, split without leakage, deterministic, and every label what natural
 * logic says given WordNet. The labels are checked against a truth table written here and a
 * WordNet look-up of its own (is one noun's first sense below the other's?), not against the
 * builder's code.
 */
class WordNetNliTest {
  private static final WordNetNli.Sizes SIZES = new WordNetNli.Sizes(60, 16, 40);
  private static final Pattern SOME = Pattern.compile("There is an? ([a-z]+) in the picture\\.");
  private static final Pattern NO = Pattern.compile("There is no ([a-z]+) in the picture\\.");

  private static WordNetNli.Built built;
  private static Dictionary wordNet;
  private static final Map<String, Set<String>> ANCESTORS = new HashMap<>();

  @BeforeAll
  static void build() throws Exception {
    built = WordNetNli.build(42, SIZES);
    wordNet = Dictionary.getResourceInstance(WordNetNli.PROPERTIES);
  }

  @AfterAll
  static void close() throws Exception {
    wordNet.close();
  }

  @Test
  void everySplitIsExactlyBalancedAndHasTheRequestedSize() {
    for (WordNetNli.Split s : WordNetNli.Split.values()) {
      List<NliExample> examples = built.of(s);
      int pairs = switch (s) {
        case TRAIN -> SIZES.train();
        case DEV -> SIZES.dev();
        case TEST -> SIZES.test();
      };
      assertThat(built.available().get(s)).as("pairs WordNet offers in %s", s).isGreaterThanOrEqualTo(pairs);
      assertThat(examples).as(s.name()).hasSize(3 * pairs);
      for (NliLabel label : NliLabel.values()) {
        assertThat(examples.stream().filter(e -> e.label() == label)).as("%s %s", s, label).hasSize(pairs);
      }
    }
  }

  @Test
  void noDevOrTestNounOccursInTraining() {
    Set<String> trainNouns = new HashSet<>();
    Set<List<String>> trainPairs = new HashSet<>();
    for (NliExample e : built.train()) {
      trainNouns.add(noun(e.premise()));
      trainNouns.add(noun(e.hypothesis()));
      trainPairs.add(List.of(e.premise(), e.hypothesis()));
      assertThat(WordNetNli.splitOf(e.hyponym())).isEqualTo(WordNetNli.Split.TRAIN);
    }
    for (WordNetNli.Split s : List.of(WordNetNli.Split.DEV, WordNetNli.Split.TEST)) {
      for (NliExample e : built.of(s)) {
        assertThat(WordNetNli.splitOf(e.hyponym())).isEqualTo(s);
        assertThat(trainNouns).as("the %s hyponym of %s", s, e).doesNotContain(e.hyponym());
        if (e.other() != null) {
          assertThat(trainNouns).as("the %s unrelated noun of %s", s, e).doesNotContain(e.other());
        }
        assertThat(trainPairs).doesNotContain(List.of(e.premise(), e.hypothesis()));
      }
    }
  }

  @Test
  void everyLabelIsWhatNaturalLogicSaysGivenWordNet() throws Exception {
    List<NliExample> all = new ArrayList<>(built.train());
    all.addAll(built.dev());
    all.addAll(built.test());
    Map<String, Integer> forms = new HashMap<>();
    for (NliExample e : all) {
      String p = noun(e.premise());
      String h = noun(e.hypothesis());
      boolean pSome = SOME.matcher(e.premise()).matches();
      boolean hSome = SOME.matcher(e.hypothesis()).matches();
      assertThat(Set.of(p, h)).as("%s", e).contains(e.hyponym());
      NliLabel expected;
      if (ancestors(p).contains(h)) {
        // the hypothesis noun is more general: a(A) -> a(B) follows, a(A) -> no(B) contradicts
        expected = !pSome ? NliLabel.NEUTRAL : hSome ? NliLabel.ENTAILMENT : NliLabel.CONTRADICTION;
      } else if (ancestors(h).contains(p)) {
        // more specific: no(B) -> no(A) follows, no(B) -> a(A) contradicts
        expected = pSome ? NliLabel.NEUTRAL : hSome ? NliLabel.CONTRADICTION : NliLabel.ENTAILMENT;
      } else {
        expected = NliLabel.NEUTRAL;
      }
      assertThat(e.label()).as("%s -> %s", e.premise(), e.hypothesis()).isEqualTo(expected);
      forms.merge(e.label() + (pSome ? " some" : " no") + (hSome ? " some" : " no"), 1, Integer::sum);
    }
    // negation occurs in every class, so "no" alone does not give the label away
    assertThat(forms.keySet()).contains("ENTAILMENT some some", "ENTAILMENT no no", "CONTRADICTION some no",
        "CONTRADICTION no some", "NEUTRAL some some", "NEUTRAL some no", "NEUTRAL no no");
  }

  @Test
  void theSameSeedGivesTheSameExamplesAndAnotherSeedOthers() {
    assertThat(WordNetNli.build(42, SIZES)).isEqualTo(built);
    assertThat(WordNetNli.build(43, SIZES).train()).isNotEqualTo(built.train());
  }

  @ParameterizedTest
  @CsvSource({"dog, There is a dog in the picture.", "apple, There is an apple in the picture.",
      "umbrella, There is an umbrella in the picture.", "university, There is a university in the picture.",
      "hour, There is an hour in the picture."})
  void someUsesTheRightArticle(String noun, String sentence) {
    assertThat(WordNetNli.some(noun)).isEqualTo(sentence);
    assertThat(WordNetNli.no(noun)).isEqualTo("There is no " + noun + " in the picture.");
  }

  private static String noun(String sentence) {
    Matcher m = SOME.matcher(sentence);
    if (!m.matches()) {
      m = NO.matcher(sentence);
      assertThat(m.matches()).as("a sentence of the two forms: %s", sentence).isTrue();
    }
    return m.group(1);
  }

  /** The lemmas of every hypernym, at any distance, of the noun's first (most frequent) sense. */
  private static Set<String> ancestors(String noun) throws Exception {
    Set<String> cached = ANCESTORS.get(noun);
    if (cached != null) {
      return cached;
    }
    IndexWord iw = wordNet.getIndexWord(POS.NOUN, noun);
    Set<String> out = new HashSet<>();
    List<Synset> todo = new ArrayList<>(List.of(iw.getSenses().get(0)));
    Set<Long> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Synset s = todo.remove(todo.size() - 1);
      for (Pointer p : s.getPointers(PointerType.HYPERNYM)) {
        Synset h = p.getTargetSynset();
        if (seen.add(h.getOffset())) {
          h.getWords().stream().map(Word::getLemma).forEach(out::add);
          todo.add(h);
        }
      }
    }
    ANCESTORS.put(noun, out);
    return out;
  }
}
