package dev.augur.core;

/**
 * {@link Augur}, its model registry, a predictor or the history store was called after it was
 * closed or while it is closing: the process is shutting down. Nothing was predicted or written;
 * another instance can take the request. The HTTP server answers 503 with {@code Retry-After}.
 */
public class ClosedException extends AugurException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public ClosedException(String message) {
    super(message);
  }
}
