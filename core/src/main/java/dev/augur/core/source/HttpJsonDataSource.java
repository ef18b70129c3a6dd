package dev.augur.core.source;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.DataSource;
import dev.augur.core.DataSourceException;
import dev.augur.core.InvalidSourceKeyException;
import dev.augur.core.KeyNotFoundException;
import dev.augur.core.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A series from an HTTP JSON API: a URL template with {@code {key}} (URL-encoded), JSON Pointers to
 * the arrays of times and values, request headers (an {@code Authorization} header keeps an API key
 * out of the URL), connect and read timeouts, retries with exponential backoff on timeouts,
 * connection failures and 5xx only, a bounded per-key TTL cache with one upstream request per key
 * at a time, and a circuit breaker that fails fast while the API is down.
 *
 * <pre>{@code
 * DataSource quotes = HttpJsonDataSource.builder("quotes", "https://api.example.com/q/{key}")
 *     .times("/chart/timestamps").values("/chart/close")
 *     .header("Authorization", "Bearer " + System.getenv("QUOTES_KEY"))
 *     .keys(List.of("AAPL", "MSFT")).timeout(Duration.ofSeconds(2)).retries(2)
 *     .cache(Duration.ofMinutes(1)).build();
 * }</pre>
 *
 * <p>Times may be ISO dates or date-times, or numbers; numbers above 10<sup>8</sup> are read as
 * epoch seconds. A {@code null} value (a missing quote) is skipped with its time.
 *
 * <p>What a caller cannot make it do: follow a redirect (a 3xx is a failure), read more than {@link
 * Builder#maxBodyBytes} of a response, keep more than {@link Builder#cacheEntries} series, ask the
 * API for a key with {@code /}, {@code \}, {@code ..} or a control character ({@link
 * InvalidSourceKeyException}), or learn the URL or the headers from an error message. Thread-safe.
 */
public final class HttpJsonDataSource implements DataSource {
  private static final Logger log = LoggerFactory.getLogger(HttpJsonDataSource.class);
  private static final double EPOCH_SECONDS_ABOVE = 1e8;
  private static final int MAX_KEY_LENGTH = 256;

  private final String name;
  private final String urlTemplate;
  private final String origin;
  private final JsonPointer times;
  private final JsonPointer values;
  private final List<String> keys;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final int retries;
  private final Duration backoff;
  private final Duration cacheTtl;
  private final long maxBodyBytes;
  private final int breakerThreshold;
  private final Duration breakerOpen;
  private final Clock clock;
  private final HttpClient http;
  // access-ordered, so the least recently used series goes first; guarded by itself
  private final LinkedHashMap<String, Cached> cache;
  // one download per key at a time: later callers for that key wait for the first one's result
  private final ConcurrentHashMap<String, CompletableFuture<List<Point>>> downloads =
      new ConcurrentHashMap<>();
  private final Object breakerLock = new Object();
  private int consecutiveFailures;
  private Instant openUntil = Instant.MIN;

  private record Cached(List<Point> points, Instant expires) {}

  private HttpJsonDataSource(Builder b) {
    this.name = b.name;
    this.urlTemplate = b.urlTemplate;
    this.origin = origin(b.urlTemplate);
    this.times = JsonPointer.compile(b.times);
    this.values = JsonPointer.compile(b.values);
    this.keys = b.keys.stream().sorted().toList();
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.timeout = b.timeout;
    this.retries = b.retries;
    this.backoff = b.backoff;
    this.cacheTtl = b.cacheTtl;
    this.maxBodyBytes = b.maxBodyBytes;
    this.breakerThreshold = b.breakerThreshold;
    this.breakerOpen = b.breakerOpen;
    this.clock = b.clock;
    int maxEntries = b.cacheEntries;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > maxEntries;
          }
        };
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * A builder for a source named {@code name} fetching {@code urlTemplate}, in which {@code {key}}
   * is replaced by the URL-encoded key.
   */
  public static Builder builder(String name, String urlTemplate) {
    return new Builder(name, urlTemplate);
  }

  @Override
  public String name() {
    return name;
  }

  /** The declared keys (an HTTP API cannot be asked for its keys). */
  @Override
  public List<String> keys() {
    return keys;
  }

  /**
   * {@inheritDoc}
   *
   * @throws InvalidSourceKeyException when the key has a {@code /}, {@code \}, {@code ..} or a
   *     control character, or more than 256 characters
   */
  @Override
  public List<Point> fetch(String key, int n) {
    Objects.requireNonNull(key, "key");
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, not " + n);
    }
    checkKey(key);
    if (!keys.isEmpty() && !keys.contains(key)) {
      throw new KeyNotFoundException("source " + name + " has no key '" + key + "'");
    }
    List<Point> all = cached(key);
    return all.subList(Math.max(0, all.size() - n), all.size());
  }

  private void checkKey(String key) {
    String why = null;
    if (key.isEmpty()) {
      why = "is empty";
    } else if (key.length() > MAX_KEY_LENGTH) {
      why = "is longer than " + MAX_KEY_LENGTH + " characters";
    } else if (key.contains("/") || key.contains("\\")) {
      why = "contains a slash";
    } else if (key.contains("..") || key.equals(".")) {
      why = "contains a dot segment";
    } else if (key.chars().anyMatch(Character::isISOControl)) {
      why = "contains a control character";
    }
    if (why != null) {
      throw new InvalidSourceKeyException(
          "source " + name + ": key '" + printable(key) + "' " + why + ", which is not allowed");
    }
  }

  /** The key as it can be shown: control characters escaped, at most 64 characters. */
  private static String printable(String key) {
    StringBuilder out = new StringBuilder();
    key.codePoints()
        .limit(64)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return key.codePointCount(0, key.length()) > 64 ? out + "…" : out.toString();
  }

  private List<Point> cached(String key) {
    Instant now = clock.instant();
    synchronized (cache) {
      Cached c = cache.get(key);
      if (c != null && now.isBefore(c.expires)) {
        return c.points;
      }
    }
    CompletableFuture<List<Point>> mine = new CompletableFuture<>();
    CompletableFuture<List<Point>> running = downloads.putIfAbsent(key, mine);
    if (running != null) {
      return await(running);
    }
    try {
      List<Point> points = download(key);
      if (!cacheTtl.isZero()) {
        synchronized (cache) {
          cache.put(key, new Cached(points, now.plus(cacheTtl)));
        }
      }
      mine.complete(points);
      return points;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      downloads.remove(key, mine);
    }
  }

  private List<Point> await(CompletableFuture<List<Point>> running) {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataSourceException("source " + name + ": interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new DataSourceException("source " + name + " failed", e.getCause());
    }
  }

  /** How many series the cache holds now. */
  int cachedSeries() {
    synchronized (cache) {
      return cache.size();
    }
  }

  private List<Point> download(String key) {
    synchronized (breakerLock) {
      if (clock.instant().isBefore(openUntil)) {
        throw new DataSourceException(
            "source "
                + name
                + " is unavailable: its last "
                + consecutiveFailures
                + " requests failed; retrying after "
                + openUntil);
      }
    }
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(uri(key))
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET();
    headers.forEach(rb::header);
    HttpRequest request = rb.build();
    Exception last = null;
    String why = null;
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        LockSupport.parkNanos(backoff.toNanos() << (attempt - 1));
      }
      try {
        HttpResponse<byte[]> response = send(request);
        int status = response.statusCode();
        if (status >= 500) {
          last = new IOException("HTTP " + status);
          why = "answered HTTP " + status;
          continue;
        }
        succeeded();
        if (status == 404) {
          throw new KeyNotFoundException("source " + name + " has no key '" + key + "' (HTTP 404)");
        }
        if (status >= 300) {
          throw new DataSourceException(
              "source "
                  + name
                  + ": the API answered HTTP "
                  + status
                  + " for key '"
                  + key
                  + "'"
                  + (status < 400 ? " (redirects are not followed)" : ""));
        }
        return parse(response.body(), key);
      } catch (HttpTimeoutException e) {
        last = e;
        why = "timed out";
      } catch (BodyTooLargeException e) {
        succeeded();
        throw new DataSourceException(
            "source "
                + name
                + ": the answer for key '"
                + key
                + "' is larger than "
                + maxBodyBytes
                + " bytes",
            e);
      } catch (IOException e) {
        last = e;
        why = e instanceof java.net.ConnectException ? "refused the connection" : "failed (I/O)";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DataSourceException("source " + name + ": interrupted", e);
      }
    }
    failed();
    // the URL and the headers may carry secrets: the message names the source and the key only
    throw new DataSourceException(
        "source " + name + " is unavailable: it " + why + " after " + (retries + 1) + " attempts",
        last);
  }

  /** One attempt, bounded as a whole by {@code timeout}, body and all. */
  private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> f =
        http.sendAsync(request, info -> LimitedBody.of(info, maxBodyBytes));
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new HttpTimeoutException("the answer took longer than " + timeout);
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      throw new IOException(c.getClass().getSimpleName(), c);
    }
  }

  /** Thrown when an answer is larger than allowed; its bytes are not read further. */
  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
      super("the answer is larger than " + limit + " bytes");
    }
  }

  /**
   * Collects a body up to a limit, then cancels the rest; a body whose declared length is over the
   * limit is refused before its first byte. Bodies of non-2xx answers are discarded.
   */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<ByteBuffer> parts = new ArrayList<>();
    private long size;
    private Flow.Subscription subscription;

    private LimitedBody(long limit) {
      this.limit = limit;
    }

    static HttpResponse.BodySubscriber<byte[]> of(HttpResponse.ResponseInfo info, long limit) {
      if (info.statusCode() < 200 || info.statusCode() >= 300) {
        return HttpResponse.BodySubscribers.replacing(new byte[0]);
      }
      LimitedBody body = new LimitedBody(limit);
      if (info.headers().firstValueAsLong("Content-Length").orElse(-1) > limit) {
        body.size = Long.MAX_VALUE;
      }
      return body;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      if (size > limit) {
        s.cancel();
        result.completeExceptionally(new BodyTooLargeException(limit));
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        size += b.remaining();
        parts.add(b);
      }
      if (size > limit) {
        parts.clear();
        subscription.cancel();
        result.completeExceptionally(new BodyTooLargeException(limit));
      }
    }

    @Override
    public void onError(Throwable t) {
      parts.clear();
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      if (result.isDone()) {
        return;
      }
      byte[] out = new byte[(int) size];
      int at = 0;
      for (ByteBuffer b : parts) {
        int n = b.remaining();
        b.get(out, at, n);
        at += n;
      }
      parts.clear();
      result.complete(out);
    }
  }

  private void succeeded() {
    synchronized (breakerLock) {
      consecutiveFailures = 0;
    }
  }

  private void failed() {
    synchronized (breakerLock) {
      consecutiveFailures++;
      if (consecutiveFailures >= breakerThreshold) {
        openUntil = clock.instant().plus(breakerOpen);
        log.warn(
            "source {} ({}): {} failures in a row, failing fast until {}",
            name,
            origin,
            consecutiveFailures,
            openUntil);
      }
    }
  }

  private URI uri(String key) {
    String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    try {
      return URI.create(urlTemplate.replace("{key}", encoded));
    } catch (IllegalArgumentException e) {
      throw new InvalidSourceKeyException(
          "source " + name + ": key '" + printable(key) + "' does not make a valid URL");
    }
  }

  /** Scheme, host and port of the template: what may be logged of it. */
  private static String origin(String template) {
    int hostStart = template.indexOf("://") + 3;
    int end = hostStart;
    while (end < template.length() && "/?#{".indexOf(template.charAt(end)) < 0) {
      end++;
    }
    String authority = template.substring(hostStart, end);
    // user:password@host
    return template.substring(0, hostStart) + authority.substring(authority.lastIndexOf('@') + 1);
  }

  private List<Point> parse(byte[] body, String key) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new DataSourceException(
          "source " + name + ": the answer for key '" + key + "' is not JSON", e);
    }
    if (root == null) {
      throw new DataSourceException(
          "source " + name + ": the answer for key '" + key + "' is empty");
    }
    JsonNode t = array(root, times, "times", key);
    JsonNode y = array(root, values, "values", key);
    if (t.size() != y.size()) {
      throw new DataSourceException(
          "source "
              + name
              + ": the answer for key '"
              + key
              + "' has "
              + t.size()
              + " times but "
              + y.size()
              + " values");
    }
    List<Point> points = new ArrayList<>(t.size());
    for (int i = 0; i < t.size(); i++) {
      JsonNode v = y.get(i);
      if (v.isNull()) {
        continue;
      }
      if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
        throw new DataSourceException(
            "source "
                + name
                + ": the answer for key '"
                + key
                + "' has value "
                + values
                + "/"
                + i
                + ", which is not a number");
      }
      points.add(new Point(time(t.get(i), i, key), v.doubleValue()));
    }
    return List.copyOf(points);
  }

  private Object time(JsonNode t, int i, String key) {
    if (t.isNumber()) {
      double d = t.doubleValue();
      return d > EPOCH_SECONDS_ABOVE ? (Object) Instant.ofEpochSecond(t.longValue()) : (Object) d;
    }
    if (t.isTextual()) {
      var parsed = TimeValues.parse(t.textValue());
      if (parsed.isPresent()) {
        return parsed.get();
      }
    }
    throw new DataSourceException(
        "source "
            + name
            + ": the answer for key '"
            + key
            + "' has time "
            + times
            + "/"
            + i
            + " is not an ISO date, date-time or number");
  }

  private JsonNode array(JsonNode root, JsonPointer p, String what, String key) {
    JsonNode a = root.at(p);
    if (!a.isArray()) {
      throw new DataSourceException(
          "source "
              + name
              + ": the answer for key '"
              + key
              + "' has no array of "
              + what
              + " at "
              + p);
    }
    return a;
  }

  @Override
  public void close() {
    synchronized (cache) {
      cache.clear();
    }
  }

  @Override
  public String toString() {
    return "HttpJsonDataSource[" + name + ", " + origin + "]";
  }

  /** Builds an {@link HttpJsonDataSource}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String urlTemplate;
    private String times = "/times";
    private String values = "/values";
    private List<String> keys = List.of();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private long maxBodyBytes = 8L << 20;
    private int cacheEntries = 1024;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration timeout = Duration.ofSeconds(5);
    private int retries = 2;
    private Duration backoff = Duration.ofMillis(100);
    private Duration cacheTtl = Duration.ofSeconds(60);
    private int breakerThreshold = 3;
    private Duration breakerOpen = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();

    private Builder(String name, String urlTemplate) {
      this.name = Objects.requireNonNull(name, "name");
      this.urlTemplate = Objects.requireNonNull(urlTemplate, "urlTemplate");
      if (!urlTemplate.startsWith("http://") && !urlTemplate.startsWith("https://")) {
        throw new IllegalArgumentException(
            "source " + name + ": url must start with http:// or https://");
      }
    }

    /** JSON Pointer to the array of times (default {@code /times}). */
    public Builder times(String pointer) {
      this.times = pointer(pointer, "times");
      return this;
    }

    /** JSON Pointer to the array of values (default {@code /values}). */
    public Builder values(String pointer) {
      this.values = pointer(pointer, "values");
      return this;
    }

    /** The keys to offer (an API cannot list them); when set, other keys are not found. */
    public Builder keys(List<String> keys) {
      this.keys = List.copyOf(keys);
      return this;
    }

    /**
     * A header sent with every request, e.g. {@code Authorization}; its value never appears in an
     * error message or a log line.
     *
     * @throws IllegalArgumentException for a header the HTTP client sets itself ({@code Host},
     *     {@code Content-Length}, …) or an invalid name or value
     */
    public Builder header(String headerName, String value) {
      Objects.requireNonNull(headerName, "headerName");
      Objects.requireNonNull(value, "value");
      try {
        HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header(headerName, value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "source "
                + name
                + ": header '"
                + headerName
                + "' cannot be set (restricted or invalid)");
      }
      headers.put(headerName, value);
      return this;
    }

    /** The largest answer read, in bytes (default 8 MiB); a larger one is a failure. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxBodyBytes must be in 1..2^31-9, not " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * How many keys' series the cache keeps at most (default 1024); beyond it the least recently
     * used goes.
     */
    public Builder cacheEntries(int entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("cacheEntries must be at least 1, not " + entries);
      }
      this.cacheEntries = entries;
      return this;
    }

    /** Connect timeout (default 2 s). */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /** Timeout for the whole response of one attempt (default 5 s). */
    public Builder timeout(Duration d) {
      this.timeout = positive(d, "timeout");
      return this;
    }

    /** Retries after a timeout, a connection failure or a 5xx (default 2). */
    public Builder retries(int n) {
      if (n < 0 || n > 10) {
        throw new IllegalArgumentException("retries must be in 0..10, not " + n);
      }
      this.retries = n;
      return this;
    }

    /** The first backoff; it doubles per retry (default 100 ms). */
    public Builder backoff(Duration d) {
      this.backoff = Objects.requireNonNull(d, "backoff");
      return this;
    }

    /** How long a key's series is reused (default 60 s; zero disables the cache). */
    public Builder cache(Duration ttl) {
      this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * After {@code failures} failed fetches in a row, fail fast for {@code open} (default 3, 30 s).
     */
    public Builder circuitBreaker(int failures, Duration open) {
      if (failures < 1) {
        throw new IllegalArgumentException("failures must be at least 1");
      }
      this.breakerThreshold = failures;
      this.breakerOpen = Objects.requireNonNull(open, "open");
      return this;
    }

    /** The clock for the cache and the breaker (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public HttpJsonDataSource build() {
      return new HttpJsonDataSource(this);
    }

    private static String pointer(String p, String what) {
      if (p == null || !(p.isEmpty() || p.startsWith("/"))) {
        throw new IllegalArgumentException(
            what + " must be a JSON Pointer such as /chart/close, not " + p);
      }
      return p;
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
