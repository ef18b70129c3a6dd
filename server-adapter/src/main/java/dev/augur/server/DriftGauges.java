package dev.augur.server;

import dev.augur.core.Augur;
import dev.augur.core.drift.DriftQuery;
import dev.augur.core.drift.DriftReport;
import dev.augur.core.drift.FeatureDrift;
import dev.augur.core.drift.Profile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code augur_drift_psi{model,feature}}: the population stability index of the last 24 hours
 * against each model's training profile, per input feature and for the prediction. A scrape never
 * computes it: it reads the values of the last refresh and, when those are older than the refresh
 * interval (a minute), starts the next refresh on a background thread, so a model is measured at
 * most once a minute and only while someone scrapes. A feature without a value yet (fewer than 30
 * records in the last day) reads NaN. Models without a profile, or a server without a history, have
 * no series. Thread-safe.
 */
final class DriftGauges implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DriftGauges.class);

  private final Augur augur;
  private final MeterRegistry registry;
  private final long everyNanos;
  private final LongSupplier nanoTime;
  private final Map<List<String>, Double> values = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicInteger refreshes = new AtomicInteger();
  private final ExecutorService thread;
  private volatile long last;
  private volatile boolean never = true;

  DriftGauges(Augur augur, MeterRegistry registry, Duration every, LongSupplier nanoTime) {
    this.augur = augur;
    this.registry = registry;
    this.everyNanos = every.toNanos();
    this.nanoTime = nanoTime;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "augur-drift-gauges");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts a refresh in the background when the values are older than the interval. */
  void maybeRefresh() {
    if (augur.history().isEmpty()) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (!never && now - last < everyNanos) {
      return;
    }
    if (!running.compareAndSet(false, true)) {
      return;
    }
    never = false;
    last = now;
    try {
      thread.execute(this::refresh);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      running.set(false);
    }
  }

  /** How many refreshes have finished (tests). */
  int refreshes() {
    return refreshes.get();
  }

  private void refresh() {
    try {
      for (String model : augur.models().names()) {
        try {
          if (Profile.find(augur.manifest(model).directory()).isEmpty()) {
            continue;
          }
          DriftReport r = augur.drift(model, DriftQuery.lastDay());
          for (FeatureDrift f : r.features()) {
            List<String> key = List.of(model, f.name());
            if (values.put(key, f.value().orElse(Double.NaN)) == null) {
              Gauge.builder("augur.drift.psi", values, v -> v.getOrDefault(key, Double.NaN))
                  .description(
                      "population stability index of the last 24 hours against the training"
                          + " profile, per feature (refreshed at most once a minute)")
                  .tag("model", model)
                  .tag("feature", f.name())
                  .register(registry);
            }
          }
        } catch (RuntimeException e) {
          log.warn("drift of {} for the metrics failed: {}", model, e.getMessage());
        }
      }
    } finally {
      refreshes.incrementAndGet();
      running.set(false);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
