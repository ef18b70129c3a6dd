package dev.augur.core;

/** A prediction id was reused with a different observation. The HTTP server answers 409. */
public class PredictionConflictException extends HistoryStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public PredictionConflictException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public PredictionConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
