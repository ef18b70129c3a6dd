package dev.augur.core;

/** No data source has the requested name. The HTTP server answers 404. */
public class SourceNotFoundException extends DataSourceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public SourceNotFoundException(String message) {
    super(message);
  }
}
