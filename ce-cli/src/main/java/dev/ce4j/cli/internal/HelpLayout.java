package dev.ce4j.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How {@code ce}'s help reads: 80 columns, paragraphs wrapped between words only.
 *
 * <p>picocli prints each element of a {@code description} array on a line of its own and breaks
 * long lines wherever {@link java.text.BreakIterator} allows, which is also after the {@code .} of
 * {@code tokenizer.json} or the {@code :} of {@code gpu:N}; and its list of subcommands shows the
 * first element of each description, which may stop mid-sentence. This class renders three help
 * sections instead:
 *
 * <ul>
 *   <li>the description: consecutive non-blank elements that do not start with a space are one
 *       paragraph (so a description may be hard-wrapped in the source), wrapped at spaces; an
 *       element that starts with a space is printed as it is (examples, tables), wrapped only if
 *       too long; a blank element is an empty line;
 *   <li>the list of subcommands: the first sentence of each one's first paragraph;
 *   <li>the list of exit statuses: each status with its meaning, wrapped under it.
 * </ul>
 *
 * <p>Option and parameter descriptions stay picocli's. Stateless and thread-safe.
 */
public final class HelpLayout {
  /** The width of the help, in columns. */
  public static final int WIDTH = 80;

  private HelpLayout() {}

  /**
   * Applies the layout to a command line and all its subcommands.
   *
   * @param commandLine the root command line, never null
   */
  public static void apply(CommandLine commandLine) {
    Objects.requireNonNull(commandLine, "commandLine");
    commandLine.setUsageHelpWidth(WIDTH);
    install(commandLine);
  }

  private static void install(CommandLine cl) {
    Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, HelpLayout::description);
    sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commandList);
    sections.put(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST, HelpLayout::exitCodeList);
    cl.setHelpSectionMap(sections);
    for (CommandLine sub : cl.getSubcommands().values()) {
      install(sub);
    }
  }

  private static String description(Help help) {
    StringBuilder out = new StringBuilder();
    for (String paragraph : paragraphs(help.commandSpec().usageMessage().description())) {
      if (paragraph.isBlank()) {
        out.append(System.lineSeparator());
      } else if (Character.isWhitespace(paragraph.charAt(0))) {
        int width = help.commandSpec().usageMessage().width();
        if (paragraph.length() <= width) {
          out.append(paragraph).append(System.lineSeparator());
          continue;
        }
        int indent = paragraph.length() - paragraph.stripLeading().length();
        String spaces = paragraph.substring(0, indent);
        out.append(wrap(paragraph.substring(indent), width, spaces, spaces + "  "));
      } else {
        out.append(wrap(paragraph, help.commandSpec().usageMessage().width(), "", ""));
      }
    }
    return out.toString();
  }

  private static String commandList(Help help) {
    Map<String, Help> subcommands = help.subcommands();
    if (subcommands.isEmpty()) {
      return "";
    }
    int nameWidth = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0);
    String hanging = " ".repeat(2 + nameWidth + 2);
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Help> e : subcommands.entrySet()) {
      UsageMessageSpec usage = e.getValue().commandSpec().usageMessage();
      String[] source = usage.header().length > 0 ? usage.header() : usage.description();
      List<String> paragraphs = paragraphs(source);
      String summary = paragraphs.isEmpty() ? "" : firstSentence(paragraphs.get(0));
      String name = "  " + e.getKey() + " ".repeat(nameWidth - e.getKey().length()) + "  ";
      out.append(wrap(summary, help.commandSpec().usageMessage().width(), name, hanging));
    }
    return out.toString();
  }

  private static String exitCodeList(Help help) {
    Map<String, String> codes = help.commandSpec().usageMessage().exitCodeList();
    if (codes.isEmpty()) {
      return "";
    }
    int keyWidth = codes.keySet().stream().mapToInt(k -> k.strip().length()).max().orElse(0);
    String hanging = " ".repeat(2 + keyWidth + 2);
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : codes.entrySet()) {
      String key = e.getKey().strip();
      out.append(wrap(e.getValue().strip(), help.commandSpec().usageMessage().width(), "  " + key + " ".repeat(keyWidth - key.length()) + "  ",
          hanging));
    }
    return out.toString();
  }

  /**
   * The paragraphs of a description: runs of non-blank elements that do not start with white
   * space, joined with a space; every other element on its own.
   *
   * @param lines the elements, never null
   * @return the paragraphs in order, never null
   */
  static List<String> paragraphs(String[] lines) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (String raw : lines) {
      String line = raw.replace("%n", "\n").stripTrailing();
      for (String part : line.split("\n", -1)) {
        boolean flowing = !part.isBlank() && !Character.isWhitespace(part.charAt(0));
        if (flowing && current != null) {
          current.append(' ').append(part.strip());
          continue;
        }
        if (current != null) {
          out.add(current.toString());
          current = null;
        }
        if (flowing) {
          current = new StringBuilder(part.strip());
        } else {
          out.add(part);
        }
      }
    }
    if (current != null) {
      out.add(current.toString());
    }
    return out;
  }

  /**
   * The first sentence of a paragraph: up to the first {@code .}, {@code !} or {@code ?} that is
   * followed by a space and an upper-case letter, or the whole paragraph.
   *
   * @param paragraph the text, never null
   * @return the sentence, never null
   */
  static String firstSentence(String paragraph) {
    for (int i = 0; i + 2 < paragraph.length(); i++) {
      char c = paragraph.charAt(i);
      if ((c == '.' || c == '!' || c == '?') && paragraph.charAt(i + 1) == ' '
          && Character.isUpperCase(paragraph.charAt(i + 2))) {
        return paragraph.substring(0, i + 1);
      }
    }
    return paragraph;
  }

  /**
   * Wraps text at spaces into lines of at most {@code width} columns; a word longer than a line
   * stands on a line of its own.
   *
   * @param text the text, never null
   * @param width the width in columns
   * @param first what the first line starts with, never null
   * @param rest what every other line starts with, never null
   * @return the lines, each ending with a line separator; never null
   */
  static String wrap(String text, int width, String first, String rest) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(first);
    boolean empty = true;
    for (String word : text.strip().split(" +")) {
      if (word.isEmpty()) {
        continue;
      }
      if (!empty && line.length() + 1 + word.length() > width) {
        out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        line = new StringBuilder(rest);
        empty = true;
      }
      if (!empty) {
        line.append(' ');
      }
      line.append(word);
      empty = false;
    }
    out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    return out.toString();
  }
}
