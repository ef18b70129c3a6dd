package dev.augur.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** A regression: one number, after the inverse of the manifest's output scale. */
public record Regression(double value) implements Prediction {
  @Override
  public Task task() {
    return Task.REGRESSION;
  }

  @Override
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("value", value);
    return f;
  }
}
