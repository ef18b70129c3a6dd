package dev.augur.core.history;

import java.util.Objects;
import java.util.Optional;

/**
 * Which page of a model's history to read: the newest {@code n} records, older than a cursor when
 * one is given, of the answered records or of the shadow version's. Immutable; start from {@link
 * #newest(int)} and refine with {@link #before(String)} and {@link #shadows()}.
 *
 * <pre>{@code
 * HistoryPage first = augur.history("titanic", HistoryQuery.newest(50));
 * HistoryPage second = augur.history("titanic", HistoryQuery.newest(50).before(first.next().get()));
 * }</pre>
 *
 * @param n how many records at most
 * @param before a cursor from a previous page's {@link HistoryPage#next()}, or empty for the newest
 * @param shadow the shadow version's records instead of the answered ones
 */
public record HistoryQuery(int n, Optional<String> before, boolean shadow) {
  /** Checks that {@code before} is not null. */
  public HistoryQuery {
    Objects.requireNonNull(before, "before");
  }

  /** The newest {@code n} answered records. */
  public static HistoryQuery newest(int n) {
    return new HistoryQuery(n, Optional.empty(), false);
  }

  /** This query, older than the cursor of a previous page ({@link HistoryPage#next()}). */
  public HistoryQuery before(String cursor) {
    return new HistoryQuery(n, Optional.of(Objects.requireNonNull(cursor, "cursor")), shadow);
  }

  /** This query, over the shadow version's records instead of the answered ones. */
  public HistoryQuery shadows() {
    return new HistoryQuery(n, before, true);
  }
}
