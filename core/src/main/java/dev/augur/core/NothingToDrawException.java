package dev.augur.core;

/**
 * A model chart cannot be drawn: the model has no records (or no labelled records) in the window
 * yet, too few for a drift chart, or the chart kind is not for the model's task (calibration is for
 * binary classifiers, a confusion matrix for classifiers). The message says which. Over HTTP, a
 * 404.
 */
public class NothingToDrawException extends AugurException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message saying what is missing. */
  public NothingToDrawException(String message) {
    super(message);
  }
}
