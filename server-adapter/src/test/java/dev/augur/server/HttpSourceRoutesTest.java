package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.augur.core.Augur;
import dev.augur.core.source.HttpJsonDataSource;
import dev.augur.core.source.Sources;
import dev.augur.core.testing.Fixtures;
import dev.augur.persistence.HistoryStores;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HTTP data source behind the server: hostile keys are 400s, failures never show its URL. */
class HttpSourceRoutesTest {
  @TempDir static Path dir;
  static HttpServer upstream;
  static AugurServer server;
  static final AtomicInteger upstreamHits = new AtomicInteger();
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext(
        "/",
        ex -> {
          upstreamHits.incrementAndGet();
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    upstream.start();
    String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
    Augur augur =
        Augur.builder()
            .models(Fixtures.repositoryOf(dir.resolve("models"), "series_relative"))
            .history(HistoryStores.builder(dir.resolve("history.db")).build())
            .sources(
                Sources.of(
                    HttpJsonDataSource.builder("quotes", base + "/secret-path/{key}?apikey=SECRET")
                        .header("Authorization", "Bearer TOKEN")
                        .retries(0)
                        .build()))
            .build();
    server = AugurServer.builder(augur).port(0).ownsAugur(true).accessLog(false).build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.stop(0);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Test
  void keysThatWouldChangeTheUpstreamPathAre400NamingTheKey() throws Exception {
    int before = upstreamHits.get();
    for (String key : new String[] {"%2E%2E", "a%5C..", "x%0Ay"}) {
      HttpResponse<String> r = get("/sources/quotes/keys/" + key);
      assertThat(r.statusCode()).as(key + ": " + r.body()).isEqualTo(400);
      JsonNode body = Json.mapper().readTree(r.body());
      assertThat(body.get("errors").get(0).get("field").asText()).isEqualTo("key");
      assertThat(body.get("detail").asText()).contains("key '");
    }
    HttpResponse<String> forecast =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + server.port()
                            + "/models/series_relative/forecast?source=quotes&key=..%2Fadmin"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forecast.statusCode()).as(forecast.body()).isEqualTo(400);
    assertThat(upstreamHits.get()).as("nothing reached the upstream").isEqualTo(before);
  }

  @Test
  void aFailingUpstreamIs503WithoutItsUrlOrKey() throws Exception {
    HttpResponse<String> r = get("/sources/quotes/keys/AAPL");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body())
        .contains("source quotes")
        .doesNotContain("SECRET")
        .doesNotContain("TOKEN")
        .doesNotContain("secret-path")
        .doesNotContain("127.0.0.1");
  }
}
