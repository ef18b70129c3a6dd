package dev.augur.core.schema;

import java.util.Map;

/**
 * One input of a model: its name, type and the fitted constants that turn a JSON value into tensor
 * values. Immutable and thread-safe. The records of this package are the feature types; {@link
 * InputSchema} reads them from a manifest.
 */
public sealed interface Feature
    permits NumberFeature,
        BooleanFeature,
        CategoryFeature,
        DatetimeFeature,
        TextFeature,
        ImageFeature,
        SeriesFeature {

  /** The field name in observations. */
  String name();

  /** The feature type. */
  FeatureType type();

  /** Whether null (or an absent field) is accepted. */
  boolean nullable();

  /** A JSON Schema for the field's value (used for OpenAPI and the web form). */
  Map<String, Object> jsonSchema();

  /** A valid value, used to build an example observation when the manifest gives none. */
  Object exampleValue();

  /**
   * Checks and converts one raw value (already known to be non-null) to the canonical form the
   * encoder uses; reports problems to {@code v} under this feature's name and returns null then.
   */
  Object coerce(Object raw, boolean fromText, Violations v);
}
