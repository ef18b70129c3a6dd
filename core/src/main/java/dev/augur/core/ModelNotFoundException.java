package dev.augur.core;

/** No model (or no version of it) has the requested name. The HTTP server answers 404. */
public class ModelNotFoundException extends AugurException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public ModelNotFoundException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public ModelNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
