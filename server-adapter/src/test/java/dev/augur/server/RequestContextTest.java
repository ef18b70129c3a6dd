package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.Augur;
import dev.augur.core.testing.Fixtures;
import dev.augur.server.Running.Response;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Request ids, W3C trace context and the MDC of the log lines a request writes. */
class RequestContextTest {
  static final String TITANIC = ServerApiTest.TITANIC;
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN = "00f067aa0ba902b7";

  @TempDir static Path dir;
  static Running s;
  static final Captured captured = new Captured();
  static final java.io.ByteArrayOutputStream accessLog = new java.io.ByteArrayOutputStream();

  /** Keeps each event with a copy of its MDC, taken on the thread that logged it. */
  static final class Captured extends AppenderBase<ILoggingEvent> {
    record Event(String logger, String message, Map<String, String> mdc) {}

    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent e) {
      events.add(
          new Event(
              e.getLoggerName(), e.getFormattedMessage(), new HashMap<>(e.getMDCPropertyMap())));
    }

    List<Event> withRequestId(String id) {
      return events.stream().filter(e -> id.equals(e.mdc().get("request_id"))).toList();
    }
  }

  @BeforeAll
  static void start() {
    s = Running.start(dir, b -> b.accessLog(AccessLogFormat.JSON).accessLogOutput(accessLog));
    captured.start();
    root().addAppender(captured);
    ((Logger) LoggerFactory.getLogger(Augur.class)).setLevel(Level.DEBUG);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(Augur.class)).setLevel(null);
    root().detachAppender(captured);
    s.close();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Test
  void everyAnswerCarriesARequestIdAndAUsableOneFromTheClientIsKept() {
    List<String> ids = new ArrayList<>();
    for (Response r :
        List.of(
            s.get("/health/live"),
            s.get("/models"),
            s.get("/no/such/route"),
            s.post("/models/" + TITANIC + "/predict", "{\"observation\": {\"Age\": \"old\"}}"),
            s.post("/models/" + TITANIC + "/predict", "{oops"))) {
      String id = r.headers().firstValue("X-Request-Id").orElseThrow();
      assertThat(id).matches("[0-9a-f]{32}");
      ids.add(id);
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(
            s.get("/models", "X-Request-Id", "client-42.a:b/c")
                .headers()
                .firstValue("X-Request-Id"))
        .hasValue("client-42.a:b/c");
    // not usable: spaces or quotes (log injection), or too long; a new one is given instead
    for (String bad : List.of("two words", "a\"b", "x".repeat(129))) {
      assertThat(s.get("/models", "X-Request-Id", bad).headers().firstValue("X-Request-Id"))
          .hasValueSatisfying(v -> assertThat(v).matches("[0-9a-f]{32}"));
    }
  }

  @Test
  void theLogLinesOfARequestCarryItsIdTraceModelVersionStatusAndLatency() throws Exception {
    String id = "req-" + System.nanoTime();
    Response r =
        s.post(
            "/models/" + TITANIC + "/predict",
            "{\"observation\": " + ServerApiTest.PASSENGER + "}",
            "X-Request-Id",
            id,
            "traceparent",
            "00-" + TRACE + "-" + SPAN + "-01");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Request-Id")).hasValue(id);
    Captured.Event access = accessLine(id);
    assertThat(access.mdc())
        .containsEntry("request_id", id)
        .containsEntry("trace_id", TRACE)
        .containsEntry("span_id", SPAN)
        .containsEntry("model", TITANIC)
        .containsEntry("version", "1")
        .containsEntry("status", "200")
        .containsKey("latency_ms");
    assertThat(Double.parseDouble(access.mdc().get("latency_ms"))).isNotNegative();
    // a line the prediction itself wrote, on the worker thread
    assertThat(captured.withRequestId(id))
        .anySatisfy(
            e -> {
              assertThat(e.logger()).isEqualTo(Augur.class.getName());
              assertThat(e.message()).startsWith("predicted");
              assertThat(e.mdc()).containsEntry("trace_id", TRACE).containsEntry("model", TITANIC);
            });
  }

  @Test
  void anInvalidTraceparentIsIgnoredAndTheMdcIsClearedBetweenRequests() throws Exception {
    for (String bad :
        List.of(
            "ff-" + TRACE + "-" + SPAN + "-01",
            "00-" + "0".repeat(32) + "-" + SPAN + "-01",
            "00-" + TRACE + "-" + "0".repeat(16) + "-01",
            "00-" + TRACE + "-" + SPAN + "-01-extra",
            "00-" + TRACE.toUpperCase() + "-" + SPAN + "-01",
            "garbage")) {
      String id = "bad-" + System.nanoTime();
      assertThat(s.get("/models/" + TITANIC, "X-Request-Id", id, "traceparent", bad).status())
          .isEqualTo(200);
      assertThat(accessLine(id).mdc()).doesNotContainKeys("trace_id", "span_id");
    }
    // a later version may add fields
    String id = "future-" + System.nanoTime();
    s.get("/models", "X-Request-Id", id, "traceparent", "01-" + TRACE + "-" + SPAN + "-01-ab");
    assertThat(accessLine(id).mdc()).containsEntry("trace_id", TRACE);
    // nothing of a request stays in the MDC of the worker thread that served it
    String plain = "plain-" + System.nanoTime();
    s.get("/sources", "X-Request-Id", plain);
    assertThat(accessLine(plain).mdc()).doesNotContainKeys("trace_id", "model", "version");
  }

  /** The access log line of a request (JSON: its fields are in "mdc", as in the JSON logs). */
  private static Captured.Event accessLine(String id) throws Exception {
    // the access log line is written when the exchange completes, just after the answer is sent
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (String line : accessLog.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("\"" + id + "\"")) {
          JsonNode l = Json.mapper().readTree(line);
          Map<String, String> mdc = new HashMap<>();
          l.get("mdc").fields().forEachRemaining(f -> mdc.put(f.getKey(), f.getValue().asText()));
          return new Captured.Event(
              l.get("loggerName").asText(), l.get("formattedMessage").asText(), mdc);
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no access log line for request " + id);
  }

  /** The standalone server with AUGUR_LOG_FORMAT=json writes one JSON object per line. */
  @Test
  void jsonLogsCarryTheRequestFieldsOnEachLine(@TempDir Path tmp) throws Exception {
    Path models = Fixtures.repositoryOf(tmp.resolve("models"), TITANIC);
    try (ChildServer c =
        ChildServer.start(
            tmp.resolve("server.log"),
            Map.of("AUGUR_LOG_FORMAT", "json", "AUGUR_DATA_DIR", tmp.resolve("data").toString()),
            "--host",
            "127.0.0.1",
            "--models",
            models.toString())) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(c.uri("/models/" + TITANIC + "/predict"))
                      .header("Content-Type", "application/json")
                      .header("X-Request-Id", "json-1")
                      .header("traceparent", "00-" + TRACE + "-" + SPAN + "-01")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"observation\": " + ServerApiTest.PASSENGER + "}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      c.terminate();
      List<JsonNode> lines = new ArrayList<>();
      for (String line : c.finalLog().split("\n")) {
        if (line.startsWith("{")) {
          lines.add(Json.mapper().readTree(line));
        }
      }
      assertThat(lines)
          .anySatisfy(l -> assertThat(l.get("formattedMessage").asText()).contains("Augur ready"));
      assertThat(lines).allSatisfy(l -> assertThat(l.has("level") && l.has("loggerName")).isTrue());
      JsonNode access =
          lines.stream()
              .filter(l -> l.get("loggerName").asText().equals("dev.augur.server.access"))
              .findFirst()
              .orElseThrow();
      JsonNode mdc = access.get("mdc");
      assertThat(mdc.get("request_id").asText()).isEqualTo("json-1");
      assertThat(mdc.get("trace_id").asText()).isEqualTo(TRACE);
      assertThat(mdc.get("model").asText()).isEqualTo(TITANIC);
      assertThat(mdc.get("version").asText()).isEqualTo("1");
      assertThat(mdc.get("status").asText()).isEqualTo("200");
      assertThat(mdc.get("latency_ms").asLong()).isNotNegative();
    }
  }
}
