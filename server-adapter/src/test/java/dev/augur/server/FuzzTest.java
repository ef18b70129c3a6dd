package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20,000 generated hostile requests ({@link HostileRequests}: JSON structure mutations, V2 tensors,
 * query parameters, headers, sizes and encodings across every route) and raw bytes that are barely
 * HTTP: not one 5xx other than 503, the server still answers a prediction within a second, and the
 * heap is back near where it started. Seeded ({@code -Daugur.fuzz.seed}), so a failure reproduces;
 * {@code bench/fuzz.sh N} runs the same generator for long soaks against the standalone server.
 */
class FuzzTest {
  static final long SEED = Long.getLong("augur.fuzz.seed", 20261125L);
  static final int REQUESTS = Integer.getInteger("augur.fuzz.requests", 20_000);

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

  @Test
  void noInputMakesA5xxAndTheServerKeepsServing() throws Exception {
    Fuzzer fuzzer = new Fuzzer(s.server.port());
    Runtime rt = Runtime.getRuntime();
    fuzzer.run(SEED + 1, 500, 4); // warm-up: the models' first batches, the charts' fonts
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    Fuzzer.Result r = fuzzer.run(SEED, REQUESTS, 8);
    System.out.println("fuzz: " + r.summary());
    System.out.println(
        "fuzz ms by kind: "
            + Fuzzer.NANOS_BY_KIND.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().sum() / 1_000_000)
                .toList());
    Random seeds = new Random(SEED);
    for (int i = 0; i < 200; i++) {
      rawGarbage(new Random(seeds.nextLong()));
    }
    assertThat(r.failures()).as(r.summary()).isEmpty();
    assertThat(r.statuses().keySet())
        .as("the generator reaches many outcomes: " + r.statuses())
        .contains(200, 400, 404, 405, 413, 422);
    assertThat(r.dropped())
        .as("connections closed without an answer: " + r.summary())
        .isLessThan(REQUESTS / 100);
    long t0 = System.nanoTime();
    assertThat(s.post("/models/tab_binary_softmax/predict", ServerApiTest.PASSENGER).status())
        .isEqualTo(200);
    assertThat((System.nanoTime() - t0) / 1_000_000)
        .as("ms for a prediction after")
        .isLessThan(1000);
    assertThat(s.get("/health/ready").status()).isEqualTo(200);
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();
    assertThat(heapAfter - heapBefore)
        .as("heap after GC grew from " + heapBefore + " to " + heapAfter)
        .isLessThan(128L << 20);
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
