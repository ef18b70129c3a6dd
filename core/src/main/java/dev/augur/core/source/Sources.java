package dev.augur.core.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.DataSource;
import dev.augur.core.DataSourceException;
import dev.augur.core.SourceNotFoundException;
import dev.augur.core.config.EnvReferences;
import dev.augur.core.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named data sources, usually read from {@code sources.json} in the model folder:
 *
 * <pre>{@code
 * {"sources": [
 *   {"name": "stocks", "type": "csv", "path": "stocks.csv", "key": "symbol", "time": "date", "value": "close"},
 *   {"name": "quotes", "type": "http", "url": "https://api.example.com/q/{key}",
 *    "times": "/chart/timestamps", "values": "/chart/close", "keys": ["AAPL", "MSFT"],
 *    "headers": {"Authorization": "Bearer ${env:QUOTES_KEY}"},
 *    "timeout_ms": 2000, "retries": 2, "cache_seconds": 60, "cache_entries": 1024,
 *    "max_body_bytes": 8388608},
 *   {"name": "warehouse", "type": "jdbc", "url": "jdbc:postgresql://…",
 *    "query": "select day, units from sales where sku = :key order by day",
 *    "keys_query": "select distinct sku from sales"}
 * ]}
 * }</pre>
 *
 * Paths are relative to the file's folder. A CSV source without {@code key} is in wide format: one
 * column per key. Closing closes every source.
 */
public final class Sources implements AutoCloseable, Iterable<DataSource> {
  private static final Logger log = LoggerFactory.getLogger(Sources.class);

  /** The file name looked for in a model folder. */
  public static final String FILE_NAME = "sources.json";

  private final Map<String, DataSource> byName;

  private Sources(Map<String, DataSource> byName) {
    this.byName = byName;
  }

  /** No sources. */
  public static Sources none() {
    return new Sources(Map.of());
  }

  /** The given sources, by their names. */
  public static Sources of(DataSource... sources) {
    return of(List.of(sources));
  }

  /** The given sources, by their names. */
  public static Sources of(Collection<? extends DataSource> sources) {
    Map<String, DataSource> m = new TreeMap<>();
    for (DataSource s : sources) {
      if (m.put(s.name(), s) != null) {
        throw new IllegalArgumentException("two sources are named " + s.name());
      }
    }
    return new Sources(m);
  }

  /**
   * Reads {@code dir/sources.json}, with {@code ${env:NAME}} in string values replaced by that
   * environment variable; no sources when the file does not exist.
   *
   * @throws DataSourceException naming the file and the entry's field when it is invalid, or the
   *     environment variable a reference names when it is not set
   */
  public static Sources read(Path dir) {
    return reader().read(dir);
  }

  /** A reader of {@code sources.json} files, to set where {@code ${env:NAME}} is looked up. */
  public static Reader reader() {
    return new Reader();
  }

  /** Reads {@code sources.json}. Not thread-safe. */
  public static final class Reader {
    private Function<String, String> environment = System::getenv;

    private Reader() {}

    /** Where {@code ${env:NAME}} is looked up (default {@link System#getenv(String)}). */
    public Reader environment(Function<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Reads {@code dir/sources.json}; no sources when the file does not exist.
     *
     * @throws DataSourceException naming the file and the entry's field when it is invalid
     */
    public Sources read(Path dir) {
      return Sources.read(dir, this);
    }
  }

  private static Sources read(Path dir, Reader reader) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return none();
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new DataSourceException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    try {
      // a missing node (an empty file) has no plain value; it fails below as before
      root =
          root == null || root.isMissingNode()
              ? root
              : Json.mapper()
                  .valueToTree(
                      EnvReferences.resolve(
                          Json.mapper().convertValue(root, Object.class), reader.environment));
    } catch (EnvReferences.UnresolvedException e) {
      throw new DataSourceException(file + ": " + e.getMessage());
    }
    JsonNode list = root == null ? null : root.get("sources");
    if (list == null || !list.isArray()) {
      throw new DataSourceException(file + ": expected {\"sources\": [ … ]}");
    }
    List<DataSource> out = new ArrayList<>();
    try {
      for (int i = 0; i < list.size(); i++) {
        out.add(entry(new Entry(file, i, list.get(i)), dir));
      }
      Sources s = of(out);
      log.info("data sources from {}: {}", file, s.names());
      return s;
    } catch (RuntimeException e) {
      out.forEach(DataSource::close);
      if (e instanceof DataSourceException) {
        throw e;
      }
      throw new DataSourceException(file + ": " + e.getMessage(), e);
    }
  }

  private record Entry(Path file, int index, JsonNode node) {
    String text(String field, boolean required) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          throw error(field, "is required");
        }
        return null;
      }
      if (!v.isTextual() || v.textValue().isBlank()) {
        throw error(field, "must be a non-empty string");
      }
      return v.textValue();
    }

    Optional<Integer> integer(String field, int min, int max) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return Optional.empty();
      }
      if (!v.canConvertToInt()
          || !v.isIntegralNumber()
          || v.intValue() < min
          || v.intValue() > max) {
        throw error(field, "must be an integer in " + min + ".." + max);
      }
      return Optional.of(v.intValue());
    }

    List<String> strings(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      if (v.isArray()) {
        for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
          JsonNode k = it.next();
          if (!k.isTextual()) {
            throw error(field, "must be an array of strings");
          }
          out.add(k.textValue());
        }
        return out;
      }
      throw error(field, "must be an array of strings");
    }

    Map<String, String> headers() {
      JsonNode v = node.get("headers");
      if (v == null || v.isNull()) {
        return Map.of();
      }
      if (!v.isObject()) {
        throw error("headers", "must be an object of header names to strings");
      }
      Map<String, String> out = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> h : v.properties()) {
        if (!h.getValue().isTextual()) {
          throw error("headers." + h.getKey(), "must be a string");
        }
        out.put(h.getKey(), h.getValue().textValue());
      }
      return out;
    }

    DataSourceException error(String field, String what) {
      String name = node.path("name").asText("");
      return new DataSourceException(
          file
              + ": sources["
              + index
              + "]"
              + (name.isEmpty() ? "" : " (" + name + ")")
              + "."
              + field
              + " "
              + what);
    }
  }

  private static DataSource entry(Entry e, Path dir) {
    if (!e.node().isObject()) {
      throw e.error("", "must be an object");
    }
    String name = e.text("name", true);
    String type = e.text("type", true);
    return switch (type) {
      case "csv" -> {
        CsvDataSource.Builder b = CsvDataSource.builder(name);
        String path = e.text("path", false);
        String resource = e.text("resource", false);
        if ((path == null) == (resource == null)) {
          throw e.error("path", "is required (or resource for a classpath file), not both");
        }
        if (path != null) {
          Path p = dir.resolve(path).normalize();
          if (!Files.isRegularFile(p)) {
            throw e.error("path", "names " + p + ", which does not exist");
          }
          b.file(p);
        } else {
          b.resource(resource);
        }
        Optional.ofNullable(e.text("key", false)).ifPresent(b::key);
        b.time(Optional.ofNullable(e.text("time", false)).orElse("date"));
        Optional.ofNullable(e.text("value", false)).ifPresent(b::value);
        yield b.build();
      }
      case "http" -> {
        HttpJsonDataSource.Builder b = HttpJsonDataSource.builder(name, e.text("url", true));
        Optional.ofNullable(e.text("times", false)).ifPresent(b::times);
        Optional.ofNullable(e.text("values", false)).ifPresent(b::values);
        b.keys(e.strings("keys"));
        e.integer("timeout_ms", 1, 600_000).ifPresent(ms -> b.timeout(Duration.ofMillis(ms)));
        e.integer("connect_timeout_ms", 1, 600_000)
            .ifPresent(ms -> b.connectTimeout(Duration.ofMillis(ms)));
        e.integer("retries", 0, 10).ifPresent(b::retries);
        e.integer("cache_seconds", 0, 86_400).ifPresent(s -> b.cache(Duration.ofSeconds(s)));
        e.integer("cache_entries", 1, 1_000_000).ifPresent(b::cacheEntries);
        e.integer("max_body_bytes", 1, 1 << 30).ifPresent(b::maxBodyBytes);
        e.headers()
            .forEach(
                (header, value) -> {
                  try {
                    b.header(header, value);
                  } catch (IllegalArgumentException x) {
                    throw e.error("headers." + header, "cannot be set (restricted or invalid)");
                  }
                });
        yield b.build();
      }
      case "jdbc" -> {
        JdbcDataSource.Builder b = JdbcDataSource.builder(name, e.text("url", true));
        b.query(e.text("query", true));
        Optional.ofNullable(e.text("keys_query", false)).ifPresent(b::keysQuery);
        String user = e.text("user", false);
        if (user != null) {
          b.credentials(user, Optional.ofNullable(e.text("password", false)).orElse(""));
        }
        e.integer("pool_size", 1, 64).ifPresent(b::poolSize);
        e.integer("connect_timeout_ms", 250, 600_000)
            .ifPresent(ms -> b.connectTimeout(Duration.ofMillis(ms)));
        e.integer("query_timeout_ms", 1, 3_600_000)
            .ifPresent(ms -> b.queryTimeout(Duration.ofMillis(ms)));
        e.integer("keys_cache_seconds", 0, 86_400)
            .ifPresent(s -> b.keysCache(Duration.ofSeconds(s)));
        yield b.build();
      }
      default -> throw e.error("type", "must be csv, http or jdbc, not '" + type + "'");
    };
  }

  /** The source names, sorted. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The source with this name, if any. */
  public Optional<DataSource> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * The source with this name.
   *
   * @throws SourceNotFoundException when there is none
   */
  public DataSource get(String name) {
    Objects.requireNonNull(name, "name");
    DataSource s = byName.get(name);
    if (s == null) {
      throw new SourceNotFoundException("no data source named '" + name + "'; sources: " + names());
    }
    return s;
  }

  /** Whether there are no sources. */
  public boolean isEmpty() {
    return byName.isEmpty();
  }

  @Override
  public Iterator<DataSource> iterator() {
    return byName.values().iterator();
  }

  @Override
  public void close() {
    byName.values().forEach(DataSource::close);
  }
}
