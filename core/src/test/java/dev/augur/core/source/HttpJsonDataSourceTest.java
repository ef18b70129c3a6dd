package dev.augur.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.augur.core.DataSourceException;
import dev.augur.core.KeyNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
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
      s.fetch("BRK B/Ä", 1);
      assertThat(hits).containsKey("/q/BRK%20B%2F%C3%84");
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
          .hasMessageContaining("did not answer JSON");
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
}
