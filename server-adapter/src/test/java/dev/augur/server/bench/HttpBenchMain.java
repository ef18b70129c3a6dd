package dev.augur.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Augur;
import dev.augur.core.HistoryStore;
import dev.augur.core.Observation;
import dev.augur.core.Predictor;
import dev.augur.core.internal.Json;
import dev.augur.core.model.Batching;
import dev.augur.core.model.PredictorOptions;
import dev.augur.persistence.HistoryStores;
import dev.augur.server.AugurServer;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /models/titanic/predict} under wrk over loopback, side by side in one run: Augur with
 * its durable SQLite history, (a) a bare Undertow handler that parses the JSON and runs one DJL
 * forward pass per request with no database (the naive design's ceiling), and (b) one that parses
 * the JSON and answers a constant. Bounded: each run lasts {@code seconds}.
 *
 * <p>Usage: {@code bench/http.sh [seconds] [connections,...]} (default 15 s; 16 and 64).
 */
public final class HttpBenchMain {
  private HttpBenchMain() {}

  record Result(
      String target,
      int connections,
      double rps,
      String p50,
      String p99,
      long requests,
      long non2xx) {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    List<Integer> connections = new ArrayList<>();
    for (String c : (args.length > 1 ? args[1] : "16,64").split(",")) {
      connections.add(Integer.parseInt(c.trim()));
    }
    Path models = Path.of(args.length > 2 ? args[2] : "samples/models");
    Path dir = Files.createTempDirectory("augur-bench-http");
    Path version = models.resolve("titanic").resolve("1");
    JsonNode example =
        Json.mapper().readTree(version.resolve("model.json").toFile()).get("example");
    String body = "{\"observation\": " + Json.mapper().writeValueAsString(example) + "}";
    Path lua = dir.resolve("post.lua");
    Files.writeString(
        lua,
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = '"
            + body.replace("'", "\\'")
            + "'\n");

    HistoryStore store = HistoryStores.sqlite(dir.resolve("history.db"));
    Augur augur =
        // -Daugur.bench.history=false measures the same server without recording (not durable)
        "false".equals(System.getProperty("augur.bench.history"))
            ? Augur.builder().models(models).build()
            : Augur.builder().models(models).history(store).build();
    AugurServer server =
        AugurServer.builder(augur).port(0).accessLog(false).ownsAugur(true).build().start();

    Predictor naive =
        Predictor.load(version, PredictorOptions.builder().batching(Batching.OFF).build());
    Undertow a =
        bare(
            ex -> {
              Observation o =
                  Observation.of(
                      Json.toMap(Json.mapper().readTree(ex.getInputStream()).get("observation")));
              byte[] out = Json.mapper().writeValueAsBytes(naive.predict(o).fields());
              ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
              ex.getResponseSender().send(java.nio.ByteBuffer.wrap(out));
            });
    byte[] constant =
        "{\"label\":\"died\",\"probabilities\":{\"died\":0.9,\"survived\":0.1}}"
            .getBytes(StandardCharsets.UTF_8);
    Undertow b =
        bare(
            ex -> {
              Json.mapper().readTree(ex.getInputStream()).get("observation");
              ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
              ex.getResponseSender().send(java.nio.ByteBuffer.wrap(constant));
            });
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("(b) parse + constant", "http://127.0.0.1:" + port(b) + "/models/titanic/predict");
    urls.put(
        "(a) parse + DJL per request, no DB",
        "http://127.0.0.1:" + port(a) + "/models/titanic/predict");
    urls.put(
        "Augur, durable SQLite history",
        "http://127.0.0.1:" + server.port() + "/models/titanic/predict");

    List<Result> results = new ArrayList<>();
    long augur2xx = 0;
    long rowsBefore = 0;
    try {
      for (String url : urls.values()) {
        wrk(url, lua, 16, 3); // warm up every target the same way
      }
      rowsBefore = store.count("titanic");
      for (int c : connections) {
        for (Map.Entry<String, String> t : urls.entrySet()) {
          Result r = wrk(t.getValue(), lua, c, seconds);
          results.add(new Result(t.getKey(), c, r.rps, r.p50, r.p99, r.requests, r.non2xx));
          if (t.getKey().startsWith("Augur")) {
            augur2xx += r.requests - r.non2xx;
          }
          System.err.printf("%s c=%d: %.0f req/s%n", t.getKey(), c, r.rps);
        }
      }
    } finally {
      a.stop();
      b.stop();
      naive.close();
    }
    long rows = store.count("titanic") - rowsBefore;
    server.close();

    System.out.println();
    System.out.println(
        "| connections | target | requests/s | p50 | p99 | non-2xx | ratio to (a) | ratio to (b) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    // each round (one connection count) is compared with the baselines measured in that round
    for (int round = 0; round < connections.size(); round++) {
      List<Result> same = results.subList(round * urls.size(), (round + 1) * urls.size());
      double ra =
          same.stream().filter(r -> r.target.startsWith("(a)")).findFirst().orElseThrow().rps;
      double rb =
          same.stream().filter(r -> r.target.startsWith("(b)")).findFirst().orElseThrow().rps;
      for (Result r : same) {
        System.out.printf(
            "| %d | %s | %.0f | %s | %s | %d | %.2f | %.2f |%n",
            r.connections, r.target, r.rps, r.p50, r.p99, r.non2xx, r.rps / ra, r.rps / rb);
      }
    }
    System.out.printf(
        "%nAugur timed runs: %d history rows written, %d 2xx answers counted by wrk"
            + " (rows may exceed answers by at most the requests cut off when each run ends: %d)%n",
        rows, augur2xx, connections.stream().mapToInt(Integer::intValue).sum());
  }

  private static Undertow bare(HttpHandler h) {
    Undertow u =
        Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setWorkerThreads(320)
            .setHandler(new BlockingHandler(h))
            .build();
    u.start();
    return u;
  }

  private static int port(Undertow u) {
    return ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
  }

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern P50 = Pattern.compile("\\s50%\\s+(\\S+)");
  private static final Pattern P99 = Pattern.compile("\\s99%\\s+(\\S+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
  private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  private static Result wrk(String url, Path lua, int connections, int seconds) throws Exception {
    Process p =
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + seconds + "s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                lua.toString(),
                url)
            .redirectErrorStream(true)
            .start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.append(line).append('\n');
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + out);
    }
    String s = out.toString();
    return new Result(
        url,
        connections,
        Double.parseDouble(find(RPS, s, "0")),
        find(P50, s, "?"),
        find(P99, s, "?"),
        Long.parseLong(find(TOTAL, s, "0")),
        Long.parseLong(find(NON2XX, s, "0")));
  }

  private static String find(Pattern p, String s, String dflt) {
    Matcher m = p.matcher(s);
    return m.find() ? m.group(1) : dflt;
  }
}
