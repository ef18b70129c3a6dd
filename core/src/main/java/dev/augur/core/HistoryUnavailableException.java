package dev.augur.core;

/**
 * The history store cannot reach its database right now; it recovers by itself. The HTTP server
 * answers 503.
 */
public class HistoryUnavailableException extends HistoryStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public HistoryUnavailableException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public HistoryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
