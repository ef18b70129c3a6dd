package dev.augur.core;

/** No prediction record has the requested id. The HTTP server answers 404. */
public class RecordNotFoundException extends HistoryStoreException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public RecordNotFoundException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public RecordNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
