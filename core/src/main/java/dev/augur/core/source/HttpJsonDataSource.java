package dev.augur.core.source;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.DataSource;
import dev.augur.core.DataSourceException;
import dev.augur.core.KeyNotFoundException;
import dev.augur.core.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A series from an HTTP JSON API: a URL template with {@code {key}} (URL-encoded), JSON Pointers to
 * the arrays of times and values, connect and read timeouts, retries with exponential backoff on
 * timeouts, connection failures and 5xx only, a per-key TTL cache, and a circuit breaker that fails
 * fast while the API is down.
 *
 * <pre>{@code
 * DataSource quotes = HttpJsonDataSource.builder("quotes", "https://api.example.com/q/{key}")
 *     .times("/chart/timestamps").values("/chart/close")
 *     .keys(List.of("AAPL", "MSFT")).timeout(Duration.ofSeconds(2)).retries(2)
 *     .cache(Duration.ofMinutes(1)).build();
 * }</pre>
 *
 * <p>Times may be ISO dates or date-times, or numbers; numbers above 10<sup>8</sup> are read as
 * epoch seconds. A {@code null} value (a missing quote) is skipped with its time.
 */
public final class HttpJsonDataSource implements DataSource {
  private static final Logger log = LoggerFactory.getLogger(HttpJsonDataSource.class);
  private static final double EPOCH_SECONDS_ABOVE = 1e8;

  private final String name;
  private final String urlTemplate;
  private final JsonPointer times;
  private final JsonPointer values;
  private final List<String> keys;
  private final Duration timeout;
  private final int retries;
  private final Duration backoff;
  private final Duration cacheTtl;
  private final int breakerThreshold;
  private final Duration breakerOpen;
  private final Clock clock;
  private final HttpClient http;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  private final Object breakerLock = new Object();
  private int consecutiveFailures;
  private Instant openUntil = Instant.MIN;

  private record Cached(List<Point> points, Instant expires) {}

  private HttpJsonDataSource(Builder b) {
    this.name = b.name;
    this.urlTemplate = b.urlTemplate;
    this.times = JsonPointer.compile(b.times);
    this.values = JsonPointer.compile(b.values);
    this.keys = b.keys.stream().sorted().toList();
    this.timeout = b.timeout;
    this.retries = b.retries;
    this.backoff = b.backoff;
    this.cacheTtl = b.cacheTtl;
    this.breakerThreshold = b.breakerThreshold;
    this.breakerOpen = b.breakerOpen;
    this.clock = b.clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
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

  @Override
  public List<Point> fetch(String key, int n) {
    Objects.requireNonNull(key, "key");
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, not " + n);
    }
    if (!keys.isEmpty() && !keys.contains(key)) {
      throw new KeyNotFoundException("source " + name + " has no key '" + key + "'");
    }
    List<Point> all = cached(key);
    return all.subList(Math.max(0, all.size() - n), all.size());
  }

  private List<Point> cached(String key) {
    Instant now = clock.instant();
    Cached c = cache.get(key);
    if (c != null && now.isBefore(c.expires)) {
      return c.points;
    }
    List<Point> points = download(key);
    if (!cacheTtl.isZero()) {
      cache.put(key, new Cached(points, now.plus(cacheTtl)));
    }
    return points;
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
    URI uri = uri(key);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    Exception last = null;
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        LockSupport.parkNanos(backoff.toNanos() << (attempt - 1));
      }
      try {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status >= 500) {
          last = new IOException("HTTP " + status);
          continue;
        }
        succeeded();
        if (status == 404) {
          throw new KeyNotFoundException("source " + name + " has no key '" + key + "' (HTTP 404)");
        }
        if (status >= 300) {
          throw new DataSourceException("source " + name + ": " + uri + " answered HTTP " + status);
        }
        return parse(response.body(), uri);
      } catch (HttpTimeoutException e) {
        last = e;
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DataSourceException("source " + name + ": interrupted", e);
      }
    }
    failed();
    String why =
        last instanceof HttpTimeoutException ? "timed out" : String.valueOf(last.getMessage());
    throw new DataSourceException(
        "source "
            + name
            + " is unavailable: "
            + uri
            + " "
            + why
            + " after "
            + (retries + 1)
            + " attempts",
        last);
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
            "source {}: {} failures in a row, failing fast until {}",
            name,
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
      throw new DataSourceException(
          "source " + name + ": bad URL for key '" + key + "': " + e.getMessage(), e);
    }
  }

  private List<Point> parse(byte[] body, URI uri) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new DataSourceException("source " + name + ": " + uri + " did not answer JSON", e);
    }
    if (root == null) {
      throw new DataSourceException("source " + name + ": " + uri + " answered an empty body");
    }
    JsonNode t = array(root, times, "times", uri);
    JsonNode y = array(root, values, "values", uri);
    if (t.size() != y.size()) {
      throw new DataSourceException(
          "source "
              + name
              + ": "
              + uri
              + " has "
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
            "source " + name + ": " + uri + " value " + values + "/" + i + " is not a number");
      }
      points.add(new Point(time(t.get(i), i, uri), v.doubleValue()));
    }
    return List.copyOf(points);
  }

  private Object time(JsonNode t, int i, URI uri) {
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
            + ": "
            + uri
            + " time "
            + times
            + "/"
            + i
            + " is not an ISO date, date-time or number");
  }

  private JsonNode array(JsonNode root, JsonPointer p, String what, URI uri) {
    JsonNode a = root.at(p);
    if (!a.isArray()) {
      throw new DataSourceException(
          "source " + name + ": " + uri + " has no array of " + what + " at " + p);
    }
    return a;
  }

  @Override
  public void close() {
    cache.clear();
  }

  @Override
  public String toString() {
    return "HttpJsonDataSource[" + name + ", " + urlTemplate + "]";
  }

  /** Builds an {@link HttpJsonDataSource}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String urlTemplate;
    private String times = "/times";
    private String values = "/values";
    private List<String> keys = List.of();
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
