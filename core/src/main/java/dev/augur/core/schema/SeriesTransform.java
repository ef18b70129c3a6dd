package dev.augur.core.schema;

import java.util.Locale;
import java.util.Optional;

/**
 * How a {@code series} window is normalised before the model sees it (and a forecast mapped back).
 */
public enum SeriesTransform {
  /** As given. */
  NONE,
  /** Divided by the last value of the window. */
  RELATIVE,
  /** Minus the window's mean, divided by its population standard deviation. */
  STANDARDIZE;

  /** The manifest spelling. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the manifest spelling. */
  public static Optional<SeriesTransform> fromId(String id) {
    for (SeriesTransform t : values()) {
      if (t.id().equals(id)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
