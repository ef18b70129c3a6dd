package dev.augur.core;

/** The history store failed to read or write. */
public class HistoryStoreException extends AugurException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public HistoryStoreException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public HistoryStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
