package dev.augur.core;

import dev.augur.core.model.ModelRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the shadow versions: after a prediction is answered and recorded, its observation is handed
 * to a bounded queue, and one background thread predicts it again with the model's shadow version
 * and records the result under the same id with {@code shadow = true}. The caller never waits: when
 * the queue is full the observation is dropped and counted, so a shadow that cannot keep up costs
 * its own coverage, never the answer's latency. The thread also yields to the answers: when more
 * than {@code yieldAbove} of them are in flight as it takes a batch from the queue, it skips the
 * batch (counted) instead of competing with them for the CPU. Thread-safe; {@link #close()} stops
 * the thread, giving it a moment to finish what is queued.
 */
final class ShadowRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShadowRunner.class);

  /** Observations predicted together in one forward pass of a shadow version. */
  private static final int MAX_BATCH = 32;

  private final ModelRegistry models;
  private final HistoryStore history;
  private final Map<String, String> versions;
  private final Map<String, Counts> counts = new LinkedHashMap<>();
  private final BlockingQueue<PredictionRecord> queue;
  private final Thread thread;
  private final IntSupplier answering;
  private final int yieldAbove;
  private volatile boolean closed;

  /**
   * @param answering how many answers are in flight now
   * @param yieldAbove the most answers in flight at which the shadow still predicts
   */
  ShadowRunner(
      ModelRegistry models,
      HistoryStore history,
      Map<String, String> versions,
      int capacity,
      IntSupplier answering,
      int yieldAbove) {
    this.models = models;
    this.answering = answering;
    this.yieldAbove = yieldAbove;
    this.history = history;
    this.versions = Map.copyOf(versions);
    versions.keySet().forEach(m -> counts.put(m, new Counts()));
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "augur-shadow");
    thread.setDaemon(true);
    thread.start();
  }

  /** The shadow version of a model, if it has one. */
  String version(String model) {
    return versions.get(model);
  }

  /**
   * Hands answered records to the shadow of their model, without waiting: those of a model without
   * a shadow, or answered by the shadow version itself, are skipped; beyond the queue's room they
   * are dropped and counted.
   */
  void submit(List<PredictionRecord> answered) {
    for (PredictionRecord r : answered) {
      String v = versions.get(r.model());
      if (v == null || v.equals(r.version()) || r.shadow()) {
        continue;
      }
      if (closed || !queue.offer(r)) {
        counts.get(r.model()).dropped.incrementAndGet();
      }
    }
  }

  /** What the shadow of a model has done so far. */
  ShadowStats stats(String model) {
    Counts c = counts.get(model);
    return c == null
        ? new ShadowStats(0, 0, 0, 0)
        : new ShadowStats(c.recorded.get(), c.dropped.get(), c.failed.get(), c.skipped.get());
  }

  private void run() {
    List<PredictionRecord> batch = new ArrayList<>(MAX_BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        PredictionRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        if (!closed && answering.getAsInt() > yieldAbove) {
          // the answers need the CPU: this batch goes unpredicted (best-effort under load)
          batch.forEach(r -> counts.get(r.model()).skipped.incrementAndGet());
          continue;
        }
        Map<String, List<PredictionRecord>> byModel = new LinkedHashMap<>();
        for (PredictionRecord r : batch) {
          byModel.computeIfAbsent(r.model(), m -> new ArrayList<>()).add(r);
        }
        byModel.forEach(this::shadow);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.error("shadow predictions failed", e);
      } finally {
        batch.clear();
      }
    }
  }

  /** Predicts a model's answered records with its shadow version and records the results. */
  private void shadow(String model, List<PredictionRecord> answered) {
    Counts c = counts.get(model);
    String version = versions.get(model);
    List<PredictionRecord> done;
    try {
      Predictor predictor = models.predictor(model, version);
      List<Observation> observations =
          answered.stream().map(PredictionRecord::observation).toList();
      long t0 = System.nanoTime();
      List<Prediction> ps;
      try {
        ps = predictor.predictBatch(observations);
      } catch (InvalidInputException batchFailed) {
        // the shadow's schema refuses one of them: predict the others one by one
        ps = new ArrayList<>();
        for (Observation o : observations) {
          try {
            ps.add(predictor.predict(o));
          } catch (InvalidInputException one) {
            ps.add(null);
          }
        }
      }
      double ms = (System.nanoTime() - t0) / 1e6 / answered.size();
      List<PredictionRecord> records = new ArrayList<>(answered.size());
      for (int i = 0; i < answered.size(); i++) {
        PredictionRecord a = answered.get(i);
        if (ps.get(i) == null) {
          c.failed.incrementAndGet();
          continue;
        }
        records.add(
            PredictionRecord.of(
                    a.id(), model, version, a.createdAt(), a.observation(), ps.get(i), ms)
                .asShadow());
      }
      done = history.recordAll(records);
    } catch (AugurException e) {
      c.failed.addAndGet(answered.size());
      log.warn(
          "shadow version {} of {} failed on {} predictions: {}",
          version,
          model,
          answered.size(),
          e.getMessage());
      return;
    }
    c.recorded.addAndGet(done.size());
    // an outcome recorded before its shadow prediction was written labels only the answered row:
    // carry it over, so that both versions are measured on the same labelled requests
    for (PredictionRecord s : done) {
      if (s.outcome().isEmpty()) {
        history
            .find(model, s.id())
            .flatMap(PredictionRecord::outcome)
            .ifPresent(o -> history.recordOutcome(model, s.id(), o));
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    int left = queue.size();
    if (left > 0) {
      log.warn("{} shadow predictions were not made: closing", left);
    }
  }

  private static final class Counts {
    final AtomicLong recorded = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
  }
}
