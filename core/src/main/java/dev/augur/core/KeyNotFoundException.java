package dev.augur.core;

/** A data source has no data for the requested key. The HTTP server answers 404. */
public class KeyNotFoundException extends DataSourceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public KeyNotFoundException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public KeyNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
