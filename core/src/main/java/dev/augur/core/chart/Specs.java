package dev.augur.core.chart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Defensive copies for the chart records, naming the field of a null. */
final class Specs {
  private Specs() {}

  static <T> List<T> copy(List<T> list, String field) {
    Objects.requireNonNull(list, field);
    List<T> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(Objects.requireNonNull(list.get(i), field + "[" + i + "]"));
    }
    return Collections.unmodifiableList(out);
  }

  static <V> Map<String, V> copy(Map<String, V> map, String field) {
    Objects.requireNonNull(map, field);
    Map<String, V> out = new LinkedHashMap<>();
    for (Map.Entry<String, V> e : map.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), field + " key");
      out.put(key, Objects.requireNonNull(e.getValue(), field + "[" + key + "]"));
    }
    return Collections.unmodifiableMap(out);
  }
}
