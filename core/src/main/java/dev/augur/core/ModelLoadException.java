package dev.augur.core;

/**
 * A model package could not be read or loaded: a bad manifest, a missing artifact, an engine
 * failure.
 */
public class ModelLoadException extends AugurException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public ModelLoadException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
