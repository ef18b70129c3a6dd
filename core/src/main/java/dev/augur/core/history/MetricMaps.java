package dev.augur.core.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers of the quality records: ordered maps and lists that keep their nulls. */
final class MetricMaps {
  private MetricMaps() {}

  /** An unmodifiable map that keeps its order and null values, from name-value pairs. */
  static Map<String, Object> ordered(Object... nameValue) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put((String) nameValue[i], nameValue[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** An unmodifiable copy that keeps null elements (a step with no data yet). */
  static List<Double> steps(List<Double> values) {
    return Collections.unmodifiableList(new ArrayList<>(values));
  }
}
