package dev.ce4j.api;

/**
 * The root of every exception that {@code ce} throws on purpose.
 *
 * <p>Messages quote the offending value and say how to fix it; the cause, when there is one, is
 * kept. Subclasses: {@link InvalidInputException} for bad user input (data, parameters, files).
 */
public class CeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong and how to fix it, never null
   */
  public CeException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong and how to fix it, never null
   * @param cause the underlying failure, may be null
   */
  public CeException(String message, Throwable cause) {
    super(message, cause);
  }
}
