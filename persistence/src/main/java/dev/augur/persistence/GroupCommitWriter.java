package dev.augur.persistence;

import dev.augur.core.AugurException;
import dev.augur.core.ClosedException;
import dev.augur.core.HistoryStoreException;
import dev.augur.core.HistoryUnavailableException;
import dev.augur.core.OverloadedException;
import dev.augur.core.PredictionConflictException;
import dev.augur.core.PredictionRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent record writes into one transaction on one writer thread with its own
 * connection; each caller returns once its own records are committed. A caller's records are
 * committed all together or not at all: one bad record (a conflicting id) fails only its own
 * request. The queue is bounded in records and a request enters it whole or not at all; while the
 * database is unreachable, writes fail fast for a short while instead of piling up. Thread-safe.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final String ROW_VALUES =
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?)";
  private static final int COLUMN_COUNT = 11;
  private static final int MAX_CHUNK = 64;
  private static final String INSERT =
      "INSERT INTO augur_prediction ("
          + RecordCodec.COLUMNS
          + ") VALUES "
          + ROW_VALUES
          + " ON CONFLICT (model, id, shadow) DO NOTHING";
  private static final String INSERT_ARRAYS =
      "INSERT INTO augur_prediction (model, id, version, task, created_at, observation,"
          + " prediction, pred_label, pred_score, latency_ms, shadow"
          + ") SELECT * FROM unnest(?::varchar[], ?::varchar[],"
          + " ?::varchar[], ?::varchar[], ?::int8[], ?::text[], ?::text[], ?::varchar[],"
          + " ?::float8[], ?::float8[], ?::bool[]) ON CONFLICT (model, id, shadow) DO NOTHING";

  private static final String FIND =
      "SELECT * FROM augur_prediction WHERE model = ? AND id = ? AND shadow = ?";
  private static final String DELETE =
      "DELETE FROM augur_prediction WHERE model = ? AND id = ? AND shadow = ?";

  private static final long IN_DOUBT_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(2);

  private final WriterConnection connection;
  private final int maxGroup;
  private final int maxQueue;
  private final long writeTimeoutMillis;
  private final Semaphore room;
  private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Availability availability;
  private final WriteListener listener;
  private final WriteTurns turns;
  private volatile boolean closed;
  // set by the writer before its last look at the queue: a request queued after that is withdrawn
  // by its caller at once (503 "Shutting down"), never left to wait out the write timeout
  private volatile boolean stopped;
  private final AtomicLong claimed = new AtomicLong();

  /** Observes committed groups, e.g. for metrics. */
  interface WriteListener {
    void onCommit(int records, long nanos);
  }

  /**
   * A writer on its own connection (never shared with readers; the writer closes it when it stops),
   * holding at most {@code maxQueue} records waiting.
   */
  GroupCommitWriter(
      WriterConnection connection,
      int maxGroup,
      int maxQueue,
      long writeTimeoutMillis,
      Availability availability,
      WriteTurns turns,
      WriteListener listener) {
    this.connection = connection;
    this.turns = turns;
    this.maxGroup = maxGroup;
    this.maxQueue = maxQueue;
    this.writeTimeoutMillis = writeTimeoutMillis;
    this.room = new Semaphore(maxQueue);
    this.availability = availability;
    this.listener = listener;
    this.thread = new Thread(this::run, "augur-history-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Writes the records of one request durably, all or nothing: results in order (the stored record
   * for an idempotent replay). A request that cannot be queued whole fails whole with {@link
   * OverloadedException}; one that is still queued after the write timeout is withdrawn (it will
   * never be committed) and fails with {@link HistoryUnavailableException}; one the writer has
   * begun to commit is answered with the commit's outcome.
   */
  List<PredictionRecord> write(List<PredictionRecord> records) {
    if (closed) {
      throw new ClosedException("the history store is closed");
    }
    availability.checkFailFast();
    List<Row> rows = new ArrayList<>(records.size());
    for (PredictionRecord r : records) {
      rows.add(Row.of(r));
    }
    int permits = Math.min(records.size(), maxQueue);
    if (!room.tryAcquire(permits)) {
      throw new OverloadedException(
          "the history write queue is full (" + maxQueue + " records); no record was written");
    }
    Request req = new Request(List.copyOf(records), rows, permits);
    queue.add(req);
    if (stopped && req.withdraw()) {
      queue.remove(req);
      room.release(permits);
      throw new ClosedException("the history store is closed");
    }
    return await(req);
  }

  private List<PredictionRecord> await(Request req) {
    try {
      try {
        return req.result.get(writeTimeoutMillis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (req.withdraw()) {
          throw new HistoryUnavailableException(
              "the history store did not commit within "
                  + writeTimeoutMillis
                  + " ms; nothing was written");
        }
        // the writer has it: its answer is the truth about the commit, and it comes within the
        // statement and socket timeouts
        return req.result.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HistoryStoreException("interrupted while writing the history", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AugurException a) {
        throw a;
      }
      throw new HistoryStoreException("history write failed: " + e.getCause(), e.getCause());
    }
  }

  private void run() {
    List<Request> group = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        int size = take(first, group);
        Request next;
        while (size < maxGroup
            && (next = queue.peek()) != null
            && size + next.records.size() <= maxGroup) {
          size += take(queue.poll(), group);
        }
        if (!group.isEmpty()) {
          commit(group);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        // the writer must outlive any failure, or every later write would hang
        log.error("history writer failed", e);
        for (Request r : group) {
          r.result.completeExceptionally(e);
        }
      } finally {
        group.clear();
      }
    }
    stopped = true;
    Request left;
    while ((left = queue.poll()) != null) {
      if (left.withdraw()) {
        room.release(left.permits);
        left.result.completeExceptionally(new ClosedException("the history store is closed"));
      }
    }
    connection.close();
  }

  /** Records waiting in the queue (tests). */
  int queued() {
    return maxQueue - room.availablePermits();
  }

  /** Requests the writer has taken so far (tests). */
  long claimed() {
    return claimed.get();
  }

  /** Takes a request off the queue: frees its room, and keeps it unless its caller withdrew. */
  private int take(Request r, List<Request> group) {
    room.release(r.permits);
    if (r.claim()) {
      claimed.incrementAndGet();
      group.add(r);
      return r.records.size();
    }
    return 0;
  }

  private void commit(List<Request> group) {
    long t0 = System.nanoTime();
    int records = 0;
    for (Request r : group) {
      records += r.records.size();
    }
    List<Object> results;
    List<Request> inserted = new ArrayList<>();
    Connection c;
    try {
      c = connection.get();
    } catch (SQLException | RuntimeException | AssertionError e) {
      // (JDBC drivers assert on broken connections when assertions are on)
      connection.broken();
      fail(group, e);
      return;
    }
    try {
      turns.enter();
    } catch (RuntimeException e) {
      fail(group, e);
      return;
    }
    Throwable broken;
    try {
      try {
        results = insert(c, group, inserted);
      } catch (SQLException | RuntimeException | AssertionError e) {
        rollback(c);
        connection.broken();
        fail(group, e);
        return;
      }
      try {
        c.commit();
        broken = null;
      } catch (SQLException | RuntimeException | AssertionError e) {
        broken = e;
      }
    } finally {
      turns.leave();
    }
    if (broken != null) {
      // the connection broke while committing: the transaction may or may not be durable, and the
      // answer must say which
      connection.broken();
      inDoubt(group, results, inserted, broken);
      return;
    }
    availability.succeeded();
    complete(group, results);
    listener.onCommit(records, System.nanoTime() - t0);
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      // the connection is gone; so is the transaction
    }
  }

  private void fail(List<Request> group, Throwable e) {
    RuntimeException failure = availability.classify(e, "cannot write the prediction history");
    if (failure instanceof HistoryUnavailableException) {
      log.warn("history store unavailable: {}", failure.getMessage());
    } else {
      log.error("history write failed", e);
    }
    for (Request r : group) {
      r.result.completeExceptionally(failure);
    }
  }

  private static void complete(List<Request> group, List<Object> results) {
    for (int i = 0; i < group.size(); i++) {
      Object r = results.get(i);
      if (r instanceof RuntimeException e) {
        group.get(i).result.completeExceptionally(e);
      } else {
        // a result that is not an exception is the list of records of that request
        @SuppressWarnings("unchecked")
        List<PredictionRecord> recs = (List<PredictionRecord>) r;
        group.get(i).result.complete(recs);
      }
    }
  }

  /**
   * The commit failed on a broken connection: asks the database (on a new connection, until the
   * write timeout) whether one of the rows this transaction inserted is there, and answers every
   * caller with what actually happened.
   */
  private void inDoubt(
      List<Request> group, List<Object> results, List<Request> inserted, Throwable e) {
    Optional<PredictionRecord> probe =
        inserted.stream().flatMap(r -> r.newlyInserted.stream()).findFirst();
    if (probe.isEmpty()) {
      fail(group, e);
      return;
    }
    // the database is away meanwhile: new writes fail fast and readiness turns false
    RuntimeException away = availability.classify(e, "cannot commit the prediction history");
    // the callers of this group wait for the truth (a fast shutdown commits, then says FATAL),
    // however long the outage lasts up to IN_DOUBT_LIMIT; everyone queued behind them is told
    // at once that nothing of theirs was written
    long deadline = System.nanoTime() + IN_DOUBT_LIMIT_NANOS;
    while (System.nanoTime() < deadline && !closed) {
      failQueued(away);
      try {
        Connection c = connection.get();
        boolean committed;
        try (PreparedStatement q = c.prepareStatement(FIND)) {
          q.setString(1, probe.get().model());
          q.setString(2, probe.get().id());
          q.setBoolean(3, probe.get().shadow());
          try (ResultSet rs = q.executeQuery()) {
            committed = rs.next();
          }
        }
        c.rollback();
        log.warn(
            "the connection broke while committing {} requests; the commit {}",
            group.size(),
            committed ? "had been made" : "had not been made");
        if (committed) {
          availability.succeeded();
          complete(group, results);
        } else {
          fail(group, e);
        }
        return;
      } catch (SQLException | RuntimeException | AssertionError again) {
        connection.broken();
        away = availability.classify(again, "cannot reach the prediction history");
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
    log.error(
        "the connection broke while committing {} requests and the database did not answer within"
            + " {} s: whether ids such as '{}' were recorded is unknown",
        group.size(),
        TimeUnit.NANOSECONDS.toSeconds(IN_DOUBT_LIMIT_NANOS),
        probe.get().id());
    fail(group, e);
  }

  /** Answers every request still queued: not written, the database is away. */
  private void failQueued(RuntimeException away) {
    RuntimeException answer =
        away instanceof HistoryUnavailableException
            ? away
            : new HistoryUnavailableException(away.getMessage(), away);
    Request r;
    while ((r = queue.poll()) != null) {
      room.release(r.permits);
      if (r.claim()) {
        r.result.completeExceptionally(answer);
      }
    }
  }

  /**
   * Inserts the group's records; for ids that already existed decides replay or conflict. A request
   * with a conflict fails whole: the rows it inserted are deleted again in the same transaction.
   * Answers, per request, its records or its failure.
   *
   * <p>The common case, every id new, takes one multi-row insert on statements prepared once per
   * connection. When the database inserted fewer rows than it was given (a replay or a conflict),
   * that insert is rolled back and the group goes row by row, which tells each row apart.
   */
  private List<Object> insert(Connection c, List<Request> group, List<Request> inserted)
      throws SQLException {
    int rows = 0;
    for (Request req : group) {
      rows += req.records.size();
    }
    if (insertAll(c, group, rows) == rows) {
      List<Object> out = new ArrayList<>(group.size());
      for (Request req : group) {
        List<PredictionRecord> mine = new ArrayList<>(req.records.size());
        for (PredictionRecord r : req.records) {
          mine.add(asStored(r));
          req.newlyInserted.add(r);
        }
        out.add(mine);
        inserted.add(req);
      }
      return out;
    }
    c.rollback();
    return insertEach(group, inserted);
  }

  /** One multi-row insert of the whole group; answers how many rows the database inserted. */
  private int insertAll(Connection c, List<Request> group, int rows) throws SQLException {
    if (connection.dialect() == Dialect.POSTGRESQL) {
      return insertArrays(c, group, rows);
    }
    // SQLite: chunks of a few fixed sizes, so that a handful of prepared statements cover any group
    int done = 0;
    int count = 0;
    int reqIndex = 0;
    int recIndex = 0;
    while (done < rows) {
      int chunk = Math.min(MAX_CHUNK, Integer.highestOneBit(rows - done));
      PreparedStatement s = connection.prepared(multiRowInsert(chunk));
      for (int k = 0; k < chunk; k++) {
        Request req = group.get(reqIndex);
        bind(s, k * COLUMN_COUNT, req.records.get(recIndex), req.rows.get(recIndex));
        if (++recIndex == req.records.size()) {
          reqIndex++;
          recIndex = 0;
        }
      }
      count += s.executeUpdate();
      done += chunk;
    }
    return count;
  }

  /** PostgreSQL: the whole group as one array per column, in one statement and one round trip. */
  private int insertArrays(Connection c, List<Request> group, int rows) throws SQLException {
    String[] model = new String[rows];
    String[] id = new String[rows];
    String[] version = new String[rows];
    String[] task = new String[rows];
    Long[] createdAt = new Long[rows];
    String[] observation = new String[rows];
    String[] prediction = new String[rows];
    String[] predLabel = new String[rows];
    Double[] predScore = new Double[rows];
    Double[] latency = new Double[rows];
    Boolean[] shadow = new Boolean[rows];
    int k = 0;
    for (Request req : group) {
      for (int i = 0; i < req.records.size(); i++, k++) {
        PredictionRecord r = req.records.get(i);
        Row row = req.rows.get(i);
        model[k] = r.model();
        id[k] = r.id();
        version[k] = r.version();
        task[k] = row.task();
        createdAt[k] = row.createdAt();
        observation[k] = row.observation();
        prediction[k] = row.prediction();
        predLabel[k] = row.predLabel();
        predScore[k] = row.predScore();
        latency[k] = r.latencyMs();
        shadow[k] = r.shadow();
      }
    }
    PreparedStatement s = connection.prepared(INSERT_ARRAYS);
    s.setArray(1, c.createArrayOf("varchar", model));
    s.setArray(2, c.createArrayOf("varchar", id));
    s.setArray(3, c.createArrayOf("varchar", version));
    s.setArray(4, c.createArrayOf("varchar", task));
    s.setArray(5, c.createArrayOf("int8", createdAt));
    s.setArray(6, c.createArrayOf("text", observation));
    s.setArray(7, c.createArrayOf("text", prediction));
    s.setArray(8, c.createArrayOf("varchar", predLabel));
    s.setArray(9, c.createArrayOf("float8", predScore));
    s.setArray(10, c.createArrayOf("float8", latency));
    s.setArray(11, c.createArrayOf("bool", shadow));
    return s.executeUpdate();
  }

  private static String multiRowInsert(int rows) {
    StringBuilder sql =
        new StringBuilder("INSERT INTO augur_prediction (" + RecordCodec.COLUMNS + ") VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(ROW_VALUES);
    }
    return sql.append(" ON CONFLICT (model, id, shadow) DO NOTHING").toString();
  }

  /** Row by row, so that each row's count tells inserted from already there. */
  private List<Object> insertEach(List<Request> group, List<Request> inserted) throws SQLException {
    int[] counts;
    PreparedStatement b = connection.prepared(INSERT);
    try {
      for (Request req : group) {
        for (int i = 0; i < req.records.size(); i++) {
          bind(b, 0, req.records.get(i), req.rows.get(i));
          b.addBatch();
        }
      }
      counts = b.executeBatch();
    } finally {
      b.clearBatch();
    }
    List<Object> out = new ArrayList<>(group.size());
    int k = 0;
    for (Request req : group) {
      List<PredictionRecord> mine = new ArrayList<>(req.records.size());
      RuntimeException failure = null;
      for (int i = 0; i < req.records.size(); i++, k++) {
        PredictionRecord r = req.records.get(i);
        if (counts[k] > 0 || counts[k] == java.sql.Statement.SUCCESS_NO_INFO) {
          mine.add(asStored(r));
          req.newlyInserted.add(r);
          continue;
        }
        PredictionRecord stored = find(r);
        if (stored.observation().sameAs(r.observation())) {
          mine.add(stored);
        } else if (failure == null) {
          failure =
              new PredictionConflictException(
                  "prediction id '"
                      + r.id()
                      + "' of model "
                      + r.model()
                      + " was already used with a different observation");
        }
      }
      if (failure != null) {
        undo(req.newlyInserted);
        req.newlyInserted.clear();
        out.add(failure);
      } else {
        out.add(mine);
        if (!req.newlyInserted.isEmpty()) {
          inserted.add(req);
        }
      }
    }
    return out;
  }

  /** Binds one row's {@link #COLUMN_COUNT} values after the first {@code at} parameters. */
  private static void bind(PreparedStatement b, int at, PredictionRecord r, Row row)
      throws SQLException {
    b.setString(at + 1, r.model());
    b.setString(at + 2, r.id());
    b.setString(at + 3, r.version());
    b.setString(at + 4, row.task());
    b.setLong(at + 5, row.createdAt());
    b.setString(at + 6, row.observation());
    b.setString(at + 7, row.prediction());
    b.setString(at + 8, row.predLabel());
    if (row.predScore() == null) {
      b.setNull(at + 9, Types.DOUBLE);
    } else {
      b.setDouble(at + 9, row.predScore());
    }
    b.setDouble(at + 10, r.latencyMs());
    b.setBoolean(at + 11, r.shadow());
  }

  private PredictionRecord find(PredictionRecord r) throws SQLException {
    PreparedStatement q = connection.prepared(FIND);
    q.setString(1, r.model());
    q.setString(2, r.id());
    q.setBoolean(3, r.shadow());
    try (ResultSet rs = q.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("prediction '" + r.id() + "' neither inserted nor found");
      }
      return RecordCodec.read(rs);
    }
  }

  private void undo(List<PredictionRecord> records) throws SQLException {
    if (records.isEmpty()) {
      return;
    }
    PreparedStatement d = connection.prepared(DELETE);
    try {
      for (PredictionRecord r : records) {
        d.setString(1, r.model());
        d.setString(2, r.id());
        d.setBoolean(3, r.shadow());
        d.addBatch();
      }
      d.executeBatch();
    } finally {
      d.clearBatch();
    }
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
            r.latencyMs(),
            r.shadow());
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

  /**
   * One caller's records, committed together or not at all. Its state moves once from queued to
   * either claimed (the writer has it) or withdrawn (its caller gave up first and the writer skips
   * it), so a caller that was told "not written" never sees its records committed later.
   */
  private static final class Request {
    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int WITHDRAWN = 2;

    final List<PredictionRecord> records;
    final List<Row> rows;
    final int permits;
    final CompletableFuture<List<PredictionRecord>> result = new CompletableFuture<>();
    final AtomicInteger state = new AtomicInteger(QUEUED);
    // written and read by the writer thread only
    final List<PredictionRecord> newlyInserted = new ArrayList<>();

    Request(List<PredictionRecord> records, List<Row> rows, int permits) {
      this.records = records;
      this.rows = rows;
      this.permits = permits;
    }

    boolean claim() {
      return state.compareAndSet(QUEUED, CLAIMED);
    }

    boolean withdraw() {
      return state.compareAndSet(QUEUED, WITHDRAWN);
    }
  }

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
