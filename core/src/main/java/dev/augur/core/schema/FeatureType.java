package dev.augur.core.schema;

import java.util.Locale;
import java.util.Optional;

/** The feature types of a model's input schema (the manifest's {@code type}). */
public enum FeatureType {
  /** A real number. */
  NUMBER,
  /** A whole number. */
  INTEGER,
  /** true or false. */
  BOOLEAN,
  /** One of a fixed list of values, one-hot encoded. */
  CATEGORY,
  /** An ISO-8601 date-time, encoded as calendar parts. */
  DATETIME,
  /** Free text, encoded as token ids. */
  TEXT,
  /** A picture: base64 PNG/JPEG or a nested numeric array. */
  IMAGE,
  /** An array of numbers: the window of a time series. */
  SERIES;

  /** The manifest spelling. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the feature goes into the single tabular float tensor. */
  public boolean isTabular() {
    return ordinal() <= DATETIME.ordinal();
  }

  /** Parses the manifest spelling. */
  public static Optional<FeatureType> fromId(String id) {
    for (FeatureType t : values()) {
      if (t.id().equals(id)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
