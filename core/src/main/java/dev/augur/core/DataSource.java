package dev.augur.core;

import dev.augur.core.source.Point;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where model inputs come from when the caller gives only a key: the list of keys (e.g. stock
 * symbols for a drop-down), the latest points of a key's series, or a key's observation row.
 * Implementations are thread-safe; {@link #close()} releases what they hold (idempotent). Not to be
 * confused with {@code javax.sql.DataSource}.
 */
public interface DataSource extends AutoCloseable {
  /** The source's name, as declared in {@code sources.json}. */
  String name();

  /** Every key, sorted. */
  List<String> keys();

  /**
   * The last {@code n} points of a key's series, oldest first.
   *
   * @throws KeyNotFoundException when the key is unknown
   * @throws DataSourceException when the source fails (the cause is attached)
   */
  List<Point> fetch(String key, int n);

  /** A key's observation row (column name to value), for tabular sources; empty if unsupported. */
  default Optional<Map<String, Object>> row(String key) {
    return Optional.empty();
  }

  /** Releases connections, caches and threads. Idempotent. */
  @Override
  default void close() {}
}
