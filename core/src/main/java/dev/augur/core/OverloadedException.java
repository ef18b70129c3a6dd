package dev.augur.core;

/**
 * Work was refused because a bounded queue or limit is full; retry later. The HTTP server answers
 * 503 with {@code Retry-After}.
 */
public class OverloadedException extends AugurException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public OverloadedException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public OverloadedException(String message, Throwable cause) {
    super(message, cause);
  }
}
