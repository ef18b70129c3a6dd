package dev.augur.core;

/**
 * Root of every exception Augur throws. Unchecked: callers catch the named subclasses they can act
 * on (for example {@link InvalidInputException} or {@link OverloadedException}) and let the rest
 * propagate.
 */
public class AugurException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public AugurException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the cause it wraps. */
  public AugurException(String message, Throwable cause) {
    super(message, cause);
  }
}
