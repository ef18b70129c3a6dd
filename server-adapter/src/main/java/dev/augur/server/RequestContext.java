package dev.augur.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * What identifies one HTTP request in logs: its request id ({@code X-Request-Id}, the client's when
 * it sent a usable one, else a new one; echoed on every answer), the W3C trace context it came with
 * ({@code traceparent}), and, once a route has resolved them, the model and version it concerns.
 * The server attaches one to every exchange and puts its fields into the slf4j {@link MDC} of the
 * thread that handles the request, under {@value #REQUEST_ID}, {@value #TRACE_ID}, {@value
 * #SPAN_ID}, {@value #MODEL} and {@value #VERSION}.
 *
 * <p>An access log or any other exchange listener reads it with {@link #of(HttpServerExchange)}.
 * Thread-safe: the model and version are set by the worker thread and read by whichever thread
 * completes the exchange.
 */
public final class RequestContext {
  /** The request id header, read from requests and written on every answer. */
  public static final String HEADER = "X-Request-Id";

  /** The W3C trace context header. */
  public static final String TRACEPARENT = "traceparent";

  /** MDC key of the request id. */
  public static final String REQUEST_ID = "request_id";

  /** MDC key of the W3C trace id (32 hex digits), when the request carried a trace context. */
  public static final String TRACE_ID = "trace_id";

  /** MDC key of the caller's span id (16 hex digits), when the request carried a trace context. */
  public static final String SPAN_ID = "span_id";

  /** MDC key of the model the request concerns. */
  public static final String MODEL = "model";

  /** MDC key of the model version that answered. */
  public static final String VERSION = "version";

  /** MDC key of the answer's status code, on the line that closes a request. */
  public static final String STATUS = "status";

  /** MDC key of the request's duration in milliseconds, on the line that closes a request. */
  public static final String LATENCY_MS = "latency_ms";

  static final AttachmentKey<RequestContext> KEY = AttachmentKey.create(RequestContext.class);
  private static final HttpString HEADER_NAME = new HttpString(HEADER);

  /** Request ids the server takes from clients: short, printable, no spaces or quotes. */
  private static final Pattern USABLE_ID = Pattern.compile("[A-Za-z0-9._:/+=@-]{1,128}");

  private static final Pattern TRACEPARENT_FORM =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

  private final String requestId;
  private final Optional<String> traceId;
  private final Optional<String> spanId;
  private final long startNanos;
  private volatile String model;
  private volatile String version;

  private RequestContext(
      String requestId, Optional<String> traceId, Optional<String> spanId, long startNanos) {
    this.requestId = requestId;
    this.traceId = traceId;
    this.spanId = spanId;
    this.startNanos = startNanos;
  }

  /** The context of an exchange the Augur server handles; empty for any other exchange. */
  public static Optional<RequestContext> of(HttpServerExchange ex) {
    return Optional.ofNullable(ex.getAttachment(KEY));
  }

  /** The request id, never empty. */
  public String requestId() {
    return requestId;
  }

  /** The W3C trace id of the request's {@code traceparent}, when it sent a valid one. */
  public Optional<String> traceId() {
    return traceId;
  }

  /** The caller's span id (the {@code parent-id} of its {@code traceparent}). */
  public Optional<String> spanId() {
    return spanId;
  }

  /** The model the request concerns, once a route has resolved it. */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** The model version that answered, once a prediction has been made. */
  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  /** When the server started handling the request, from {@link System#nanoTime()}. */
  public long startNanos() {
    return startNanos;
  }

  /** Notes the model the request concerns, here and in the current thread's MDC. */
  void model(String name) {
    this.model = name;
    MDC.put(MODEL, name);
  }

  /** Notes the model version that answered, here and in the current thread's MDC. */
  void version(String v) {
    this.version = v;
    MDC.put(VERSION, v);
  }

  /** The fields known so far, by their MDC keys, in a stable order. */
  public Map<String, String> fields() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(REQUEST_ID, requestId);
    traceId.ifPresent(t -> out.put(TRACE_ID, t));
    spanId.ifPresent(s -> out.put(SPAN_ID, s));
    if (model != null) {
      out.put(MODEL, model);
    }
    if (version != null) {
      out.put(VERSION, version);
    }
    return out;
  }

  /**
   * Puts the fields into the current thread's MDC until the scope is closed, for a log line written
   * off the worker thread, such as the access log's:
   *
   * <pre>{@code
   * try (var scope = ctx.inMdc()) {
   *   scope.put(RequestContext.STATUS, "200");
   *   log.info("…");
   * }
   * }</pre>
   */
  public MdcScope inMdc() {
    return new MdcScope(fields());
  }

  /** MDC entries that are removed again on {@link #close()}. Not thread-safe. */
  public static final class MdcScope implements AutoCloseable {
    private final Map<String, String> added = new LinkedHashMap<>();

    private MdcScope(Map<String, String> fields) {
      fields.forEach(this::put);
    }

    /** Adds one more entry for the scope's duration. */
    public MdcScope put(String key, String value) {
      MDC.put(key, value);
      added.put(key, value);
      return this;
    }

    @Override
    public void close() {
      added.keySet().forEach(MDC::remove);
    }
  }

  /**
   * Wraps the server's outermost handler: attaches a context to every exchange and answers with its
   * request id. The MDC is filled by {@link #mdc(HttpHandler)} on the thread that runs the route.
   */
  static HttpHandler attach(HttpHandler next) {
    return ex -> {
      RequestContext ctx = start(ex);
      ex.getResponseHeaders().put(HEADER_NAME, ctx.requestId);
      next.handleRequest(ex);
    };
  }

  /** Wraps a handler so that the context's fields are in the MDC while it runs, and only then. */
  static HttpHandler mdc(HttpHandler next) {
    return ex -> {
      RequestContext ctx = ex.getAttachment(KEY);
      if (ctx == null) {
        next.handleRequest(ex);
        return;
      }
      try (MdcScope scope = ctx.inMdc()) {
        next.handleRequest(ex);
      } finally {
        // a route may have added the model and version after the scope opened
        MDC.remove(MODEL);
        MDC.remove(VERSION);
      }
    };
  }

  private static RequestContext start(HttpServerExchange ex) {
    String given = ex.getRequestHeaders().getFirst(HEADER_NAME);
    String id = given != null && USABLE_ID.matcher(given).matches() ? given : newId();
    Optional<String> traceId = Optional.empty();
    Optional<String> spanId = Optional.empty();
    String tp = ex.getRequestHeaders().getFirst(TRACEPARENT);
    if (tp != null) {
      Matcher m = TRACEPARENT_FORM.matcher(tp.trim());
      // version ff is forbidden; version 00 has exactly four parts; all-zero ids are invalid
      if (m.matches()
          && !m.group(1).equals("ff")
          && !(m.group(1).equals("00") && m.group(5) != null)
          && !m.group(2).matches("0+")
          && !m.group(3).matches("0+")) {
        traceId = Optional.of(m.group(2));
        spanId = Optional.of(m.group(3));
      }
    }
    RequestContext ctx = new RequestContext(id, traceId, spanId, System.nanoTime());
    ex.putAttachment(KEY, ctx);
    return ctx;
  }

  /** 128 random bits as 32 hex digits; unique enough to find a request, cheap on every request. */
  private static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return hex(r.nextLong()) + hex(r.nextLong());
  }

  private static String hex(long v) {
    String h = Long.toHexString(v);
    return "0".repeat(16 - h.length()) + h;
  }
}
