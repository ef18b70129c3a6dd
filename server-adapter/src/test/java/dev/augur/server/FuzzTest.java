package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.server.Running.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of generated malformed requests — bodies, headers, paths, raw bytes — and not one 5xx;
 * the server still serves afterwards. Seeded, so a failure reproduces.
 */
class FuzzTest {
  static final long SEED = Long.getLong("augur.fuzz.seed", 20261125L);
  static final int REQUESTS = Integer.getInteger("augur.fuzz.requests", 3000);

  @TempDir static Path dir;
  static Running s;

  @BeforeAll
  static void start() {
    s = Running.start(dir, b -> b.maxBodyBytes(256 * 1024));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static final String[] PATHS = {
    "/models/tab_binary_softmax/predict",
    "/models/tab_multiclass_none/predict",
    "/models/regression_scaled/predict",
    "/models/series_relative/predict",
    "/models/image_digits/predict",
    "/predict",
    "/update",
    "/history",
    "/models/tab_binary_softmax/predictions/%s/outcome",
    "/models/tab_binary_softmax/predictions",
    "/models/tab_binary_softmax/predictions/%s",
    "/models/tab_binary_softmax/quality",
    "/models/tab_binary_softmax/charts/%s",
    "/models/series_relative/forecast",
    "/plot",
    "/sources/stocks/keys/%s",
    "/v2/models/tab_binary_softmax/infer",
    "/v2/models/%s",
    "/models/%s/invocations",
    "/invocations",
    "/models/%s",
    "/openapi.json",
    "/%s",
  };

  static final String[] FIELDS = {
    "Age",
    "Fare",
    "Sex",
    "Embarked",
    "Pclass",
    "Alone",
    "Boarded",
    "Image",
    "Closes",
    "bill",
    "flipper",
    "year",
    "date",
    "origin",
    "distance",
    "id",
    "observation",
    "instances",
    "outcome",
    "true_class",
    "kind",
    "inputs",
    "dataframe_split",
    "columns",
    "data",
    "shape",
    "name",
    "history",
    ""
  };

  @Test
  void noInputMakesA5xxAndTheServerKeepsServing() throws Exception {
    Random seeds = new Random(SEED);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> failures = new ArrayList<>();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        long seed = seeds.nextLong();
        fs.add(
            pool.submit(
                () -> {
                  Random r = new Random(seed);
                  HttpRequest.Builder req = request(r);
                  Response res = s.send(req);
                  statuses
                      .computeIfAbsent(res.status(), k -> new AtomicInteger())
                      .incrementAndGet();
                  if (res.status() >= 500
                      || res.body().contains("Exception")
                      || res.body().contains("\tat ")) {
                    synchronized (failures) {
                      failures.add("seed " + seed + " → " + res.status() + " " + res.body());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      for (int i = 0; i < 200; i++) {
        rawGarbage(new Random(seeds.nextLong()));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(failures).as("responses per status: " + statuses).isEmpty();
    assertThat(statuses.keySet())
        .as("the generator reaches several outcomes")
        .hasSizeGreaterThan(4);
    assertThat(s.get("/health/ready").status()).isEqualTo(200);
    assertThat(s.post("/models/tab_binary_softmax/predict", ServerApiTest.PASSENGER).status())
        .isEqualTo(200);
  }

  private static HttpRequest.Builder request(Random r) {
    String path = String.format(PATHS[r.nextInt(PATHS.length)], token(r));
    if (r.nextInt(4) == 0) {
      path += "?" + query(r);
    }
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(s.uri(path));
    } catch (IllegalArgumentException e) {
      b = HttpRequest.newBuilder(s.uri("/models/x%25y"));
    }
    String method =
        new String[] {"GET", "POST", "PUT", "POST", "POST", "DELETE", "PATCH"}[r.nextInt(7)];
    String body = json(r, 0);
    if (r.nextInt(5) == 0) {
      body = body.substring(0, r.nextInt(body.length() + 1));
    }
    b.method(method, HttpRequest.BodyPublishers.ofString(body));
    String type =
        new String[] {
              "application/json",
              "application/json",
              "text/plain",
              "application/json; charset=latin1",
              "multipart/form-data; boundary=x",
              "application/problem+json",
              "\u0001"
            }
            [r.nextInt(7)];
    try {
      b.header("Content-Type", type);
    } catch (IllegalArgumentException e) {
      // an illegal header value cannot even be sent
    }
    if (r.nextBoolean()) {
      b.header(
          "Accept",
          new String[] {"*/*", "text/html", "image/svg+xml", "garbage/", "application/json;q=x"}
              [r.nextInt(5)]);
    }
    if (r.nextInt(6) == 0) {
      try {
        b.header("Authorization", "Bearer " + token(r));
      } catch (IllegalArgumentException e) {
        // not sendable
      }
    }
    return b;
  }

  private static String query(Random r) {
    StringBuilder q = new StringBuilder();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      String[] keys = {
        "n", "before", "window", "source", "key", "format", "width", "height", "bucket", "metric",
        "id", "version", "Age", "Sex"
      };
      q.append(i == 0 ? "" : "&")
          .append(keys[r.nextInt(keys.length)])
          .append('=')
          .append(java.net.URLEncoder.encode(token(r), StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  private static String token(Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> "";
      case 1 -> "-1";
      case 2 -> "99999999999999999999";
      case 3 -> "volume.png";
      case 4 -> "..%2F..%2Fetc%2Fpasswd";
      case 5 -> "ünïcødé\u2028";
      case 6 -> "tab_binary_softmax";
      case 7 -> "NaN";
      case 8 -> "x".repeat(r.nextInt(300));
      default -> Long.toString(r.nextLong(), 36);
    };
  }

  private static String json(Random r, int depth) {
    int pick = depth > 4 ? r.nextInt(6) : r.nextInt(10);
    return switch (pick) {
      case 0 -> "null";
      case 1 -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 5));
      case 2 -> "\"" + token(r).replace("\"", "") + "\"";
      case 3 -> r.nextBoolean() ? "true" : "false";
      case 4 -> "1e999";
      case 5 -> "[" + "[".repeat(r.nextInt(3) == 0 ? 3000 : 2) + "]".repeat(2) + "]";
      case 6, 7, 8 -> {
        StringBuilder o = new StringBuilder("{");
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
          o.append(i == 0 ? "" : ",")
              .append('"')
              .append(FIELDS[r.nextInt(FIELDS.length)])
              .append("\":")
              .append(json(r, depth + 1));
        }
        yield o.append('}').toString();
      }
      default -> {
        StringBuilder a = new StringBuilder("[");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          a.append(i == 0 ? "" : ",").append(json(r, depth + 1));
        }
        yield a.append(']').toString();
      }
    };
  }

  /** Raw bytes that are barely HTTP: the server answers 4xx or closes, and never stalls. */
  private static void rawGarbage(Random r) throws Exception {
    try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.server.port())) {
      raw.setSoTimeout(10_000);
      OutputStream out = raw.getOutputStream();
      String[] starts = {
        "GET / HTTP/1.1\r\nHost: x\r\n",
        "POST /predict HTTP/1.1\r\nContent-Length: -5\r\n",
        "\0\0\0",
        "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\n",
        "POST /predict HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
        "BREW /pot HTCPCP/1.0\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n" + "X-A: b\r\n".repeat(20_000)
      };
      byte[] junk = new byte[r.nextInt(64)];
      r.nextBytes(junk);
      out.write(starts[r.nextInt(starts.length)].getBytes(StandardCharsets.ISO_8859_1));
      out.write(junk);
      out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      raw.shutdownOutput();
      InputStream in = raw.getInputStream();
      byte[] head = in.readNBytes(12);
      if (head.length == 12) {
        int status = Integer.parseInt(new String(head, 9, 3, StandardCharsets.ISO_8859_1));
        assertThat(status).as("raw request answered").isLessThan(500);
      }
    } catch (java.net.SocketException e) {
      // the server may reset a connection that sent garbage; that is fine
    }
  }
}
