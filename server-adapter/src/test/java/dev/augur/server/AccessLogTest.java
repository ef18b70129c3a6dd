package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access log: formats, what a line carries, escaping, and that it never holds a request. */
class AccessLogTest {
  static final String PREDICT = "/models/tab_binary_softmax/predict";
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @TempDir Path dir;

  @Test
  void jsonLinesCarryModelVersionStatusLatencyAndTraceId() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Running s =
        Running.start(dir, b -> b.accessLog(AccessLogFormat.JSON).accessLogOutput(out))) {
      Running.Response r =
          s.post(
              PREDICT,
              "{\"id\": \"a-1\", \"observation\": " + ServerApiTest.PASSENGER + "}",
              "traceparent",
              TRACEPARENT);
      assertThat(r.status()).isEqualTo(200);
      assertThat(s.get("/models/nope").status()).isEqualTo(404);

      List<String> lines = awaitLines(out, 2);
      JsonNode predict = Json.mapper().readTree(lines.get(0));
      assertThat(predict.get("loggerName").asText()).isEqualTo("dev.augur.server.access");
      assertThat(predict.get("level").asText()).isEqualTo("INFO");
      assertThat(predict.get("timestamp").asLong())
          .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
      JsonNode mdc = predict.get("mdc");
      assertThat(mdc.get("remote").asText()).isEqualTo("127.0.0.1");
      assertThat(mdc.get("method").asText()).isEqualTo("POST");
      assertThat(mdc.get("path").asText()).isEqualTo(PREDICT);
      assertThat(mdc.get("status").asText()).isEqualTo("200");
      assertThat(Double.parseDouble(mdc.get("latency_ms").asText())).isPositive();
      assertThat(Long.parseLong(mdc.get("bytes").asText())).isEqualTo(r.bytes().length);
      assertThat(mdc.get("model").asText()).isEqualTo("tab_binary_softmax");
      assertThat(mdc.get("version").asText()).isEqualTo("1");
      assertThat(mdc.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(mdc.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
      assertThat(mdc.get("request_id").asText())
          .isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
      assertThat(predict.get("formattedMessage").asText())
          .matches("127\\.0\\.0\\.1 POST " + PREDICT + " 200 \\d+\\.\\d{3}ms");

      JsonNode missing = Json.mapper().readTree(lines.get(1)).get("mdc");
      assertThat(missing.get("status").asText()).isEqualTo("404");
      assertThat(missing.has("model")).isFalse();
      assertThat(missing.has("trace_id")).isFalse();
    }
  }

  @Test
  void textLinesByDefault() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Running s = Running.start(dir, b -> b.accessLog(true).accessLogOutput(out))) {
      assertThat(s.post(PREDICT, ServerApiTest.PASSENGER, "traceparent", TRACEPARENT).status())
          .isEqualTo(200);
      assertThat(awaitLines(out, 1).get(0))
          .matches(
              "[\\d:]{8}\\.\\d{3} INFO  dev\\.augur\\.server\\.access \\[[0-9a-f]{32}\\] -"
                  + " 127\\.0\\.0\\.1 POST "
                  + PREDICT
                  + " 200 \\d+\\.\\d{3}ms \\d+B tab_binary_softmax@1"
                  + " trace_id=4bf92f3577b34da6a3ce929d0e0e4736");
    }
  }

  @Test
  void aPathCannotForgeALine() throws Exception {
    for (AccessLogFormat format : List.of(AccessLogFormat.TEXT, AccessLogFormat.JSON)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (Running s =
          Running.start(
              dir.resolve(format.name()), b -> b.accessLog(format).accessLogOutput(out))) {
        assertThat(
                s.get(
                        "/x%0D%0A2026-01-01T00:00:00.000Z%20forged%22%E2%80%A8end",
                        "traceparent", "zz")
                    .status())
            .isEqualTo(404);
        assertThat(s.get("/after").status()).isEqualTo(404);
        List<String> lines = awaitLines(out, 2);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).doesNotContain("\r").doesNotContain("\u2028");
        if (format == AccessLogFormat.JSON) {
          assertThat(Json.mapper().readTree(lines.get(0)).get("mdc").get("path").asText())
              .isEqualTo("/x\r\n2026-01-01T00:00:00.000Z forged\"\u2028end");
        } else {
          assertThat(lines.get(0))
              .contains(" GET /x\\r\\n2026-01-01T00:00:00.000Z%20forged\\\"\\x2028end 404 ");
        }
        assertThat(lines.get(1)).contains("/after");
      }
    }
  }

  @Test
  void aStuckOutputNeverHoldsARequest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    OutputStream stuck =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            written.write(b, off, len);
          }
        };
    try (Running s =
        Running.start(dir, b -> b.accessLog(AccessLogFormat.TEXT).accessLogOutput(stuck))) {
      for (int i = 0; i < 50; i++) {
        long t0 = System.nanoTime();
        assertThat(s.post(PREDICT, ServerApiTest.PASSENGER).status()).isEqualTo(200);
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
      }
      assertThat(written.size()).isZero();
      release.countDown();
      assertThat(awaitLines(written, 50)).hasSize(50);
    }
  }

  @Test
  void offWritesNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Running s =
        Running.start(dir, b -> b.accessLog(AccessLogFormat.OFF).accessLogOutput(out))) {
      assertThat(s.post(PREDICT, ServerApiTest.PASSENGER).status()).isEqualTo(200);
    }
    // close() has written whatever was queued
    assertThat(out.size()).isZero();
  }

  @Test
  void parsesTheConfiguredFormat() {
    assertThat(AccessLogFormat.parse("JSON")).contains(AccessLogFormat.JSON);
    assertThat(AccessLogFormat.parse(" text ")).contains(AccessLogFormat.TEXT);
    assertThat(AccessLogFormat.parse("off")).contains(AccessLogFormat.OFF);
    assertThat(AccessLogFormat.parse("xml")).isEmpty();
  }

  /** The complete lines written so far, once there are at least {@code n} (10 s at most). */
  static List<String> awaitLines(ByteArrayOutputStream out, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      String text = out.toString(StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>();
      int start = 0;
      for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
        lines.add(text.substring(start, i));
        start = i + 1;
      }
      if (lines.size() >= n || System.nanoTime() > deadline) {
        return lines;
      }
      Thread.sleep(5);
    }
  }
}
