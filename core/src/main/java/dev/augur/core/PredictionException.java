package dev.augur.core;

/** The engine failed while running a prediction for valid input. */
public class PredictionException extends AugurException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message. */
  public PredictionException(String message) {
    super(message);
  }

  /** Creates the exception with a message and its cause. */
  public PredictionException(String message, Throwable cause) {
    super(message, cause);
  }
}
