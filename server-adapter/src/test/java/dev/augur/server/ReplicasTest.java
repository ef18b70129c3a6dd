package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.augur.core.HistoryStore;
import dev.augur.core.testing.Fixtures;
import dev.augur.persistence.HistoryStores;
import dev.augur.persistence.testing.Postgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out for real on loopback: three Augur servers (child JVMs) on the PostgreSQL of this
 * machine behind nginx round robin. Concurrent predictions with client ids and outcome updates go
 * through nginx while one replica is SIGKILLed midway; every acknowledged prediction is in the
 * history exactly once, outcomes are seen by every replica, and quality agrees on all of them.
 */
class ReplicasTest {
  static final int PREDICTIONS = 1200;
  static final String PASSENGER = ServerApiTest.PASSENGER;

  @TempDir Path dir;

  static Path nginx() {
    for (String p : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    String msg = "nginx is not installed (apt-get install nginx-light)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(msg + " and CI=true: the replica test must run in CI");
    }
    System.err.println("SKIPPED: " + msg);
    Assumptions.abort(msg);
    return null;
  }

  /** A model repository holding the binary fixture under a name unique to this run. */
  private Path models(String name) throws IOException {
    Path src = Fixtures.model("tab_binary_softmax");
    Path dst = dir.resolve("models").resolve(name).resolve("1");
    Files.createDirectories(dst);
    try (var files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    ObjectNode manifest = (ObjectNode) Json.mapper().readTree(dst.resolve("model.json").toFile());
    manifest.put("name", name);
    Json.mapper().writeValue(dst.resolve("model.json").toFile(), manifest);
    return dir.resolve("models");
  }

  private Process startNginx(Path nginx, int port, List<ChildServer> upstreams) throws Exception {
    Path prefix = Files.createDirectories(dir.resolve("nginx"));
    Files.createDirectories(prefix.resolve("logs"));
    StringBuilder servers = new StringBuilder();
    for (ChildServer s : upstreams) {
      servers
          .append("    server 127.0.0.1:")
          .append(s.port)
          .append(" max_fails=1 fail_timeout=30s;\n");
    }
    String conf =
        "worker_processes 1;\n"
            + "error_log "
            + prefix.resolve("logs/error.log")
            + " warn;\n"
            + "pid "
            + prefix.resolve("nginx.pid")
            + ";\n"
            + "events { worker_connections 1024; }\n"
            + "http {\n"
            + "  access_log off;\n"
            + "  client_body_temp_path "
            + prefix.resolve("body")
            + ";\n"
            + "  proxy_temp_path "
            + prefix.resolve("proxy")
            + ";\n"
            + "  upstream augur {\n"
            + servers
            + "    keepalive 32;\n  }\n"
            + "  server {\n"
            + "    listen 127.0.0.1:"
            + port
            + ";\n"
            + "    location / {\n"
            + "      proxy_pass http://augur;\n"
            + "      proxy_http_version 1.1;\n"
            + "      proxy_set_header Connection \"\";\n"
            + "      proxy_connect_timeout 2s;\n"
            // a prediction with a client id is safe to retry on another replica: it is a replay
            + "      proxy_next_upstream error timeout http_502 http_503 non_idempotent;\n"
            + "    }\n"
            + "  }\n"
            + "}\n";
    Path file = prefix.resolve("nginx.conf");
    Files.writeString(file, conf);
    Process p =
        new ProcessBuilder(
                nginx.toString(),
                "-p",
                prefix.toString(),
                "-c",
                file.toString(),
                "-g",
                "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
            .start();
    return p;
  }

  @Test
  void threeReplicasBehindNginxShareOneHistoryThroughAKill() throws Exception {
    Postgres.assumeAvailable();
    Path nginx = nginx();
    String model = "replicas_" + Long.toString(System.nanoTime(), 36);
    Path models = models(model);
    List<ChildServer> replicas = new ArrayList<>();
    Process proxy = null;
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<ChildServer>> starting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Path log = dir.resolve("replica-" + i + ".log");
        starting.add(
            pool.submit(
                () ->
                    ChildServer.start(
                        log,
                        Map.of(
                            "DATABASE_URL",
                            Postgres.URL,
                            "AUGUR_DATA_DIR",
                            dir.resolve("data").toString()),
                        "--models",
                        models.toString(),
                        "--no-access-log")));
      }
      for (Future<ChildServer> f : starting) {
        replicas.add(f.get(120, TimeUnit.SECONDS));
      }
      int port = ChildServer.freePort();
      proxy = startNginx(nginx, port, replicas);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      URI predict = URI.create("http://127.0.0.1:" + port + "/models/" + model + "/predict");
      awaitProxy(http, URI.create("http://127.0.0.1:" + port + "/health/live"));

      Set<String> acked = ConcurrentHashMap.newKeySet();
      Map<String, String> outcomes = new ConcurrentHashMap<>();
      AtomicInteger retries = new AtomicInteger();
      CountDownLatch halfway = new CountDownLatch(PREDICTIONS / 2);
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < PREDICTIONS; i++) {
        String id = "r-" + i;
        work.add(
            pool.submit(
                () -> {
                  String body = "{\"id\": \"" + id + "\", \"observation\": " + PASSENGER + "}";
                  for (int attempt = 0; attempt < 8; attempt++) {
                    int status;
                    try {
                      status =
                          http.send(post(predict, body), HttpResponse.BodyHandlers.discarding())
                              .statusCode();
                    } catch (IOException e) {
                      status = -1;
                    }
                    if (status == 200) {
                      acked.add(id);
                      halfway.countDown();
                      if (id.hashCode() % 3 == 0) {
                        String label = id.hashCode() % 2 == 0 ? "survived" : "died";
                        String out = "{\"outcome\": \"" + label + "\"}";
                        URI u =
                            URI.create(
                                "http://127.0.0.1:"
                                    + port
                                    + "/models/"
                                    + model
                                    + "/predictions/"
                                    + id
                                    + "/outcome");
                        for (int a = 0; a < 8; a++) {
                          try {
                            if (http.send(
                                        HttpRequest.newBuilder(u)
                                            .header("Content-Type", "application/json")
                                            .PUT(HttpRequest.BodyPublishers.ofString(out))
                                            .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                                == 200) {
                              outcomes.put(id, label);
                              break;
                            }
                          } catch (IOException e) {
                            // retried: an outcome update is idempotent
                          }
                        }
                      }
                      return null;
                    }
                    retries.incrementAndGet();
                  }
                  return null;
                }));
      }
      halfway.await(120, TimeUnit.SECONDS);
      replicas.get(1).kill();
      for (Future<?> f : work) {
        f.get(300, TimeUnit.SECONDS);
      }

      assertThat(acked.size())
          .as("predictions acknowledged (retries: " + retries + ")")
          .isGreaterThan(PREDICTIONS * 9 / 10);
      try (HistoryStore store = HistoryStores.open(Postgres.URL)) {
        for (String id : acked) {
          assertThat(store.find(model, id)).as("acknowledged " + id).isPresent();
        }
        assertThat(store.count(model))
            .as("each id once, however often it was retried")
            .isLessThanOrEqualTo(PREDICTIONS);
        for (Map.Entry<String, String> o : outcomes.entrySet()) {
          assertThat(store.find(model, o.getKey()).orElseThrow().outcome()).isPresent();
        }
      }
      List<ChildServer> alive = List.of(replicas.get(0), replicas.get(2));
      String someOutcome = outcomes.keySet().iterator().next();
      List<JsonNode> qualities = new ArrayList<>();
      for (ChildServer r : alive) {
        JsonNode rec = get(http, r.uri("/models/" + model + "/predictions/" + someOutcome));
        assertThat(rec.get("outcome").asText()).isEqualTo(outcomes.get(someOutcome));
        qualities.add(get(http, r.uri("/models/" + model + "/quality")));
      }
      assertThat(qualities.get(0).get("labelled").asLong()).isEqualTo(outcomes.size());
      assertThat(qualities.get(1))
          .as("every replica computes the same quality")
          .isEqualTo(qualities.get(0));
    } finally {
      pool.shutdownNow();
      if (proxy != null) {
        proxy.destroy();
        proxy.waitFor(10, TimeUnit.SECONDS);
      }
      for (ChildServer r : replicas) {
        r.close();
      }
    }
  }

  private static HttpRequest post(URI u, String body) {
    return HttpRequest.newBuilder(u)
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static JsonNode get(HttpClient http, URI u) throws Exception {
    HttpResponse<byte[]> r =
        http.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return Json.mapper().readTree(r.body());
  }

  /** nginx binds its port before the first request; a refused connection means not yet. */
  private static void awaitProxy(HttpClient http, URI u) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        if (http.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }
}
