package dev.augur.core.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@code boolean}: true becomes 1.0, false 0.0; accepts true/false, "true"/"false", 0/1. */
public record BooleanFeature(String name, boolean nullable, Optional<Boolean> impute)
    implements Feature, TabularFeature {

  @Override
  public FeatureType type() {
    return FeatureType.BOOLEAN;
  }

  @Override
  public int width() {
    return 1;
  }

  @Override
  public Object coerce(Object raw, boolean fromText, Violations v) {
    if (raw instanceof Boolean b) {
      return b;
    }
    if (raw instanceof Number n) {
      double d = n.doubleValue();
      if (d == 0 || d == 1) {
        return d == 1;
      }
    }
    if (raw instanceof String s) {
      switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "1" -> {
          return true;
        }
        case "false", "0" -> {
          return false;
        }
        default -> {}
      }
    }
    v.add(name, "must be true or false (or 1 / 0)");
    return null;
  }

  @Override
  public void encode(Object canonical, float[] row, int offset) {
    boolean b = canonical == null ? impute.orElse(false) : (Boolean) canonical;
    row[offset] = b ? 1f : 0f;
  }

  @Override
  public Map<String, Object> jsonSchema() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", nullable ? List.of("boolean", "null") : "boolean");
    return s;
  }

  @Override
  public Object exampleValue() {
    return false;
  }
}
