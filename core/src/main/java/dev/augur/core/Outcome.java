package dev.augur.core;

import java.util.List;
import java.util.Objects;

/**
 * The true outcome of a prediction, known later: a label (classification), a number (regression) or
 * a list of numbers (forecast).
 */
public sealed interface Outcome {
  /** The JSON form: a string, a number or an array of numbers. */
  Object toJson();

  /** The true label of a classification. */
  record Label(String label) implements Outcome {
    /** Checks the label is present. */
    public Label {
      Objects.requireNonNull(label, "label");
    }

    @Override
    public Object toJson() {
      return label;
    }
  }

  /** The true value of a regression. */
  record Value(double value) implements Outcome {
    /** Checks the value is finite. */
    public Value {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("an outcome value must be finite");
      }
    }

    @Override
    public Object toJson() {
      return value;
    }
  }

  /** The true values that followed a forecast, one per horizon step (possibly fewer). */
  record Values(List<Double> values) implements Outcome {
    /** Freezes the list. */
    public Values {
      values = List.copyOf(values);
    }

    @Override
    public Object toJson() {
      return values;
    }
  }
}
