package dev.augur.core;

/**
 * A chart could not be drawn: an invalid spec (the message says which field) or a rendering
 * failure.
 */
public class ChartException extends AugurException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public ChartException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public ChartException(String message, Throwable cause) {
    super(message, cause);
  }
}
