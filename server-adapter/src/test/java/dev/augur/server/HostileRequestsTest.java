package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.server.Running.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that declare more than they send: no allocation follows a declared number (V2 shapes,
 * image headers, Content-Length), bodies in flight are bounded, and a body that does not arrive
 * gets 408.
 */
class HostileRequestsTest {
  static final String PREDICT = "/models/tab_binary_softmax/predict";
  static final String PASSENGER = ServerApiTest.PASSENGER;

  @TempDir Path dir;

  @Test
  void v2ShapesAreCheckedAgainstTheFeatureBeforeAnythingIsBuilt() {
    try (Running s = Running.start(dir, b -> {})) {
      for (String shape : List.of("[1,2147483647,0]", "[1,0,5]", "[0]", "[2147483647]", "[1,1]")) {
        Response r =
            s.post(
                "/v2/models/tab_binary_softmax/infer",
                "{\"inputs\":[{\"name\":\"Age\",\"shape\":"
                    + shape
                    + ",\"datatype\":\"FP64\",\"data\":[]}]}");
        assertThat(r.status()).as(shape + ": " + r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).as(shape).startsWith("Age.shape");
      }
      Response image =
          s.post(
              "/v2/models/image_digits/infer",
              "{\"inputs\":[{\"name\":\"Image\",\"shape\":[1,28,2147483647],\"data\":[]}]}");
      assertThat(image.status()).isEqualTo(400);
      assertThat(image.json().get("error").asText()).contains("Image.shape").contains("28");
      assertThat(s.get("/health/live").status()).isEqualTo(200);
    }
  }

  /** A grey PNG whose header declares {@code side}×{@code side}, with all its (zero) pixels. */
  static byte[] pngBomb(int side) throws IOException {
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    Deflater z = new Deflater(Deflater.BEST_COMPRESSION);
    byte[] row = new byte[side + 1];
    byte[] out = new byte[64 * 1024];
    for (int y = 0; y < side; y++) {
      z.setInput(row);
      while (!z.needsInput()) {
        idat.write(out, 0, z.deflate(out));
      }
    }
    z.finish();
    while (!z.finished()) {
      idat.write(out, 0, z.deflate(out));
    }
    z.end();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(
        png,
        "IHDR",
        ByteBuffer.allocate(13).putInt(side).putInt(side).put(new byte[] {8, 0, 0, 0, 0}).array());
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data)
      throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    png.write(ByteBuffer.allocate(4).putInt(data.length).array());
    png.write(t);
    png.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void anImageIsRefusedFromItsHeaderBeforeItIsDecoded() throws IOException {
    String bomb = Base64.getEncoder().encodeToString(pngBomb(6000));
    try (Running s = Running.start(dir, b -> {})) {
      Response r =
          s.post(
              "/models/image_digits/predict", "{\"observation\": {\"Image\": \"" + bomb + "\"}}");
      assertThat(r.status()).as(r.body()).isEqualTo(422);
      assertThat(r.json().get("detail").asText())
          .contains("Image")
          .contains("6000x6000")
          .contains("4096x4096");
    }
  }

  private static Socket slowPost(int port, String path, long declared, String first)
      throws IOException {
    Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
    raw.setSoTimeout(20_000);
    OutputStream out = raw.getOutputStream();
    out.write(
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + declared
                + "\r\n\r\n"
                + first)
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return raw;
  }

  private static String answer(Socket raw) throws IOException {
    InputStream in = raw.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    try {
      while ((n = in.read(buf)) >= 0) {
        got.write(buf, 0, n);
        if (got.toString(StandardCharsets.UTF_8).contains("}")) {
          break;
        }
      }
    } catch (java.net.SocketException e) {
      // closed after the answer
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  private static void awaitAtLeast(LongSupplier value, long n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (value.getAsLong() < n) {
      assertThat(System.nanoTime())
          .as("waiting for %d, at %d", n, value.getAsLong())
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void aBodyThatDoesNotArriveInTimeGets408() throws IOException {
    try (Running s = Running.start(dir, b -> b.bodyTimeout(Duration.ofMillis(700)))) {
      long t0 = System.nanoTime();
      try (Socket raw = slowPost(s.server.port(), PREDICT, 1000, "{")) {
        String answer = answer(raw);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive in time");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(s.post(PREDICT, PASSENGER).status()).isEqualTo(200);
    }
  }

  @Test
  void slowBodiesHoldNeitherWorkersNorTheMemoryTheyDeclare() throws IOException {
    try (Running s = Running.start(dir, b -> b.workerThreads(4))) {
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          slow.add(slowPost(s.server.port(), PREDICT, 16L * 1024 * 1024, "{\"observation\""));
        }
        // what they sent is held, not what they declared
        awaitAtLeast(s.server::bodyBytesInFlight, 40L * 14);
        assertThat(s.server.bodyBytesInFlight()).isLessThan(64 * 1024);
        // with 4 workers and 40 uploads stalled, the server still answers
        assertThat(s.get("/health/ready").status()).isEqualTo(200);
        assertThat(s.post(PREDICT, PASSENGER).status()).isEqualTo(200);
      } finally {
        for (Socket x : slow) {
          x.close();
        }
      }
    }
  }

  @Test
  void bodiesBeyondTheBytesInFlightAre503WithRetryAfter() throws IOException {
    try (Running s = Running.start(dir, b -> b.bodiesInFlight(64 * 1024))) {
      String half = "{\"observation\": {\"pad\": \"" + "x".repeat(40 * 1024);
      try (Socket first = slowPost(s.server.port(), PREDICT, 100 * 1024, half)) {
        awaitAtLeast(s.server::bodyBytesInFlight, half.length());
        try (Socket second = slowPost(s.server.port(), PREDICT, 100 * 1024, half)) {
          String answer = answer(second);
          assertThat(answer).startsWith("HTTP/1.1 503").contains("Retry-After");
        }
      }
      // released with the requests
      awaitAtLeast(() -> -s.server.bodyBytesInFlight(), 0);
      assertThat(s.post(PREDICT, PASSENGER).status()).isEqualTo(200);
    }
  }

  @Test
  void unknownFieldsAreCappedPerObservationNamingTheLargest() {
    try (Running s = Running.start(dir, b -> {})) {
      String pad = "x".repeat(3 * 1024 * 1024);
      Response big =
          s.post(
              PREDICT,
              "{\"observation\": {\"Sex\": \"male\", \"note\": \"hi\", \"pad\": \"" + pad + "\"}}");
      assertThat(big.status()).as(big.body()).isEqualTo(422);
      assertThat(big.json().at("/errors/0/field").asText()).isEqualTo("observation.pad");
      assertThat(big.json().at("/errors/0/message").asText()).contains("64 KiB");
      Response batch =
          s.post(
              PREDICT,
              "{\"instances\": ["
                  + PASSENGER
                  + ", {\"Sex\": \"male\", \"junk\": \""
                  + "y".repeat(70_000)
                  + "\"}]}");
      assertThat(batch.status()).isEqualTo(422);
      assertThat(batch.json().at("/errors/0/field").asText()).isEqualTo("instances[1].junk");
      Response mlflow =
          s.post(
              "/models/tab_binary_softmax/invocations",
              "{\"dataframe_records\": [{\"Sex\": \"male\", \"junk\": \""
                  + "y".repeat(70_000)
                  + "\"}]}");
      assertThat(mlflow.status()).isEqualTo(422);
      // a few small extras are kept, as before
      Response small =
          s.post(
              PREDICT,
              "{\"observation\": " + PASSENGER.replace("}", ", \"note\": \"a small note\"}") + "}");
      assertThat(small.status()).as(small.body()).isEqualTo(200);
    }
    try (Running s = Running.start(dir.resolve("none"), b -> b.extraFieldBytes(0))) {
      Response any = s.post(PREDICT, "{\"observation\": {\"Sex\": \"male\", \"n\": 1}}");
      assertThat(any.status()).isEqualTo(422);
      assertThat(any.json().at("/errors/0/field").asText()).isEqualTo("observation.n");
    }
  }

  @Test
  void hugeWindowsAndChartSizesAre400NamingTheParameter() {
    try (Running s = Running.start(dir, b -> {})) {
      s.post(PREDICT, PASSENGER);
      for (String w : List.of("P99999999999D", "999999999d", "PT9999999999999H")) {
        Response r = s.get("/models/tab_binary_softmax/quality?window=" + w);
        assertThat(r.status()).as(w + ": " + r.body()).isEqualTo(400);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("window");
      }
      assertThat(s.get("/models/tab_binary_softmax/quality?window=P3650D").status()).isEqualTo(200);
      Response wide = s.get("/models/tab_binary_softmax/charts/volume.png?width=4001");
      assertThat(wide.status()).isEqualTo(400);
      assertThat(wide.json().at("/errors/0/field").asText()).isEqualTo("width");
      Response tall = s.get("/models/tab_binary_softmax/charts/volume.png?height=100000");
      assertThat(tall.status()).isEqualTo(400);
      assertThat(tall.json().at("/errors/0/field").asText()).isEqualTo("height");
    }
  }

  @Test
  void csvCellsThatASpreadsheetWouldRunAreNeutralised() {
    try (Running s = Running.start(dir, b -> {})) {
      for (String id : List.of("=1+2", "+cmd", "-2+3", "@SUM(A1)", "plain-1")) {
        String body = "{\"id\": \"" + id + "\", \"observation\": " + PASSENGER + "}";
        assertThat(s.post(PREDICT, body).status()).as(id).isEqualTo(200);
      }
      String csv = s.get("/models/tab_binary_softmax/predictions.csv").body();
      assertThat(csv)
          .contains("\r\n'=1+2,")
          .contains("\r\n'+cmd,")
          .contains("\r\n'-2+3,")
          .contains("\r\n'@SUM(A1),")
          .contains("\r\nplain-1,");
      assertThat(csv).doesNotContain("\r\n=1+2");
    }
  }

  @Test
  void aFailureAnswersOnlyAnIncidentIdThatTheLogCarriesWithTheDetail() throws Exception {
    ch.qos.logback.classic.Logger problems =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Problems.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
        new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    problems.addAppender(log);
    try (Running s = Running.start(dir, b -> {})) {
      // a package broken on disk: its reload fails with a message full of file paths
      java.nio.file.Files.writeString(
          dir.resolve("models/tab_multiclass_none/1/model.json"), "{\"name\": 42");
      Response r = s.post("/models/tab_multiclass_none/reload", "");
      assertThat(r.status()).isEqualTo(500);
      com.fasterxml.jackson.databind.JsonNode body = r.json();
      List<String> keys = new ArrayList<>();
      body.fieldNames().forEachRemaining(keys::add);
      assertThat(keys).containsExactly("type", "title", "status", "detail", "incident");
      assertThat(body.get("detail").asText()).isEqualTo("internal error");
      assertThat(r.body()).doesNotContain(dir.toString()).doesNotContain("model.json");
      String incident = body.get("incident").asText();
      assertThat(incident).matches("[0-9a-f]{12}");
      assertThat(log.list)
          .anySatisfy(
              e -> {
                assertThat(e.getFormattedMessage()).contains(incident).contains("model.json");
              });
      // the V2 form carries the id too
      assertThat(s.get("/health/live").status()).isEqualTo(200);
    } finally {
      problems.detachAppender(log);
    }
  }
}
