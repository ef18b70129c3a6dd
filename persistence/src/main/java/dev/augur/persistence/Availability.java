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
  /** How long calls fail at once after the database stopped answering. */
  static final long FAIL_FAST_MILLIS = 500;

  private final long failFastMillis;
  private volatile long failFastUntil;
  private volatile long lastDown;
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

  /** Whether calls fail at once now: the database stopped answering less than a moment ago. */
  boolean failingFast() {
    return !up && System.currentTimeMillis() < failFastUntil;
  }

  void checkFailFast() {
    if (!up && System.currentTimeMillis() < failFastUntil) {
      throw new HistoryUnavailableException("the history database is unavailable: " + lastProblem);
    }
  }

  /** Turns a failure into the exception to throw, noting whether the database is unreachable. */
  RuntimeException classify(Throwable e, String what) {
    if (e instanceof HistoryUnavailableException u) {
      down(u.getMessage());
      return u;
    }
    if (e instanceof HistoryStoreException h) {
      return h;
    }
    if (isUnavailable(e)) {
      down(rootMessage(e));
      return new HistoryUnavailableException(
          what + ": the database is unavailable (" + lastProblem + ")", e);
    }
    return new HistoryStoreException(what + ": " + rootMessage(e), e);
  }

  private void down(String problem) {
    up = false;
    lastProblem = problem;
    long now = System.currentTimeMillis();
    lastDown = now;
    failFastUntil = now + failFastMillis;
  }

  /** Whether a statement found the database away at or after {@code millis} (epoch). */
  boolean wentDownSince(long millis) {
    return lastDown >= millis;
  }

  /**
   * Whether a failure means the database cannot serve us now but may later: the one rule for every
   * statement on every path (writes, id lookups, reads, quality, purges, opening). The first SQL
   * state in the cause chain decides: class 08 (connection exception), 57P01/57P02 (the server is
   * shutting down or crashed), 57P03 (it is starting up or cannot take connections) and 53300 (too
   * many connections) are unavailability; any other state (a wrong password, a missing table) is
   * not. Without a state: SQLite's {@code SQLITE_BUSY} and {@code SQLITE_LOCKED} (raised only once
   * the busy timeout has passed), a refused or timed-out socket, the pool's connection timeout, a
   * closed connection.
   */
  static boolean isUnavailable(Throwable e) {
    Boolean byState = bySqlState(e, new java.util.IdentityHashMap<>());
    if (byState != null) {
      return byState;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (isSqliteBusy(t)
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof java.net.ConnectException
          || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
      if (t instanceof SQLException s
          && s.getMessage() != null
          && s.getMessage().contains("onnection is closed")) {
        return true;
      }
      for (Throwable s : t.getSuppressed()) {
        if (s != t && isUnavailable(s)) {
          return true;
        }
      }
    }
    return false;
  }

  /** SQL states that mean "not now" rather than "never". */
  static boolean isUnavailableState(String state) {
    return state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("53300");
  }

  /** The verdict of the first SQL state in the chain, or null when there is none. */
  private static Boolean bySqlState(Throwable e, java.util.Map<Throwable, Boolean> seen) {
    for (Throwable t = e; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null && !s.getSQLState().isBlank()) {
        return isUnavailableState(s.getSQLState());
      }
    }
    return null;
  }

  /**
   * SQLite's "database is busy/locked" (result codes 5 and 6, with their extended codes), which the
   * driver raises only after the busy timeout has run out. Matched by the driver's code and text,
   * since the driver is a runtime dependency.
   */
  private static boolean isSqliteBusy(Throwable t) {
    if (!(t instanceof SQLException s) || !t.getClass().getName().startsWith("org.sqlite.")) {
      return false;
    }
    int base = s.getErrorCode() & 0xff;
    String m = s.getMessage() == null ? "" : s.getMessage();
    return base == 5 || base == 6 || m.startsWith("[SQLITE_BUSY") || m.startsWith("[SQLITE_LOCKED");
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
