package dev.ce4j.cli.testing;

/** Not in the test service file: a plugin jar names it. Its static initialiser throws. */
public class FailingStaticInitEvaluator extends PluginOnlyEvaluator {
  /** Parsed when the class is initialised, which fails. */
  static final int BINS = Integer.parseInt(System.getProperty("ce.test.no-such-property", "ten"));

  /** Never reached: initialising the class fails first. */
  public FailingStaticInitEvaluator() {
    super();
  }

  @Override
  public String id() {
    return "test-failing-static-init-" + BINS;
  }
}
