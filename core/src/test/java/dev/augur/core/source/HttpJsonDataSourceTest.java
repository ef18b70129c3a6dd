package dev.augur.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.augur.core.DataSourceException;
import dev.augur.core.InvalidSourceKeyException;
import dev.augur.core.KeyNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real HTTP server on loopback serving fixtures, 500s, garbage and hangs. */
class HttpJsonDataSourceTest {
  private static final String QUOTES =
      "{\"chart\": {\"timestamps\": [\"2024-01-02\", \"2024-01-03\", \"2024-01-04\", \"2024-01-05\"],"
          + " \"close\": [10.5, null, 11.25, 12.0]}}";

  HttpServer server;
  String base;
  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  final CountDownLatch release = new CountDownLatch(1);
  final MutableClock clock = new MutableClock();

  static final class MutableClock extends Clock {
    volatile Instant now = Instant.parse("2024-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/q/", this::quotes);
    server.createContext(
        "/flaky/",
        ex -> {
          count(ex);
          if (failuresLeft.getAndDecrement() > 0) {
            send(ex, 503, "busy");
          } else {
            send(ex, 200, QUOTES);
          }
        });
    server.createContext("/garbage/", ex -> send(ex, 200, "<html>not json"));
    server.createContext("/shape/", ex -> send(ex, 200, "{\"chart\": {\"close\": 3}}"));
    server.createContext(
        "/bad/",
        ex -> {
          count(ex);
          send(ex, 400, "{}");
        });
    server.createContext(
        "/hang/",
        ex -> {
          count(ex);
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          send(ex, 200, QUOTES);
        });
    server.createContext(
        "/redirect/",
        ex -> {
          count(ex);
          ex.getResponseHeaders().add("Location", "/q/AAPL");
          send(ex, 302, "");
        });
    server.createContext(
        "/big/",
        ex -> {
          count(ex);
          // chunked (no declared length) unless the key asks for a declared one
          boolean declared = ex.getRequestURI().getPath().endsWith("declared");
          byte[] chunk = ("{\"pad\": \"" + "x".repeat(1 << 16) + "\"}").getBytes();
          ex.sendResponseHeaders(200, declared ? 64L << 20 : 0);
          try (var out = ex.getResponseBody()) {
            for (int i = 0; i < 1024; i++) {
              out.write(chunk);
            }
          } catch (IOException e) {
            // the client hung up, as it should
          }
        });
    server.createContext(
        "/auth/",
        ex -> {
          count(ex);
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          send(ex, "Bearer s3cret".equals(auth) ? 200 : 401, QUOTES);
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private void quotes(HttpExchange ex) throws IOException {
    count(ex);
    String key = ex.getRequestURI().getPath().substring("/q/".length());
    if (key.equals("GONE")) {
      send(ex, 404, "{}");
    } else {
      send(ex, 200, QUOTES);
    }
  }

  private void count(HttpExchange ex) {
    hits.computeIfAbsent(ex.getRequestURI().getRawPath(), k -> new AtomicInteger())
        .incrementAndGet();
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  private HttpJsonDataSource.Builder source(String path) {
    return HttpJsonDataSource.builder("quotes", base + path + "{key}")
        .times("/chart/timestamps")
        .values("/chart/close")
        .backoff(Duration.ofMillis(1))
        .clock(clock);
  }

  private int hits(String path) {
    return hits.getOrDefault(path, new AtomicInteger()).get();
  }

  @Test
  void mapsTheBodyThroughJsonPointersSkippingMissingValues() {
    try (HttpJsonDataSource s = source("/q/").build()) {
      List<Point> points = s.fetch("AAPL", 2);
      assertThat(points)
          .extracting(Point::t)
          .containsExactly(LocalDate.parse("2024-01-04"), LocalDate.parse("2024-01-05"));
      assertThat(points).extracting(Point::y).containsExactly(11.25, 12.0);
      assertThat(s.fetch("AAPL", 10)).hasSize(3);
    }
  }

  @Test
  void encodesTheKeyInThePath() {
    try (HttpJsonDataSource s = source("/q/").build()) {
      s.fetch("BRK B&Ä", 1);
      assertThat(hits).containsKey("/q/BRK%20B%26%C3%84");
    }
  }

  @Test
  void cachesPerKeyForItsTtl() {
    try (HttpJsonDataSource s = source("/q/").cache(Duration.ofSeconds(60)).build()) {
      s.fetch("AAPL", 3);
      s.fetch("AAPL", 3);
      assertThat(hits("/q/AAPL")).isEqualTo(1);
      clock.now = clock.now.plusSeconds(61);
      s.fetch("AAPL", 3);
      assertThat(hits("/q/AAPL")).isEqualTo(2);
    }
  }

  @Test
  void retries5xxWithBackoffThenSucceeds() {
    failuresLeft.set(2);
    try (HttpJsonDataSource s = source("/flaky/").retries(2).build()) {
      assertThat(s.fetch("X", 3)).hasSize(3);
      assertThat(hits("/flaky/X")).isEqualTo(3);
    }
  }

  @Test
  void doesNotRetry4xxAnd404IsNotFound() {
    try (HttpJsonDataSource s = source("/bad/").retries(3).build()) {
      assertThatThrownBy(() -> s.fetch("X", 3))
          .isInstanceOf(DataSourceException.class)
          .hasMessageContaining("HTTP 400");
      assertThat(hits("/bad/X")).isEqualTo(1);
    }
    try (HttpJsonDataSource s = source("/q/").build()) {
      assertThatThrownBy(() -> s.fetch("GONE", 3)).isInstanceOf(KeyNotFoundException.class);
    }
  }

  @Test
  void declaredKeysBoundWhatCanBeAsked() {
    try (HttpJsonDataSource s = source("/q/").keys(List.of("MSFT", "AAPL")).build()) {
      assertThat(s.keys()).containsExactly("AAPL", "MSFT");
      assertThatThrownBy(() -> s.fetch("TSLA", 3)).isInstanceOf(KeyNotFoundException.class);
      assertThat(hits("/q/TSLA")).isZero();
    }
  }

  @Test
  void garbageAndWrongShapesAreClearFailures() {
    try (HttpJsonDataSource s = source("/garbage/").build()) {
      assertThatThrownBy(() -> s.fetch("X", 3))
          .isInstanceOf(DataSourceException.class)
          .hasMessageContaining("is not JSON");
    }
    try (HttpJsonDataSource s = source("/shape/").build()) {
      assertThatThrownBy(() -> s.fetch("X", 3))
          .hasMessageContaining("no array of times at /chart/timestamps");
    }
  }

  @Test
  void aHangingApiTimesOutAndTheBreakerThenFailsFast() {
    try (HttpJsonDataSource s =
        source("/hang/")
            .timeout(Duration.ofMillis(200))
            .retries(1)
            .circuitBreaker(2, Duration.ofSeconds(30))
            .build()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> s.fetch("X", 3))
            .isInstanceOf(DataSourceException.class)
            .hasMessageContaining("timed out after 2 attempts")
            .hasCauseInstanceOf(HttpTimeoutException.class);
      }
      assertThat(hits("/hang/X")).isEqualTo(4);
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> s.fetch("X", 3)).hasMessageContaining("retrying after");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(100));
      assertThat(hits("/hang/X")).as("an open breaker sends nothing").isEqualTo(4);
      clock.now = clock.now.plusSeconds(31);
      release.countDown();
      assertThat(s.fetch("X", 3)).hasSize(3);
    }
  }

  @Test
  void theCacheIsBoundedAndDropsTheLeastRecentlyUsedSeries() {
    try (HttpJsonDataSource s = source("/q/").cacheEntries(2).build()) {
      s.fetch("A", 1);
      s.fetch("B", 1);
      s.fetch("A", 1);
      s.fetch("C", 1); // B is the least recently used: it goes
      assertThat(s.cachedSeries()).isEqualTo(2);
      s.fetch("A", 1);
      assertThat(hits("/q/A")).as("A stayed cached").isEqualTo(1);
      s.fetch("B", 1);
      assertThat(hits("/q/B")).as("B was evicted").isEqualTo(2);
      for (int i = 0; i < 100; i++) {
        s.fetch("K" + i, 1);
      }
      assertThat(s.cachedSeries()).isEqualTo(2);
    }
  }

  @Test
  void concurrentCallersForOneKeyShareOneUpstreamRequest() throws Exception {
    try (HttpJsonDataSource s = source("/hang/").timeout(Duration.ofSeconds(20)).build()) {
      int callers = 8;
      List<Thread> threads = new java.util.ArrayList<>();
      List<List<Point>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int i = 0; i < callers; i++) {
        Thread t = new Thread(() -> results.add(s.fetch("X", 3)));
        threads.add(t);
        t.start();
      }
      // every caller is parked (in the one request or waiting for it) before the API answers
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline
          && (hits("/hang/X") < 1
              || !threads.stream()
                  .allMatch(
                      t ->
                          t.getState() == Thread.State.WAITING
                              || t.getState() == Thread.State.TIMED_WAITING))) {
        Thread.onSpinWait();
      }
      release.countDown();
      for (Thread t : threads) {
        t.join(10_000);
      }
      assertThat(results).hasSize(callers).allMatch(r -> r.size() == 3);
      assertThat(hits("/hang/X")).as("one upstream request for 8 callers").isEqualTo(1);
    }
  }

  @Test
  void redirectsAreNotFollowed() {
    try (HttpJsonDataSource s = source("/redirect/").build()) {
      assertThatThrownBy(() -> s.fetch("X", 3))
          .isInstanceOf(DataSourceException.class)
          .hasMessageContaining("HTTP 302")
          .hasMessageContaining("redirects are not followed");
      assertThat(hits("/redirect/X")).isEqualTo(1);
      assertThat(hits("/q/AAPL")).isZero();
    }
  }

  @Test
  void anAnswerOverTheBodyLimitIsRefusedWithoutReadingItAll() {
    try (HttpJsonDataSource s = source("/big/").maxBodyBytes(256 * 1024).build()) {
      for (String key : List.of("chunked", "declared")) {
        assertThatThrownBy(() -> s.fetch(key, 3))
            .isInstanceOf(DataSourceException.class)
            .hasMessageContaining("larger than 262144 bytes");
      }
      assertThat(hits("/big/chunked")).as("not retried").isEqualTo(1);
    }
  }

  @Test
  void keysThatWouldChangeTheUrlPathAreRefusedNamingTheKey() {
    try (HttpJsonDataSource s = source("/q/").build()) {
      for (String key : List.of("..", ".", "a/../b", "a\\b", "../admin")) {
        assertThatThrownBy(() -> s.fetch(key, 3))
            .isInstanceOf(InvalidSourceKeyException.class)
            .hasMessageContaining("key '" + key + "'");
      }
      assertThatThrownBy(() -> s.fetch("a\nb", 3))
          .isInstanceOf(InvalidSourceKeyException.class)
          .hasMessageContaining("key 'a\\u000ab' contains a control character");
      assertThatThrownBy(() -> s.fetch("", 3)).isInstanceOf(InvalidSourceKeyException.class);
      assertThatThrownBy(() -> s.fetch("k".repeat(300), 3))
          .isInstanceOf(InvalidSourceKeyException.class)
          .hasMessageContaining("longer than 256");
      assertThat(hits).as("nothing was sent").isEmpty();
    }
  }

  @Test
  void headersAreSentAndTheirValuesNeverShown() {
    try (HttpJsonDataSource s = source("/auth/").header("Authorization", "Bearer s3cret").build()) {
      assertThat(s.fetch("X", 3)).hasSize(3);
    }
    try (HttpJsonDataSource s = source("/auth/").header("Authorization", "Bearer wrong").build()) {
      assertThatThrownBy(() -> s.fetch("X", 3))
          .hasMessageContaining("HTTP 401")
          .hasMessageNotContaining("wrong");
    }
    assertThatThrownBy(() -> source("/auth/").header("Host", "evil.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Host'");
  }

  @Test
  void headersComeFromSourcesJsonWithEnvironmentReferences(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("sources.json"),
        """
        {"sources": [{"name": "quotes", "type": "http", "url": "%s/auth/{key}",
          "times": "/chart/timestamps", "values": "/chart/close",
          "headers": {"Authorization": "Bearer ${env:QUOTES_KEY}"},
          "cache_entries": 10, "max_body_bytes": 65536}]}
        """
            .formatted(base));
    try (Sources s = Sources.reader().environment(Map.of("QUOTES_KEY", "s3cret")::get).read(dir)) {
      assertThat(s.get("quotes").fetch("AAPL", 2)).hasSize(2);
    }
    Files.writeString(
        dir.resolve("sources.json"),
        """
        {"sources": [{"name": "quotes", "type": "http", "url": "%s/auth/{key}",
          "headers": {"Content-Length": "5"}}]}
        """
            .formatted(base));
    assertThatThrownBy(() -> Sources.read(dir))
        .isInstanceOf(DataSourceException.class)
        .hasMessageContaining("(quotes).headers.Content-Length cannot be set");
  }

  @Test
  void failuresNeverShowTheUrlOrItsSecrets() {
    failuresLeft.set(100);
    List<String> paths = List.of("/flaky/", "/bad/", "/garbage/", "/shape/", "/redirect/");
    for (String path : paths) {
      try (HttpJsonDataSource s =
          HttpJsonDataSource.builder("quotes", base + path + "{key}?apikey=SECRET")
              .times("/chart/timestamps")
              .values("/chart/close")
              .backoff(Duration.ofMillis(1))
              .retries(1)
              .build()) {
        assertThatThrownBy(() -> s.fetch("X", 3))
            .isInstanceOf(DataSourceException.class)
            .hasMessageContaining("source quotes")
            .hasMessageNotContaining("SECRET")
            .hasMessageNotContaining("127.0.0.1")
            .hasMessageNotContaining(path);
        assertThat(s.toString()).doesNotContain("SECRET").doesNotContain(path);
      }
    }
    try (HttpJsonDataSource s =
        HttpJsonDataSource.builder("quotes", "http://127.0.0.1:1/q/{key}?apikey=SECRET")
            .retries(0)
            .build()) {
      assertThatThrownBy(() -> s.fetch("X", 3))
          .isInstanceOf(DataSourceException.class)
          .hasMessageNotContaining("SECRET")
          .hasMessageNotContaining("/q/");
    }
  }
}
