package dev.augur.core.history;

import dev.augur.core.PredictionRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of history, newest first.
 *
 * @param items the records of this page, newest first
 * @param next the cursor to pass as {@code before} for the next (older) page; empty on the last
 */
public record HistoryPage(List<PredictionRecord> items, Optional<String> next) {
  /** Freezes the list. */
  public HistoryPage {
    items = List.copyOf(items);
    Objects.requireNonNull(next, "next");
  }
}
