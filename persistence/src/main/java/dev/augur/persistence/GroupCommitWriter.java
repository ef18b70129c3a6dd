package dev.augur.persistence;

import dev.augur.core.AugurException;
import dev.augur.core.HistoryStoreException;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.OverloadedException;
import dev.augur.core.PredictionConflictException;
import dev.augur.core.PredictionRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent record writes into one transaction on one writer thread; each caller returns
 * once its own record is committed. One bad record (a conflicting id) fails only its own caller.
 * The queue is bounded; while the database is unreachable, writes fail fast for a short while
 * instead of piling up. Thread-safe.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final String INSERT =
      "INSERT INTO augur_prediction ("
          + RecordCodec.COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL)"
          + " ON CONFLICT (model, id) DO NOTHING";

  private final Jdbi jdbi;
  private final int maxGroup;
  private final long writeTimeoutMillis;
  private final BlockingQueue<Pending> queue;
  private final Thread thread;
  private final Availability availability;
  private final WriteListener listener;
  private volatile boolean closed;

  /** Observes committed groups, e.g. for metrics. */
  interface WriteListener {
    void onCommit(int records, long nanos);
  }

  GroupCommitWriter(
      Jdbi jdbi,
      int maxGroup,
      int maxQueue,
      long writeTimeoutMillis,
      Availability availability,
      WriteListener listener) {
    this.jdbi = jdbi;
    this.maxGroup = maxGroup;
    this.writeTimeoutMillis = writeTimeoutMillis;
    this.queue = new ArrayBlockingQueue<>(maxQueue);
    this.availability = availability;
    this.listener = listener;
    this.thread = new Thread(this::run, "augur-history-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Writes records durably; results in order (the stored record for an idempotent replay). */
  List<PredictionRecord> write(List<PredictionRecord> records) {
    if (closed) {
      throw new HistoryStoreException("the history store is closed");
    }
    availability.checkFailFast();
    List<Pending> mine = new ArrayList<>(records.size());
    for (PredictionRecord r : records) {
      Pending p = new Pending(r, Row.of(r), new CompletableFuture<>());
      if (!queue.offer(p)) {
        for (Pending q : mine) {
          q.result.completeExceptionally(new OverloadedException("history write queue is full"));
        }
        throw new OverloadedException(
            "the history write queue is full ("
                + (queue.size() + queue.remainingCapacity())
                + " records)");
      }
      mine.add(p);
    }
    List<PredictionRecord> out = new ArrayList<>(mine.size());
    for (Pending p : mine) {
      out.add(await(p.result));
    }
    return out;
  }

  private PredictionRecord await(CompletableFuture<PredictionRecord> f) {
    try {
      return f.get(writeTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HistoryStoreException("interrupted while writing the history", e);
    } catch (TimeoutException e) {
      throw new HistoryUnavailableException(
          "the history store did not commit within " + writeTimeoutMillis + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AugurException a) {
        throw a;
      }
      throw new HistoryStoreException("history write failed: " + e.getCause(), e.getCause());
    }
  }

  private void run() {
    List<Pending> group = new ArrayList<>(maxGroup);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, maxGroup - 1);
        commit(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        // the writer must outlive any failure, or every later write would hang
        log.error("history writer failed", e);
        for (Pending p : group) {
          p.result.completeExceptionally(e);
        }
      } finally {
        group.clear();
      }
    }
  }

  private void commit(List<Pending> group) {
    long t0 = System.nanoTime();
    try {
      List<Object> results = jdbi.inTransaction(h -> insert(h, group));
      availability.succeeded();
      for (int i = 0; i < group.size(); i++) {
        Object r = results.get(i);
        if (r instanceof PredictionRecord rec) {
          group.get(i).result.complete(rec);
        } else {
          group.get(i).result.completeExceptionally((RuntimeException) r);
        }
      }
      listener.onCommit(group.size(), System.nanoTime() - t0);
    } catch (SQLException | RuntimeException | AssertionError e) {
      // (JDBC drivers assert on broken connections when assertions are on)
      RuntimeException failure = availability.classify(e, "cannot write the prediction history");
      if (failure instanceof HistoryUnavailableException) {
        log.warn("history store unavailable: {}", failure.getMessage());
      } else {
        log.error("history write failed", e);
      }
      for (Pending p : group) {
        p.result.completeExceptionally(failure);
      }
    }
  }

  /** Inserts the group; for ids that already existed decides replay or conflict. */
  private List<Object> insert(Handle h, List<Pending> group) throws SQLException {
    // plain JDBC on the handle's connection: binding a batch through JDBI's argument factories
    // cost more than the insert itself
    int[] counts;
    try (PreparedStatement b = h.getConnection().prepareStatement(INSERT)) {
      for (Pending p : group) {
        PredictionRecord r = p.record;
        Row row = p.row;
        b.setString(1, r.model());
        b.setString(2, r.id());
        b.setString(3, r.version());
        b.setString(4, row.task());
        b.setLong(5, row.createdAt());
        b.setString(6, row.observation());
        b.setString(7, row.prediction());
        b.setString(8, row.predLabel());
        if (row.predScore() == null) {
          b.setNull(9, Types.DOUBLE);
        } else {
          b.setDouble(9, row.predScore());
        }
        b.setDouble(10, r.latencyMs());
        b.addBatch();
      }
      counts = b.executeBatch();
    }
    List<Object> out = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      PredictionRecord r = group.get(i).record;
      if (counts[i] > 0) {
        out.add(asStored(r));
        continue;
      }
      PredictionRecord stored =
          h.createQuery("SELECT * FROM augur_prediction WHERE model = :m AND id = :id")
              .bind("m", r.model())
              .bind("id", r.id())
              .map((rs, ctx) -> RecordCodec.read(rs))
              .one();
      if (stored.observation().sameAs(r.observation())) {
        out.add(stored);
      } else {
        out.add(
            new PredictionConflictException(
                "prediction id '"
                    + r.id()
                    + "' of model "
                    + r.model()
                    + " was already used with a different observation"));
      }
    }
    return out;
  }

  /** The record as it reads back: times are kept to the microsecond. */
  private static PredictionRecord asStored(PredictionRecord r) {
    Instant t = r.createdAt().truncatedTo(ChronoUnit.MICROS);
    return t.equals(r.createdAt())
        ? r
        : new PredictionRecord(
            r.id(),
            r.model(),
            r.version(),
            t,
            r.observation(),
            r.prediction(),
            r.outcome(),
            r.outcomeAt(),
            r.latencyMs());
  }

  /** Stops taking writes, commits what is queued, stops the thread. Idempotent. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Pending(
      PredictionRecord record, Row row, CompletableFuture<PredictionRecord> result) {}

  /**
   * A record's column values, encoded on the caller's thread: the writer is one thread, so the JSON
   * work is spread over the callers and the writer only binds and commits.
   */
  private record Row(
      String task,
      long createdAt,
      String observation,
      String prediction,
      String predLabel,
      Double predScore) {
    static Row of(PredictionRecord r) {
      return new Row(
          r.prediction().task().id(),
          RecordCodec.micros(r.createdAt()),
          RecordCodec.observationJson(r.observation()),
          RecordCodec.predictionJson(r.prediction()),
          RecordCodec.predLabel(r.prediction()),
          RecordCodec.predScore(r.prediction()));
    }
  }
}
