package dev.augur.core.history;

import dev.augur.core.InvalidInputException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link dev.augur.core.HistoryStore#sample} reads: the records created in {@code [from, to)},
 * about {@code limit} of them at most, of one version or of every version. Immutable; {@link
 * #between(Instant, Instant)}, then {@link #limit(int)} and {@link #version(String)}.
 *
 * <pre>{@code
 * long n = store.sample("titanic", SampleQuery.between(from, to).limit(10_000).version("2"), rows::add);
 * }</pre>
 *
 * @param from the first instant in the window
 * @param to the first instant after it
 * @param limit the most records to hand over (at least 1)
 * @param version only this version's records (its shadow predictions included), or empty for the
 *     answered records of every version
 */
public record SampleQuery(Instant from, Instant to, int limit, Optional<String> version) {
  /** The limit of {@link #between(Instant, Instant)}: 50,000 records. */
  public static final int DEFAULT_LIMIT = 50_000;

  /** Checks the arguments: none null, {@code limit} at least 1. */
  public SampleQuery {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(version, "version");
    if (limit < 1) {
      throw new InvalidInputException("limit", "must be at least 1");
    }
  }

  /** Every version's answered records in {@code [from, to)}, at most {@link #DEFAULT_LIMIT}. */
  public static SampleQuery between(Instant from, Instant to) {
    return new SampleQuery(from, to, DEFAULT_LIMIT, Optional.empty());
  }

  /** The same window, at most {@code limit} records. */
  public SampleQuery limit(int limit) {
    return new SampleQuery(from, to, limit, version);
  }

  /** The same window, only {@code version}'s records. */
  public SampleQuery version(String version) {
    return new SampleQuery(
        from, to, limit, Optional.of(Objects.requireNonNull(version, "version")));
  }
}
