package dev.augur.core.drift;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One side of a drift comparison: a window of the history, or the training profile.
 *
 * @param source {@code "history"} or {@code "profile"}
 * @param from the window's start (inclusive); empty for a profile
 * @param to the window's end (exclusive); empty for a profile
 * @param count how many records the window holds, or how many rows the profile was made from
 */
public record DriftWindow(String source, Optional<Instant> from, Optional<Instant> to, long count) {
  /** Checks the parts are present. */
  public DriftWindow {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }
}
