package dev.augur.core.source;

import dev.augur.core.DataSource;
import dev.augur.core.DataSourceException;
import dev.augur.core.KeyNotFoundException;
import dev.augur.core.internal.Csv;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Series from a CSV file or classpath resource, in long format (a key column, a time column, a
 * value column, one row per key and time) or wide format (a time column and one column per key).
 * The file is read once, indexed by key, and read again only when its modification time changes.
 * Thread-safe.
 *
 * <pre>{@code
 * DataSource stocks = CsvDataSource.builder("stocks").file(Path.of("spi_sectors.csv"))
 *     .key("symbol").time("date").value("close").build();
 * List<Point> last30 = stocks.fetch("SPI", 30);
 * }</pre>
 */
public final class CsvDataSource implements DataSource {
  private final String name;
  private final Optional<Path> file;
  private final Optional<String> resource;
  private final Optional<String> keyColumn;
  private final String timeColumn;
  private final Optional<String> valueColumn;
  private volatile Index index;

  private CsvDataSource(Builder b) {
    this.name = b.name;
    this.file = Optional.ofNullable(b.file);
    this.resource = Optional.ofNullable(b.resource);
    this.keyColumn = Optional.ofNullable(b.key);
    this.timeColumn = b.time;
    this.valueColumn = Optional.ofNullable(b.value);
  }

  /** A builder for a source named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> keys() {
    return List.copyOf(index().series.keySet());
  }

  @Override
  public List<Point> fetch(String key, int n) {
    Objects.requireNonNull(key, "key");
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1");
    }
    List<Point> all = index().series.get(key);
    if (all == null) {
      throw new KeyNotFoundException("source " + name + " has no key '" + key + "'");
    }
    return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
  }

  @Override
  public Optional<Map<String, Object>> row(String key) {
    Map<String, Object> r = index().lastRows.get(key);
    if (r == null) {
      throw new KeyNotFoundException("source " + name + " has no key '" + key + "'");
    }
    return Optional.of(r);
  }

  private Index index() {
    Index i = index;
    long stamp = stamp();
    if (i == null || i.stamp != stamp) {
      synchronized (this) {
        i = index;
        if (i == null || i.stamp != stamp) {
          i = load(stamp);
          index = i;
        }
      }
    }
    return i;
  }

  private long stamp() {
    if (file.isEmpty()) {
      return 0;
    }
    try {
      return Files.getLastModifiedTime(file.get()).toMillis() ^ Files.size(file.get());
    } catch (IOException e) {
      throw new DataSourceException(
          "source " + name + ": cannot read " + file.get() + ": " + e.getMessage(), e);
    }
  }

  private String where() {
    return file.map(Path::toString).orElseGet(() -> "classpath:" + resource.orElseThrow());
  }

  private InputStream open() throws IOException {
    if (file.isPresent()) {
      return Files.newInputStream(file.get());
    }
    InputStream in =
        Thread.currentThread().getContextClassLoader().getResourceAsStream(resource.orElseThrow());
    if (in == null) {
      throw new IOException("resource not found");
    }
    return in;
  }

  private Index load(long stamp) {
    Map<String, List<Point>> series = new TreeMap<>();
    Map<String, Map<String, Object>> lastRows = new HashMap<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(open(), StandardCharsets.UTF_8))) {
      String headerLine = r.readLine();
      if (headerLine == null) {
        throw new DataSourceException("source " + name + ": " + where() + " is empty");
      }
      List<String> header =
          Csv.split(headerLine.startsWith("\uFEFF") ? headerLine.substring(1) : headerLine);
      int t = column(header, timeColumn);
      int k = keyColumn.map(c -> column(header, c)).orElse(-1);
      int v = valueColumn.map(c -> column(header, c)).orElse(-1);
      String line;
      int lineNo = 1;
      while ((line = Csv.readRecord(r, r.readLine())) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        List<String> cells = Csv.split(line);
        if (cells.size() != header.size()) {
          throw malformed(
              lineNo, "has " + cells.size() + " fields; the header has " + header.size());
        }
        final int at = lineNo;
        Object time =
            TimeValues.parse(cells.get(t))
                .orElseThrow(
                    () ->
                        malformed(
                            at,
                            "column " + timeColumn + " is not an ISO date, date-time or number"));
        if (k >= 0) {
          String key = cells.get(k);
          Map<String, Object> row = new LinkedHashMap<>();
          for (int c = 0; c < header.size(); c++) {
            row.put(header.get(c), typed(cells.get(c)));
          }
          lastRows.put(key, row);
          if (v >= 0 && !cells.get(v).isBlank()) {
            series
                .computeIfAbsent(key, x -> new ArrayList<>())
                .add(new Point(time, number(cells.get(v), lineNo, header.get(v))));
          }
        } else {
          for (int c = 0; c < header.size(); c++) {
            if (c != t && !cells.get(c).isBlank()) {
              series
                  .computeIfAbsent(header.get(c), x -> new ArrayList<>())
                  .add(new Point(time, number(cells.get(c), lineNo, header.get(c))));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new DataSourceException(
          "source " + name + ": cannot read " + where() + ": " + e.getMessage(), e);
    }
    series.values().forEach(l -> l.sort(Comparator.comparing(p -> sortKey(p.t()))));
    return new Index(stamp, series, lastRows);
  }

  private static Comparable<Object> sortKey(Object t) {
    // the times of one source are all of one kind (numbers, dates or instants), so they compare
    @SuppressWarnings("unchecked")
    Comparable<Object> c =
        (Comparable<Object>) (t instanceof Number n ? (Object) n.doubleValue() : t);
    return c;
  }

  private int column(List<String> header, String col) {
    int i = header.indexOf(col);
    if (i < 0) {
      throw new DataSourceException(
          "source " + name + ": " + where() + " has no column '" + col + "'; columns: " + header);
    }
    return i;
  }

  private double number(String s, int line, String col) {
    try {
      double d = Double.parseDouble(s.trim());
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw malformed(line, "column " + col + " is not a number");
    }
  }

  private static Object typed(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? (Object) d : s;
    } catch (NumberFormatException e) {
      return s;
    }
  }

  private DataSourceException malformed(int line, String what) {
    return new DataSourceException(
        "source " + name + ": " + where() + " line " + line + " " + what);
  }

  @Override
  public String toString() {
    return "CsvDataSource[" + name + ", " + where() + "]";
  }

  private record Index(
      long stamp, Map<String, List<Point>> series, Map<String, Map<String, Object>> lastRows) {}

  /** Builds a {@link CsvDataSource}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private Path file;
    private String resource;
    private String key;
    private String time = "date";
    private String value;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** Reads a file. */
    public Builder file(Path file) {
      this.file = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Reads a classpath resource. */
    public Builder resource(String resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /**
     * Long format: the column holding the key. Without it, the file is wide (one column per key).
     */
    public Builder key(String column) {
      this.key = column;
      return this;
    }

    /** The time column (default {@code date}). */
    public Builder time(String column) {
      this.time = Objects.requireNonNull(column, "column");
      return this;
    }

    /** Long format: the value column. */
    public Builder value(String column) {
      this.value = column;
      return this;
    }

    /** The source; the file is read on first use. */
    public CsvDataSource build() {
      if ((file == null) == (resource == null)) {
        throw new IllegalStateException("set exactly one of file(...) or resource(...)");
      }
      if (key != null && value == null) {
        throw new IllegalStateException("a long-format CSV needs value(column) beside key(column)");
      }
      return new CsvDataSource(this);
    }
  }
}
