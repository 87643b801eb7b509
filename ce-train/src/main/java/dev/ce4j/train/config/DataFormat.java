package dev.ce4j.train.config;

/** The record layout of a JSON Lines data file. */
public enum DataFormat {
  /**
   * One pair per line: {@code {"pair": ["query", "document"], "label": 1}}; the label is a number,
   * a class index, or a 0/1 array for multi-label data.
   */
  PAIRS("pairs"),
  /**
   * One query per line with its candidates: {@code {"query": "...", "documents": ["...", "..."],
   * "labels": [1, 0]}}.
   */
  LISTWISE("listwise");

  private final String jsonName;

  DataFormat(String jsonName) {
    this.jsonName = jsonName;
  }

  /**
   * The name used in JSON configs.
   *
   * @return the name, never null
   */
  public String jsonName() {
    return jsonName;
  }
}
