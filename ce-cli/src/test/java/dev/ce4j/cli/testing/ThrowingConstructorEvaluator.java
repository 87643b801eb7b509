package dev.ce4j.cli.testing;

/**
 * Not in the test service file: a plugin jar names it. Its constructor throws, as a plugin that
 * checks a licence or reads a missing file in its constructor would.
 */
public class ThrowingConstructorEvaluator extends PluginOnlyEvaluator {
  /** The message of the exception the constructor throws. */
  public static final String MESSAGE = "the licence file /etc/plugin.key is missing";

  /** Always throws. */
  public ThrowingConstructorEvaluator() {
    throw new IllegalStateException(MESSAGE);
  }
}
