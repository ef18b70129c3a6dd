package dev.augur.core;

/**
 * A key a data source refuses to look up because of its form (a {@code /}, {@code ..} or a control
 * character where the key becomes part of a URL). The HTTP server answers 400 naming the key.
 */
public class InvalidSourceKeyException extends DataSourceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public InvalidSourceKeyException(String message) {
    super(message);
  }
}
