package dev.augur.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A forecast: the next {@code horizon} values, mapped back by the inverse of the input series'
 * transform, and their timestamps when the input had dates (otherwise an empty list).
 */
public record Forecast(List<Double> values, List<String> timestamps) implements Prediction {
  /** Freezes the lists. */
  public Forecast {
    values = List.copyOf(values);
    timestamps = List.copyOf(Objects.requireNonNull(timestamps, "timestamps"));
  }

  /** A forecast without timestamps. */
  public Forecast(List<Double> values) {
    this(values, List.of());
  }

  @Override
  public Task task() {
    return Task.FORECAST;
  }

  @Override
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("values", values);
    if (!timestamps.isEmpty()) {
      f.put("timestamps", timestamps);
    }
    return f;
  }
}
