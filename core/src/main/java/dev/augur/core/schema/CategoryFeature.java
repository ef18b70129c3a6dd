package dev.augur.core.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code category}: one-hot in the order of {@code categories}; a nullable null is all zeros.
 * Values match by their text, so {@code 2008}, {@code 2008.0} and {@code "2008"} are the same.
 */
public final class CategoryFeature implements Feature, TabularFeature {
  private final String name;
  private final boolean nullable;
  private final List<Object> categories;
  private final Map<String, Integer> index = new HashMap<>();

  /** A category feature; {@code categories} may hold strings or numbers. */
  public CategoryFeature(String name, boolean nullable, List<Object> categories) {
    this.name = java.util.Objects.requireNonNull(name, "name");
    this.nullable = nullable;
    this.categories = java.util.Collections.unmodifiableList(new ArrayList<>(categories));
    for (int i = 0; i < categories.size(); i++) {
      index.putIfAbsent(Values.categoryKey(categories.get(i)), i);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean nullable() {
    return nullable;
  }

  /** The categories in one-hot order. */
  public List<Object> categories() {
    return categories;
  }

  @Override
  public FeatureType type() {
    return FeatureType.CATEGORY;
  }

  @Override
  public int width() {
    return categories.size();
  }

  @Override
  public Object coerce(Object raw, boolean fromText, Violations v) {
    String key = Values.categoryKey(raw);
    Integer i = key == null ? null : index.get(key);
    if (i == null) {
      List<String> shown = new ArrayList<>();
      for (int k = 0; k < Math.min(categories.size(), 20); k++) {
        shown.add(String.valueOf(categories.get(k)));
      }
      v.add(
          name,
          (key == null
                  ? "must be a string or number, not " + Values.jsonType(raw)
                  : "unknown category " + Values.quote(raw))
              + "; expected one of "
              + shown
              + (categories.size() > 20 ? " (" + categories.size() + " in all)" : ""));
      return null;
    }
    return i;
  }

  @Override
  public void encode(Object canonical, float[] row, int offset) {
    for (int k = 0; k < categories.size(); k++) {
      row[offset + k] = 0f;
    }
    if (canonical != null) {
      row[offset + (Integer) canonical] = 1f;
    }
  }

  @Override
  public Map<String, Object> jsonSchema() {
    Map<String, Object> s = new LinkedHashMap<>();
    List<Object> e = new ArrayList<>(categories);
    if (nullable) {
      e.add(null);
    }
    s.put("enum", e);
    return s;
  }

  @Override
  public Object exampleValue() {
    return categories.get(0);
  }

  @Override
  public String toString() {
    return "CategoryFeature[" + name + ", " + categories.size() + " categories]";
  }
}
