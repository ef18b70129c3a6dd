package dev.augur.core.history;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Which labelled records a quality report covers: all of them or those of the last {@code window},
 * of every version's answered records or of one version's (its shadow predictions included, for
 * champion and challenger). Immutable; start from {@link #all()} or {@link #last(Duration)} and
 * refine with {@link #version(String)}.
 *
 * <pre>{@code
 * QualityReport week = augur.quality("titanic", QualityQuery.last(Duration.ofDays(7)));
 * QualityReport challenger = augur.quality("titanic", QualityQuery.last(Duration.ofDays(7)).version("2"));
 * }</pre>
 *
 * @param window only the records of the last {@code window}, or empty for all of them
 * @param version only this version's records, or empty for every version's answered ones
 */
public record QualityQuery(Optional<Duration> window, Optional<String> version) {
  /** Checks that the parts are not null. */
  public QualityQuery {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(version, "version");
  }

  /** Every labelled answered record. */
  public static QualityQuery all() {
    return new QualityQuery(Optional.empty(), Optional.empty());
  }

  /** The labelled answered records of the last {@code window}. */
  public static QualityQuery last(Duration window) {
    return new QualityQuery(
        Optional.of(Objects.requireNonNull(window, "window")), Optional.empty());
  }

  /** This query, over one version's records (its shadow predictions included). */
  public QualityQuery version(String version) {
    return new QualityQuery(window, Optional.of(Objects.requireNonNull(version, "version")));
  }
}
