package dev.augur.server.bench;

import dev.augur.core.Augur;
import dev.augur.core.ShadowStats;
import dev.augur.core.model.ModelRegistry;
import dev.augur.persistence.HistoryStores;
import dev.augur.server.AugurServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a shadow version costs the answers: the same server (two versions of the sample Titanic
 * model, durable SQLite history) with and without version 2 shadowing version 1, under {@code c}
 * closed-loop clients over loopback, rounds alternating off, on without yielding to the answers (as
 * the shadow was first built) and on as it is. Prints p50 and p99 of the answers, throughput, and
 * what the shadow recorded, dropped and skipped. Usage: {@code ShadowBenchMain [seconds per round]
 * [rounds] [clients,...]} from the repository root (bench/shadow.sh).
 */
public final class ShadowBenchMain {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private ShadowBenchMain() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int[] clients =
        args.length > 2
            ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 4};
    Path dir = Files.createTempDirectory("augur-shadow-bench");
    Path models = dir.resolve("models");
    Path titanic = Path.of("samples/models/titanic/1");
    Path forest = Path.of("samples/models/titanic_forest/1");
    Path v1 = Files.createDirectories(models.resolve("titanic/1"));
    Files.copy(titanic.resolve("model.pt"), v1.resolve("model.pt"));
    Files.copy(titanic.resolve("model.json"), v1.resolve("model.json"));
    Path v2 = Files.createDirectories(models.resolve("titanic/2"));
    Files.copy(forest.resolve("model.onnx"), v2.resolve("model.onnx"));
    Files.writeString(
        v2.resolve("model.json"),
        Files.readString(forest.resolve("model.json"))
            .replace("\"version\": \"1\"", "\"version\": \"2\"")
            .replace("\"name\": \"titanic_forest\"", "\"name\": \"titanic\""));
    String obs =
        JSON.writeValueAsString(
            Map.of("gender", "female", "age", 29, "class", "1st", "embarked", "S", "fare", 211.3));
    System.out.println(
        "| clients | shadow | answers/s | p50 | p99 | shadow recorded | dropped | skipped |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    AtomicLong ids = new AtomicLong();
    for (int c : clients) {
      for (int r = -1; r < rounds; r++) {
        for (String mode : new String[] {"off", "on, never yields", "on"}) {
          boolean shadow = !mode.equals("off");
          Augur.Builder b =
              Augur.builder()
                  .models(ModelRegistry.builder(models).defaultVersion("titanic", "1"))
                  .history(
                      HistoryStores.sqlite(
                          dir.resolve("history-" + ids.incrementAndGet() + ".db")));
          if (shadow) {
            b.shadow("titanic", "2");
          }
          if (mode.equals("on, never yields")) {
            // the shadow as it was before it yielded to answers in flight
            b.shadowYieldAbove(Integer.MAX_VALUE);
          }
          Augur augur = b.build();
          try (AugurServer server =
              AugurServer.builder(augur).port(0).ownsAugur(true).accessLog(false).build().start()) {
            // the first round of each pair is a warm-up, not printed
            int secs = r < 0 ? Math.max(3, seconds / 2) : seconds;
            long[] lat = load(server.port(), c, secs, obs, ids);
            ShadowStats s = augur.shadowStats("titanic");
            if (r >= 0) {
              System.out.printf(
                  "| %d | %s | %.0f | %.2f ms | %.2f ms | %d | %d | %d |%n",
                  c,
                  mode,
                  lat.length / (double) secs,
                  lat[lat.length / 2] / 1e6,
                  lat[(int) (lat.length * 0.99)] / 1e6,
                  s.recorded(),
                  s.dropped(),
                  s.skipped());
            }
          }
        }
      }
    }
  }

  /** {@code clients} threads posting predictions for {@code seconds}; sorted latencies in ns. */
  private static long[] load(int port, int clients, int seconds, String obs, AtomicLong ids)
      throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/models/titanic/predict");
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> all = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      long[][] mine = {new long[1 << 16]};
      int[] n = {0};
      Thread th =
          new Thread(
              () -> {
                HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                try {
                  while (System.nanoTime() < end) {
                    String body =
                        "{\"id\": \"b-"
                            + ids.incrementAndGet()
                            + "\", \"observation\": "
                            + obs
                            + "}";
                    long t0 = System.nanoTime();
                    HttpResponse<String> r =
                        http.send(
                            HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    long dt = System.nanoTime() - t0;
                    if (r.statusCode() != 200) {
                      throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                    if (n[0] == mine[0].length) {
                      mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                    }
                    mine[0][n[0]++] = dt;
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                synchronized (all) {
                  all.add(Arrays.copyOf(mine[0], n[0]));
                }
              });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      th.join();
    }
    long[] out = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    if (out.length == 0) {
      throw new IllegalStateException("no answers");
    }
    return out;
  }
}
