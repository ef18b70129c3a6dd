package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.core.HistoryStore;
import dev.augur.persistence.HistoryStores;
import dev.augur.persistence.testing.LoopbackProxy;
import dev.augur.persistence.testing.Postgres;
import dev.augur.server.Running.Response;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth, CORS, body and in-flight limits, slow clients, readiness while the store is down, shutdown.
 */
class ServerLimitsTest {
  static final String PREDICT = "/models/tab_binary_softmax/predict";
  static final String PASSENGER = ServerApiTest.PASSENGER;

  @TempDir Path dir;

  @Test
  void anApiKeyGuardsOutcomesAndAdminRoutes() {
    try (Running s = Running.start(dir, b -> b.apiKey("s3cret-key"))) {
      String id = s.post(PREDICT, PASSENGER, "X-API-Key", "s3cret-key").json().get("id").asText();
      String outcome = "/models/tab_binary_softmax/predictions/" + id + "/outcome";
      Response none = s.put(outcome, "{\"outcome\": 1}");
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(s.put(outcome, "{\"outcome\": 1}", "Authorization", "Bearer wrong").status())
          .isEqualTo(403);
      assertThat(s.put(outcome, "{\"outcome\": 1}", "X-API-Key", "s3cret-keyX").status())
          .isEqualTo(403);
      assertThat(s.put(outcome, "{\"outcome\": 1}", "Authorization", "Bearer s3cret-key").status())
          .isEqualTo(200);
      assertThat(
              s.post(
                      "/update",
                      "{\"id\": \"" + id + "\", \"true_class\": 0}",
                      "X-API-Key",
                      "s3cret-key")
                  .status())
          .isEqualTo(200);
      assertThat(s.post("/update", "{\"id\": \"" + id + "\", \"true_class\": 0}").status())
          .isEqualTo(401);
      assertThat(s.post("/models/tab_binary_softmax/reload", "").status()).isEqualTo(401);
      assertThat(
              s.post("/models/tab_binary_softmax/reload", "", "X-API-Key", "s3cret-key").status())
          .isEqualTo(200);
    }
  }

  /**
   * Every registered route, with its parameters filled in, asked without, with a wrong and with the
   * key.
   */
  @Test
  void anApiKeyGuardsEveryRouteButTheProbesThePageAndTheDocs() {
    try (Running s = Running.start(dir, b -> b.apiKey("s3cret-key"))) {
      String id = s.post(PREDICT, PASSENGER, "X-API-Key", "s3cret-key").json().get("id").asText();
      List<String> routes = new ArrayList<>(s.server.routes());
      assertThat(routes).hasSizeGreaterThan(30);
      for (String route : routes) {
        String method = route.substring(0, route.indexOf(' '));
        String path =
            route
                .substring(route.indexOf(' ') + 1)
                .replace("{m}", "tab_binary_softmax")
                .replace("{v}", "1")
                .replace("{id}", id)
                .replace("{file}", "volume.png")
                .replace("{s}", "stocks")
                .replace("{k}", "FINA");
        boolean open = OpenApi.OPEN.contains(route.substring(route.indexOf(' ') + 1));
        String body = method.equals("GET") ? "" : "{}";
        Response none = s.method(method, path, body);
        Response wrong = s.method(method, path, body, "Authorization", "Bearer nope");
        Response right = s.method(method, path, body, "X-API-Key", "s3cret-key");
        if (open) {
          assertThat(none.status()).as(route).isNotIn(401, 403);
          assertThat(wrong.status()).as(route).isNotIn(401, 403);
        } else {
          assertThat(none.status()).as(route + " without the key").isEqualTo(401);
          assertThat(wrong.status()).as(route + " with a wrong key").isEqualTo(403);
        }
        assertThat(right.status()).as(route + " with the key").isNotIn(401, 403);
      }
      // the page, its files, the API docs and the probes stay open
      assertThat(s.get("/", "Accept", "text/html").status()).isEqualTo(200);
      assertThat(s.get("/ui/app.js").status()).isEqualTo(200);
      assertThat(s.get("/ui/app.css").status()).isEqualTo(200);
      assertThat(s.get("/docs").status()).isEqualTo(200);
      assertThat(s.get("/docs/swagger-ui.css").status()).isEqualTo(200);
      assertThat(s.get("/openapi.json").status()).isEqualTo(200);
      assertThat(s.get("/health/live").status()).isEqualTo(200);
      assertThat(s.get("/v2/health/live").status()).isEqualTo(200);
      // the JSON face of / lists the models: behind the key
      assertThat(s.get("/").status()).isEqualTo(401);
      assertThat(s.get("/metrics").status()).isEqualTo(401);
      assertThat(s.get("/metrics", "Authorization", "Bearer s3cret-key").status()).isEqualTo(200);
    }
  }

  @Test
  void corsIsOffByDefaultAndAnswersAllowedOriginsWhenOn() {
    try (Running s = Running.start(dir.resolve("a"), b -> {})) {
      assertThat(
              s.get("/models", "Origin", "https://app.example")
                  .headers()
                  .firstValue("Access-Control-Allow-Origin"))
          .isEmpty();
    }
    try (Running s =
        Running.start(dir.resolve("b"), b -> b.corsOrigins(List.of("https://app.example")))) {
      Response pre =
          s.send(
              HttpRequest.newBuilder(s.uri(PREDICT))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://app.example")
                  .header("Access-Control-Request-Method", "POST"));
      assertThat(pre.status()).isEqualTo(204);
      assertThat(pre.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://app.example");
      assertThat(pre.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
          .contains("POST");
      assertThat(
              s.get("/models", "Origin", "https://evil.example")
                  .headers()
                  .firstValue("Access-Control-Allow-Origin"))
          .isEmpty();
    }
  }

  @Test
  void bodiesOverTheLimitAre413DeclaredOrChunked() {
    try (Running s = Running.start(dir, b -> b.maxBodyBytes(64 * 1024))) {
      String big = "{\"observation\": {\"Text\": \"" + "x".repeat(100_000) + "\"}}";
      Response declared = s.post(PREDICT, big);
      assertThat(declared.status()).isEqualTo(413);
      assertThat(declared.json().get("detail").asText()).contains("limit");
      byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
      Response chunked =
          s.send(
              HttpRequest.newBuilder(s.uri(PREDICT))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(bytes))));
      assertThat(chunked.status()).isEqualTo(413);
      assertThat(s.post(PREDICT, PASSENGER).status()).as("still serving").isEqualTo(200);
    }
  }

  @Test
  void beyondTheInFlightBoundItSheds503WithRetryAfterAndLosesNothing() throws Exception {
    try (Running s = Running.start(dir, b -> b.maxInFlight(1))) {
      ExecutorService pool = Executors.newFixedThreadPool(32);
      try {
        List<Response> all = Collections.synchronizedList(new ArrayList<>());
        for (int round = 0; round < 20 && all.stream().noneMatch(r -> r.status() == 503); round++) {
          List<Future<Response>> fs = new ArrayList<>();
          for (int i = 0; i < 64; i++) {
            fs.add(pool.submit(() -> s.post(PREDICT, PASSENGER)));
          }
          for (Future<Response> f : fs) {
            all.add(f.get());
          }
        }
        List<Response> shed = all.stream().filter(r -> r.status() == 503).toList();
        assertThat(shed).as("some requests were shed").isNotEmpty();
        assertThat(shed.get(0).headers().firstValue("Retry-After")).hasValue("1");
        assertThat(all).allMatch(r -> r.status() == 200 || r.status() == 503);
        for (Response ok : all.stream().filter(r -> r.status() == 200).toList()) {
          assertThat(s.history.find("tab_binary_softmax", ok.json().get("id").asText()))
              .isPresent();
        }
        assertThat(s.get("/health/live").status()).isEqualTo(200);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aSlowClientIsCutOffByTheReadTimeout() throws Exception {
    try (Running s = Running.start(dir, b -> b.readTimeout(Duration.ofMillis(500)))) {
      try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.server.port())) {
        raw.setSoTimeout(10_000);
        OutputStream out = raw.getOutputStream();
        out.write(
            "POST /models/tab_binary_softmax/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = raw.getInputStream();
        long t0 = System.nanoTime();
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
          // drain whatever the server answers until it closes
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(9));
      }
      assertThat(s.post(PREDICT, PASSENGER).status()).isEqualTo(200);
    }
  }

  @Test
  void readinessIsFalseAndPredictionsAre503WhileTheStoreIsDownThenRecover() throws Exception {
    Postgres.assumeAvailable();
    try (LoopbackProxy proxy = new LoopbackProxy(5432)) {
      proxy.start();
      HistoryStore store =
          HistoryStores.builder(Postgres.throughPort(proxy.port()))
              .connectionTimeout(Duration.ofMillis(500))
              .build();
      try (Running s = Running.start(dir, store, b -> {})) {
        assertThat(s.get("/health/ready").status()).isEqualTo(200);
        proxy.cut();
        Response down = s.post(PREDICT, PASSENGER);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).isPresent();
        assertThat(down.json().get("title").asText()).isEqualTo("History unavailable");
        assertThat(s.get("/health/ready").status()).isEqualTo(503);
        assertThat(s.get("/v2/health/ready").status()).isEqualTo(503);
        assertThat(s.get("/health/live").status()).isEqualTo(200);

        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && (status = s.get("/health/ready").status()) != 200) {
          Thread.onSpinWait();
        }
        assertThat(status).as("ready again once the database is back").isEqualTo(200);
        Response up = s.post(PREDICT, PASSENGER);
        assertThat(up.status()).isEqualTo(200);
        assertThat(s.history.find("tab_binary_softmax", up.json().get("id").asText())).isPresent();
      }
    }
  }

  @Test
  void shutdownFinishesRequestsInFlightFlushesTheHistoryAndRefusesNewOnes() throws Exception {
    Path db = dir.resolve("history.db");
    Running s = Running.start(dir, b -> b.drain(Duration.ofSeconds(30)));
    int port = s.server.port();
    String batch =
        "{\"instances\": [" + String.join(",", Collections.nCopies(2000, PASSENGER)) + "]}";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Response>> inFlight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        inFlight.add(pool.submit(() -> s.post(PREDICT, batch)));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (s.server.meterRegistry().get("augur.predictions.in_flight").gauge().value() < 1
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
      List<String> ids = new ArrayList<>();
      int ok = 0;
      for (Future<Response> f : inFlight) {
        Response r;
        try {
          r = f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          // a request that had not reached the server before it stopped accepting
          assertThat(e).hasRootCauseInstanceOf(ConnectException.class);
          continue;
        }
        if (r.status() == 200) {
          ok++;
          r.json().get("predictions").forEach(p -> ids.add(p.get("id").asText()));
        } else {
          assertThat(r.status()).as("refused while shutting down").isEqualTo(503);
        }
      }
      closing.get();
      assertThat(ok)
          .as("requests in flight when shutdown began finished")
          .isGreaterThanOrEqualTo(1);
      assertThat(s.server.isReady()).isFalse();
      try (HistoryStore reopened = HistoryStores.sqlite(db)) {
        for (String id : ids) {
          assertThat(reopened.find("tab_binary_softmax", id)).isPresent();
        }
      }
      try (Socket refused = new Socket()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () ->
                    refused.connect(
                        new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                        2000))
            .isInstanceOf(ConnectException.class);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
