package dev.augur.core.history;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One time bucket of a series for charts: the bucket's start, how many records fell in it, and the
 * metric's value there (empty when it cannot be computed, e.g. no labelled record yet).
 */
public record MetricPoint(Instant start, long count, Optional<Double> value) {
  /** Checks the parts are present. */
  public MetricPoint {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(value, "value");
  }
}
