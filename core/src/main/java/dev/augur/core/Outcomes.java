package dev.augur.core;

import dev.augur.core.model.ModelManifest;
import java.util.ArrayList;
import java.util.List;

/** Reads a true outcome as a client sends it, by the model's task. */
final class Outcomes {
  private Outcomes() {}

  /**
   * Normalises a JSON outcome: for classification a label or its 0-based index in {@code labels} (a
   * boolean means the positive label or not for binary models); for regression a number; for a
   * forecast an array of at most {@code horizon} numbers.
   *
   * @throws InvalidInputException naming {@code field}
   */
  static Outcome parse(Object raw, ModelManifest m, String field) {
    if (raw == null) {
      throw new InvalidInputException(field, "is required");
    }
    List<String> labels = m.output().labels();
    switch (m.task()) {
      case BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION -> {
        if (raw instanceof Boolean b && m.output().positive().isPresent()) {
          String pos = m.output().positive().get();
          return new Outcome.Label(b ? pos : labels.get(1 - labels.indexOf(pos)));
        }
        if (raw instanceof String s && labels.contains(s)) {
          return new Outcome.Label(s);
        }
        Double d = number(raw);
        if (d != null && d == Math.rint(d) && d >= 0 && d < labels.size()) {
          return new Outcome.Label(labels.get(d.intValue()));
        }
        throw new InvalidInputException(
            field,
            "must be one of the labels " + labels + " or its index 0.." + (labels.size() - 1));
      }
      case REGRESSION -> {
        Double d = number(raw);
        if (d == null || !Double.isFinite(d)) {
          throw new InvalidInputException(field, "must be a finite number");
        }
        return new Outcome.Value(d);
      }
      case FORECAST -> {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
          throw new InvalidInputException(field, "must be a non-empty array of numbers");
        }
        if (list.size() > m.output().horizon()) {
          throw new InvalidInputException(
              field,
              "has " + list.size() + " values; the forecast horizon is " + m.output().horizon());
        }
        List<Double> values = new ArrayList<>();
        for (Object o : list) {
          Double d = number(o);
          if (d == null || !Double.isFinite(d)) {
            throw new InvalidInputException(field, "must hold only finite numbers");
          }
          values.add(d);
        }
        return new Outcome.Values(values);
      }
      default -> throw new IllegalStateException();
    }
  }

  private static Double number(Object raw) {
    if (raw instanceof Number n) {
      return n.doubleValue();
    }
    if (raw instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
