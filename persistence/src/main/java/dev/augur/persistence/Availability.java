package dev.augur.persistence;

import dev.augur.core.HistoryStoreException;
import dev.augur.core.HistoryUnavailableException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Whether the database answers, and a short fail-fast window after it stopped answering: calls in
 * that window fail at once instead of each waiting for a connection timeout; the first call after
 * it probes the database again. Thread-safe.
 */
final class Availability {
  private final long failFastMillis;
  private volatile long failFastUntil;
  private volatile boolean up = true;
  private volatile String lastProblem = "";

  Availability(long failFastMillis) {
    this.failFastMillis = failFastMillis;
  }

  boolean isUp() {
    return up;
  }

  void succeeded() {
    up = true;
  }

  void checkFailFast() {
    if (!up && System.currentTimeMillis() < failFastUntil) {
      throw new HistoryUnavailableException("the history database is unavailable: " + lastProblem);
    }
  }

  /** Turns a failure into the exception to throw, noting whether the database is unreachable. */
  RuntimeException classify(Throwable e, String what) {
    if (e instanceof HistoryStoreException h && !(e instanceof HistoryUnavailableException)) {
      return h;
    }
    if (isConnectionProblem(e)) {
      up = false;
      lastProblem = rootMessage(e);
      failFastUntil = System.currentTimeMillis() + failFastMillis;
      return new HistoryUnavailableException(
          what + ": the database is unavailable (" + lastProblem + ")", e);
    }
    return new HistoryStoreException(what + ": " + rootMessage(e), e);
  }

  static boolean isConnectionProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Throwable s : t.getSuppressed()) {
        if (s != t && isConnectionProblem(s)) {
          return true;
        }
      }
      if (t instanceof SQLException s
          && s.getMessage() != null
          && s.getMessage().contains("onnection is closed")) {
        return true;
      }
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof java.net.ConnectException) {
        return true;
      }
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("08")) {
        return true;
      }
      if (t instanceof HistoryUnavailableException) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
