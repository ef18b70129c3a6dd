package dev.augur.core.drift;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of one feature in one window, kept as drift needs them: numbers in a growing array
 * (for the reference's deciles), categories as counts. Not thread-safe; bounded by the window
 * sample it is fed from.
 */
final class Column {
  private final boolean numeric;
  private double[] values = new double[64];
  private int size;
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private long nulls;

  private Column(boolean numeric) {
    this.numeric = numeric;
  }

  static Column numeric() {
    return new Column(true);
  }

  static Column categorical() {
    return new Column(false);
  }

  boolean isNumeric() {
    return numeric;
  }

  long rows() {
    return size + nulls + counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Adds one raw value as recorded (a JSON-like value; null or unreadable counts as null). */
  void add(Object raw) {
    if (numeric) {
      double x = number(raw);
      if (Double.isNaN(x)) {
        nulls++;
        return;
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = x;
    } else if (raw == null) {
      nulls++;
    } else {
      counts.merge(String.valueOf(raw), 1L, Long::sum);
    }
  }

  /** A number from a recorded value: numbers, numeric strings, ISO dates (epoch seconds). */
  static double number(Object raw) {
    if (raw instanceof Number n) {
      return n.doubleValue();
    }
    if (raw instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (raw instanceof String s && !s.isBlank()) {
      try {
        double d = Double.parseDouble(s.trim());
        return Double.isFinite(d) ? d : Double.NaN;
      } catch (NumberFormatException e) {
        return epochSeconds(s.trim());
      }
    }
    return Double.NaN;
  }

  private static double epochSeconds(String s) {
    try {
      return OffsetDateTime.parse(s).toEpochSecond();
    } catch (DateTimeParseException e) {
      // not an offset date-time: try the local forms below
    }
    try {
      return LocalDateTime.parse(s).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // nor a local date-time
    }
    try {
      return LocalDate.parse(s).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s).getEpochSecond();
      } catch (DateTimeParseException e2) {
        return Double.NaN;
      }
    }
  }

  /** This window as a reference: deciles of its numbers, or its categories' shares. */
  FeatureProfile profile() {
    double total = rows();
    if (numeric) {
      double[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      double[] edges = Psi.decileEdges(sorted);
      double[] shares = numericShares(edges, total);
      return new FeatureProfile.Numeric(
          Arrays.stream(edges).boxed().toList(),
          Arrays.stream(shares).boxed().toList(),
          total == 0 ? 0 : nulls / total);
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> shares.put(e.getKey(), e.getValue() / total));
    return new FeatureProfile.Categorical(shares, total == 0 ? 0 : nulls / total);
  }

  private double[] numericShares(double[] edges, double total) {
    double[] shares = new double[edges.length + 1];
    if (total == 0) {
      return shares;
    }
    for (int i = 0; i < size; i++) {
      shares[Psi.bin(edges, values[i])]++;
    }
    for (int i = 0; i < shares.length; i++) {
      shares[i] /= total;
    }
    return shares;
  }

  /**
   * The PSI of this window against a reference profile, on the reference's bins (plus, for
   * categories, any value only this window has) and a null bin.
   */
  double psiAgainst(FeatureProfile reference) {
    double total = rows();
    double nullShare = total == 0 ? 0 : nulls / total;
    if (reference instanceof FeatureProfile.Numeric n) {
      if (!numeric) {
        throw new IllegalArgumentException("a categorical window against a numeric reference");
      }
      double[] cur = numericShares(n.edgeArray(), total);
      double[] ref = new double[cur.length + 1];
      double[] c = Arrays.copyOf(cur, cur.length + 1);
      for (int i = 0; i < cur.length; i++) {
        ref[i] = n.shares().get(i);
      }
      ref[cur.length] = n.nullShare();
      c[cur.length] = nullShare;
      return Psi.of(ref, c);
    }
    FeatureProfile.Categorical cat = (FeatureProfile.Categorical) reference;
    Map<String, Long> current = numeric ? numbersAsCategories() : counts;
    java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>(cat.shares().keySet());
    keys.addAll(current.keySet());
    double[] ref = new double[keys.size() + 1];
    double[] cur = new double[keys.size() + 1];
    int i = 0;
    for (String k : keys) {
      ref[i] = cat.shares().getOrDefault(k, 0.0);
      cur[i] = total == 0 ? 0 : current.getOrDefault(k, 0L) / total;
      i++;
    }
    ref[i] = cat.nullShare();
    cur[i] = nullShare;
    return Psi.of(ref, cur);
  }

  private Map<String, Long> numbersAsCategories() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      m.merge(String.valueOf(values[i]), 1L, Long::sum);
    }
    return m;
  }

  /** The kinds a list of raw values would make; for tests. */
  static Column of(boolean numeric, List<?> raw) {
    Column c = new Column(numeric);
    raw.forEach(c::add);
    return c;
  }
}
