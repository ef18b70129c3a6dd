package dev.augur.core.history;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The stretch of history a chart read covers: all of it, or the records of the last {@code
 * duration}. Immutable; {@link #all()} or {@link #last(Duration)}.
 *
 * <pre>{@code
 * List<MetricPoint> perHour = store.volume("titanic", Duration.ofHours(1), HistoryWindow.last(Duration.ofDays(7)));
 * }</pre>
 *
 * @param last only the records of the last {@code last}, or empty for all of them
 */
public record HistoryWindow(Optional<Duration> last) {
  private static final HistoryWindow ALL = new HistoryWindow(Optional.empty());

  /** Checks that {@code last} is not null. */
  public HistoryWindow {
    Objects.requireNonNull(last, "last");
  }

  /** All the history. */
  public static HistoryWindow all() {
    return ALL;
  }

  /** The records of the last {@code duration}. */
  public static HistoryWindow last(Duration duration) {
    return new HistoryWindow(Optional.of(Objects.requireNonNull(duration, "duration")));
  }
}
