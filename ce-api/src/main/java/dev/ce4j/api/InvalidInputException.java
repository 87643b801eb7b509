package dev.ce4j.api;

/**
 * Bad input from the user: a malformed file, a missing field, an out-of-range parameter, an
 * unknown evaluator id. The message names the file, line or parameter at fault; command-line
 * front ends report it without a stack trace and exit with status 2.
 */
public class InvalidInputException extends CeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what is wrong with the input and how to fix it, never null
   */
  public InvalidInputException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what is wrong with the input and how to fix it, never null
   * @param cause the underlying failure, may be null
   */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
