package dev.augur.server;

import dev.augur.core.ForecastResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last forecasts made by {@code POST /forecast}, with their dated history, so that the chart
 * link of the answer draws on dates; older forecasts are drawn from their record, on step numbers.
 *
 * <p>Thread-safe.
 */
final class RecentForecasts {
  private static final int CAPACITY = 1000;

  // guarded by itself: an access-ordered map changes on every get
  private final Map<String, ForecastResult> recent =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ForecastResult> e) {
          return size() > CAPACITY;
        }
      };

  /** Keeps a forecast's dated history for its chart link. */
  void remember(ForecastResult r) {
    synchronized (recent) {
      recent.put(r.record().id(), r);
    }
  }

  /** The forecast of prediction {@code id}, while it is among the recent ones. */
  Optional<ForecastResult> find(String id) {
    synchronized (recent) {
      return Optional.ofNullable(recent.get(id));
    }
  }
}
