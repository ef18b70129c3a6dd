package dev.augur.persistence;

import dev.augur.core.HistoryStoreException;
import dev.augur.core.HistoryUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns at writing a SQLite file, taken in order of arrival by this process's writers: the history
 * writer's transactions, outcome updates and purge batches.
 *
 * <p>SQLite lets one connection write at a time, and a connection that finds the file locked polls,
 * sleeping up to 100 ms between tries ({@code busy_timeout}). The history writer commits as soon as
 * the last commit has returned, so under steady load the lock is free only for moments: a polling
 * purge batch or outcome update can miss every one of them and fail once the busy timeout has
 * passed. Queued here, each waits for the writes ahead of it, never longer. The busy timeout still
 * covers writers in other processes. PostgreSQL locks rows, so it takes no turns. Thread-safe.
 */
final class WriteTurns {
  private final ReentrantLock lock;
  private final long timeoutMillis;

  private WriteTurns(ReentrantLock lock, long timeoutMillis) {
    this.lock = lock;
    this.timeoutMillis = timeoutMillis;
  }

  /** Turns for a SQLite file: a writer waits at most {@code timeoutMillis} for its turn. */
  static WriteTurns sqlite(long timeoutMillis) {
    return new WriteTurns(new ReentrantLock(true), timeoutMillis);
  }

  /** No turns: the database orders its writers itself. */
  static WriteTurns none() {
    return new WriteTurns(null, 0);
  }

  /**
   * Waits for this thread's turn; {@link #leave()} must follow. Fails with {@link
   * HistoryUnavailableException} when the writes ahead take longer than the busy timeout.
   */
  void enter() {
    if (lock == null) {
      return;
    }
    try {
      if (!lock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new HistoryUnavailableException(
            "the history database is busy: the writes ahead did not finish within "
                + timeoutMillis
                + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HistoryStoreException("interrupted while waiting to write the history", e);
    }
  }

  /** Ends the turn {@link #enter()} began. */
  void leave() {
    if (lock != null) {
      lock.unlock();
    }
  }
}
