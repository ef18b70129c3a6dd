package dev.augur.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per finished request, written by its own thread. A request only copies a
 * few references into a bounded queue (no formatting, no I/O, no lock held while writing); the
 * writer formats the lines in batches and writes each batch with one call. When the queue is full
 * the line is dropped and counted rather than making a request wait. Paths and client-given values
 * are escaped, so a request cannot forge a line. Thread-safe; {@link #close()} writes what is
 * queued.
 */
final class AccessLog implements AutoCloseable {
  static final String LOGGER = "dev.augur.server.access";
  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
  private static final int QUEUE = 65_536;
  private static final int BATCH = 4096;
  private static final int MAX_FIELD = 1024;
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("HH:mm:ss.").withZone(ZoneId.systemDefault());

  private final AccessLogFormat format;
  private final OutputStream out;
  private final ArrayBlockingQueue<Entry> queue;
  private final LongAdder dropped = new LongAdder();
  private final Thread writer;
  private final StringBuilder line = new StringBuilder(256);
  private volatile boolean closing;
  private long second = Long.MIN_VALUE;
  private String secondText = "";
  private long droppedReported;
  private long lastDropWarning;

  /**
   * What a finished request leaves for the writer: references only, formatted later. The request's
   * id, trace, model and version are read from its {@link RequestContext} by the writer.
   */
  private record Entry(
      long epochMillis,
      long nanos,
      InetSocketAddress remote,
      HttpString method,
      String path,
      int status,
      long bytes,
      String thread,
      RequestContext context) {}

  AccessLog(AccessLogFormat format, OutputStream out) {
    this.format = format;
    this.out = out;
    if (format == AccessLogFormat.OFF) {
      this.queue = null;
      this.writer = null;
    } else {
      this.queue = new ArrayBlockingQueue<>(QUEUE);
      this.writer = new Thread(this::run, "augur-access-log");
      this.writer.setDaemon(true);
      this.writer.start();
    }
  }

  boolean enabled() {
    return format != AccessLogFormat.OFF;
  }

  /** Queues the line of a finished exchange; never blocks. */
  void log(HttpServerExchange ex, long startNanos) {
    if (queue == null) {
      return;
    }
    Entry e =
        new Entry(
            System.currentTimeMillis(),
            System.nanoTime() - startNanos,
            ex.getSourceAddress(),
            ex.getRequestMethod(),
            ex.getRequestPath(),
            ex.getStatusCode(),
            ex.getResponseBytesSent(),
            Thread.currentThread().getName(),
            ex.getAttachment(RequestContext.KEY));
    if (!queue.offer(e)) {
      dropped.increment();
    }
  }

  /** Lines dropped because the writer could not keep up. */
  long dropped() {
    return dropped.sum();
  }

  private void run() {
    List<Entry> batch = new ArrayList<>(BATCH);
    long park = 1_000_000;
    while (true) {
      boolean last = closing; // read before draining, so nothing queued before close is lost
      queue.drainTo(batch, BATCH);
      if (batch.isEmpty()) {
        if (last) {
          return;
        }
        // polling instead of waiting on the queue spares every request a wake-up call; a busy
        // server is polled every millisecond, an idle one every 50 ms
        LockSupport.parkNanos(this, park);
        park = Math.min(MAX_PARK_NANOS, park * 2);
        continue;
      }
      park = 1_000_000;
      write(batch);
      batch.clear();
      reportDrops();
    }
  }

  private void write(List<Entry> batch) {
    line.setLength(0);
    for (Entry e : batch) {
      if (format == AccessLogFormat.JSON) {
        json(e);
      } else {
        text(e);
      }
      line.append('\n');
    }
    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    if (line.capacity() > 1 << 20) {
      line.setLength(0);
      line.trimToSize();
    }
    try {
      // one write per batch; System.out's lock keeps the lines whole beside the application log
      synchronized (out) {
        out.write(bytes);
        out.flush();
      }
    } catch (IOException e) {
      dropped.add(batch.size());
    }
  }

  private void reportDrops() {
    long d = dropped.sum();
    long now = System.nanoTime();
    if (d > droppedReported && now - lastDropWarning > TimeUnit.SECONDS.toNanos(10)) {
      log.warn("access log: {} lines dropped since start (the writer fell behind)", d);
      droppedReported = d;
      lastDropWarning = now;
    }
  }

  // ---- formats ----------------------------------------------------------------------------
  // Both follow the application log's layouts (logback-text.xml and logback-json.xml), so that
  // stdout is one format whichever component wrote a line.

  /**
   * {@code 18:46:30.660 INFO dev.augur.server.access [request id] - 127.0.0.1 POST /predict 200
   * 1.234ms 178B titanic@1 trace_id=…}, the time in the JVM's zone as logback writes it.
   */
  private void text(Entry e) {
    localTime(e.epochMillis);
    line.append(" INFO  ").append(LOGGER);
    RequestContext c = e.context;
    if (c != null) {
      line.append(" [");
      escape(c.requestId(), false);
      line.append(']');
    }
    line.append(" - ").append(remote(e.remote)).append(' ');
    escape(e.method.toString(), false);
    line.append(' ');
    escape(e.path, false);
    line.append(' ').append(e.status).append(' ');
    millis(e.nanos);
    line.append("ms ").append(Math.max(0, e.bytes)).append('B');
    if (c == null) {
      return;
    }
    String model = c.model().orElse(null);
    if (model != null) {
      line.append(' ');
      escape(model, false);
      String version = c.version().orElse(null);
      if (version != null) {
        line.append('@');
        escape(version, false);
      }
    }
    String trace = c.traceId().orElse(null);
    if (trace != null) {
      line.append(" trace_id=");
      escape(trace, false);
    }
  }

  /**
   * The application log's JSON object (logback's {@code JsonEncoder}), with the request's fields in
   * {@code mdc} as strings: {@code request_id}, {@code trace_id}, {@code span_id}, {@code model},
   * {@code version}, {@code status}, {@code latency_ms}, and {@code remote}, {@code method}, {@code
   * path}, {@code bytes}.
   */
  private void json(Entry e) {
    line.append("{\"timestamp\":").append(e.epochMillis);
    line.append(",\"level\":\"INFO\",\"threadName\":\"");
    escape(e.thread, true);
    line.append("\",\"loggerName\":\"").append(LOGGER).append("\",\"mdc\": {");
    RequestContext c = e.context;
    if (c != null) {
      field("request_id", c.requestId());
      field("trace_id", c.traceId().orElse(null));
      field("span_id", c.spanId().orElse(null));
      field("model", c.model().orElse(null));
      field("version", c.version().orElse(null));
    }
    key("status");
    line.append(e.status).append('"');
    key("latency_ms");
    millis(e.nanos);
    line.append('"');
    field("remote", remote(e.remote));
    field("method", e.method.toString());
    field("path", e.path);
    key("bytes");
    line.append(Math.max(0, e.bytes)).append('"');
    line.append("},\"formattedMessage\":\"").append(remote(e.remote)).append(' ');
    escape(e.method.toString(), true);
    line.append(' ');
    escape(e.path, true);
    line.append(' ').append(e.status).append(' ');
    millis(e.nanos);
    line.append("ms\",\"throwable\":null}");
  }

  /** {@code "name":"value"} in the mdc object, or nothing for a null value. */
  private void field(String name, String value) {
    if (value != null) {
      key(name);
      escape(value, true);
      line.append('"');
    }
  }

  /** {@code "name":"}, after a comma unless it opens the object; the caller closes the value. */
  private void key(String name) {
    if (line.charAt(line.length() - 1) != '{') {
      line.append(',');
    }
    line.append('"').append(name).append("\":\"");
  }

  /** HH:mm:ss.SSS in the JVM's zone; the text up to the second is formatted once a second. */
  private void localTime(long epochMillis) {
    long s = Math.floorDiv(epochMillis, 1000);
    if (s != second) {
      second = s;
      secondText = SECOND.format(Instant.ofEpochSecond(s));
    }
    int ms = Math.floorMod(epochMillis, 1000);
    line.append(secondText).append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10));
    line.append((char) ('0' + ms % 10));
  }

  /** Milliseconds with three decimals, without String.format. */
  private void millis(long nanos) {
    long micros = Math.max(0, nanos) / 1000;
    long frac = micros % 1000;
    line.append(micros / 1000).append('.');
    if (frac < 100) {
      line.append('0');
    }
    if (frac < 10) {
      line.append('0');
    }
    line.append(frac);
  }

  private static String remote(InetSocketAddress a) {
    return a == null || a.getAddress() == null ? "-" : a.getAddress().getHostAddress();
  }

  /**
   * Appends {@code s} so that it cannot break or forge a line: control characters, quotes,
   * backslashes and Unicode line separators are escaped ({@code \n}, {@code \"}, {@code \u2028}),
   * spaces too in text (as {@code %20}, so fields stay split by spaces), and values longer than
   * 1024 characters are cut.
   */
  private void escape(String s, boolean json) {
    int n = Math.min(s.length(), MAX_FIELD);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        case ' ' -> line.append(json ? " " : "%20");
        default -> {
          if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
            line.append(json ? "\\u" : "\\x");
            String hex = Integer.toHexString(c);
            for (int k = hex.length(); k < (json ? 4 : 2); k++) {
              line.append('0');
            }
            line.append(hex);
          } else {
            line.append(c);
          }
        }
      }
    }
    if (s.length() > n) {
      line.append("...");
    }
  }

  /** Writes what is queued and stops the writer. Idempotent. */
  @Override
  public void close() {
    if (writer == null || closing) {
      return;
    }
    closing = true;
    LockSupport.unpark(writer);
    try {
      writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
