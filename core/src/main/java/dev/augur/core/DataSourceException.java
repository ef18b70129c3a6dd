package dev.augur.core;

/** A data source failed: unreachable, timed out, or returned data that cannot be read. */
public class DataSourceException extends AugurException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public DataSourceException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public DataSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
