package dev.augur.persistence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes old records in bounded batches. Each batch is its own short transaction of at most {@code
 * batchSize} rows of one model, chosen through the {@code (model, created_at, id)} index, so the
 * history writer never waits long for the table; on SQLite each batch takes its {@link WriteTurns
 * turn} beside the writer's commits. Between batches the purge pauses as long as the last batch
 * took, leaving the writer at least half of the time. With a retention period, a daemon thread
 * purges periodically. Thread-safe.
 */
final class Retention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  // every model with rows, by skipping through the primary key: no full scan, no extra index
  private static final String MODELS =
      "WITH RECURSIVE m(model) AS (SELECT MIN(model) FROM augur_prediction UNION ALL"
          + " SELECT (SELECT MIN(model) FROM augur_prediction WHERE model > m.model) FROM m"
          + " WHERE m.model IS NOT NULL) SELECT model FROM m WHERE model IS NOT NULL";
  // by the answered rows' ids (on the index); a shadow prediction shares its id and time, so it
  // goes with its answered row
  private static final String DELETE_BATCH =
      "DELETE FROM augur_prediction WHERE model = :m AND id IN (SELECT id FROM augur_prediction"
          + " WHERE model = :m AND shadow = FALSE AND created_at < :c ORDER BY created_at LIMIT"
          + " :n)";

  private final Jdbi jdbi;
  private final WriteTurns turns;
  private final int batchSize;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private volatile boolean closed;

  /** Sees the size of every batch deleted (tests). */
  volatile java.util.function.IntConsumer onBatch = n -> {};

  /** Opened when the first scheduled round has finished, successfully or not (tests). */
  final java.util.concurrent.CountDownLatch firstRound = new java.util.concurrent.CountDownLatch(1);

  Retention(Jdbi jdbi, WriteTurns turns, int batchSize, Clock clock) {
    this.jdbi = jdbi;
    this.turns = turns;
    this.batchSize = batchSize;
    this.clock = clock;
    this.thread = BackgroundHistoryStore.daemon("augur-history-retention");
  }

  /**
   * Purges records older than {@code keep} every {@code interval}, the first time after {@code
   * firstDelay}.
   */
  void schedule(Duration keep, Duration firstDelay, Duration interval) {
    log.info("retention: records older than {} are purged every {}", keep, interval);
    // nothing to check in the future: each round catches and logs its own failure (the next round
    // tries again), and close() ends the rounds by shutting the thread down
    ScheduledFuture<?> unused =
        thread.scheduleWithFixedDelay(
            () -> {
              try {
                long n = purge(Instant.now(clock).minus(keep));
                if (n > 0) {
                  log.info("retention: purged {} records older than {}", n, keep);
                }
              } catch (RuntimeException e) {
                // the database may be down: the next round tries again
                log.warn("retention: purge failed: {}", Availability.rootMessage(e));
              } finally {
                firstRound.countDown();
              }
            },
            firstDelay.toMillis(),
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Deletes every record created before {@code cutoff}, batch by batch; returns how many. */
  long purge(Instant cutoff) {
    long micros = RecordCodec.micros(cutoff);
    long total = 0;
    List<String> models;
    try (Handle h = jdbi.open()) {
      models = h.createQuery(MODELS).mapTo(String.class).list();
    }
    for (String model : models) {
      int n;
      do {
        if (closed) {
          return total;
        }
        long t0 = System.nanoTime();
        n = jdbi.withHandle(h -> deleteBatch(h, model, micros));
        total += n;
        onBatch.accept(n);
        // a batch holds batchSize answered rows and their shadow rows, if any
        if (n >= batchSize) {
          pause(System.nanoTime() - t0);
        }
      } while (n >= batchSize);
    }
    return total;
  }

  private int deleteBatch(Handle h, String model, long micros) {
    turns.enter();
    try {
      return h.createUpdate(DELETE_BATCH)
          .bind("m", model)
          .bind("c", micros)
          .bind("n", batchSize)
          .execute();
    } finally {
      turns.leave();
    }
  }

  /** Leaves the table to the writer for as long as the last batch held it. */
  private static void pause(long nanos) {
    java.util.concurrent.locks.LockSupport.parkNanos(nanos);
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdown(); // no interrupt: a batch in progress commits, then the purge stops
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
