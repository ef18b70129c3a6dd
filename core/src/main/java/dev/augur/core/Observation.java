package dev.augur.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The input of one prediction: field name to a JSON-like value ({@code String}, {@code Number},
 * {@code Boolean}, {@code null}, {@code List} or {@code Map}). Fields the schema does not name are
 * kept (they are recorded in the history) but not given to the model. Immutable; null values are
 * allowed and mean "missing".
 *
 * <pre>{@code
 * Observation obs = Observation.of(Map.of("Age", 22.0, "Sex", "male", "Pclass", 3));
 * }</pre>
 */
public final class Observation {
  private final Map<String, Object> values;
  private final boolean fromText;

  private Observation(Map<String, Object> values, boolean fromText) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.fromText = fromText;
  }

  /** An observation from JSON-like values, e.g. a parsed request body. */
  public static Observation of(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    return new Observation(new LinkedHashMap<>(values), false);
  }

  /**
   * An observation from string values, as a query string gives them: an empty value is null and
   * every value is coerced by the schema (numbers, booleans, comma-separated series).
   */
  public static Observation ofStrings(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    Map<String, Object> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, v == null || v.isEmpty() ? null : v));
    return new Observation(copy, true);
  }

  /** The fields as given, in their original order. */
  public Map<String, Object> values() {
    return values;
  }

  /** The value of one field, or null when absent or null. */
  public Object get(String field) {
    return values.get(field);
  }

  /** Whether the field is present (possibly with a null value). */
  public boolean has(String field) {
    return values.containsKey(field);
  }

  /** Whether the values came as strings (query form) and may be coerced from text. */
  public boolean isFromText() {
    return fromText;
  }

  /**
   * Whether the two observations carry the same values, as a replay of a prediction id must:
   * numbers compare by value ({@code 1}, {@code 1L}, {@code 1.0f} and {@code 1.0} are the same),
   * field order does not matter, lists compare element by element. This is the one rule for
   * replays, in the history stores and over HTTP.
   */
  public boolean sameAs(Observation other) {
    return sameValue(values, other.values);
  }

  /** {@link #sameAs} on JSON-like values. */
  public static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return sameNumber(x, y);
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !sameValue(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof java.util.List<?> x && b instanceof java.util.List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!sameValue(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static boolean sameNumber(Number x, Number y) {
    double dx = x.doubleValue();
    double dy = y.doubleValue();
    if (Double.isNaN(dx) || Double.isNaN(dy) || Double.isInfinite(dx) || Double.isInfinite(dy)) {
      return Double.compare(dx, dy) == 0;
    }
    // a float that stood for a decimal (1.1f) reads back from JSON as the double 1.1
    if (x instanceof Float || y instanceof Float) {
      return Float.compare(x.floatValue(), y.floatValue()) == 0;
    }
    return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString()))
        == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Observation other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "Observation" + values;
  }
}
