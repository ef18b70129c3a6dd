package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.charts.XChartRenderer;
import dev.augur.core.Augur;
import dev.augur.core.HistoryStore;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.source.Sources;
import dev.augur.core.testing.Fixtures;
import dev.augur.persistence.HistoryStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** A real Augur server on a free loopback port over fixture models and an SQLite history. */
final class Running implements AutoCloseable {
  static final String[] MODELS = {
    "tab_binary_softmax",
    "tab_multiclass_none",
    "regression_scaled",
    "series_relative",
    "image_digits",
    "onnx_logreg_binary"
  };

  final Augur augur;
  final AugurServer server;
  final HistoryStore history;
  final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** The port, kept: the server no longer knows it once it has stopped. */
  private final int port;

  private Running(Augur augur, AugurServer server, HistoryStore history) {
    this.augur = augur;
    this.server = server;
    this.history = history;
    this.port = server.port();
  }

  static Running start(Path dir, Consumer<AugurServer.Builder> config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HistoryStore history =
        HistoryStores.builder(dir.resolve("history.db"))
            .onCommit(AugurServer.historyMetrics(registry))
            .build();
    return start(dir, history, registry, config);
  }

  static Running start(Path dir, HistoryStore history, Consumer<AugurServer.Builder> config) {
    return start(dir, history, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config);
  }

  static Running start(
      Path dir,
      HistoryStore history,
      PrometheusMeterRegistry registry,
      Consumer<AugurServer.Builder> config) {
    Path models = Fixtures.repositoryOf(dir.resolve("models"), MODELS);
    Augur augur =
        Augur.builder()
            .models(models)
            .predictorOptions(
                PredictorOptions.builder()
                    .batchObserver(AugurServer.batchMetrics(registry))
                    .build())
            .history(history)
            .defaultModel("tab_binary_softmax")
            .sources(Sources.of(Fixtures.stocks()))
            .build();
    AugurServer.Builder b =
        AugurServer.builder(augur)
            .port(0)
            .charts(XChartRenderer.create())
            .meterRegistry(registry)
            .ownsAugur(true)
            .accessLog(false);
    config.accept(b);
    return new Running(augur, b.build().start(), history);
  }

  record Response(int status, HttpHeaders headers, byte[] bytes) {
    String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return Json.mapper().readTree(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body(), e);
      }
    }

    String type() {
      return headers.firstValue("content-type").orElse("");
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  Response send(HttpRequest.Builder r) {
    try {
      HttpResponse<byte[]> res =
          http.send(
              r.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(res.statusCode(), res.headers(), res.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response get(String path, String... headers) {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).GET();
    if (headers.length > 0) {
      r.headers(headers);
    }
    return send(r);
  }

  Response post(String path, String json, String... headers) {
    return method("POST", path, json, headers);
  }

  Response put(String path, String json, String... headers) {
    return method("PUT", path, json, headers);
  }

  Response method(String method, String path, String json, String... headers) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.ofString(json));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (!typed) {
      r.header("Content-Type", "application/json");
    }
    if (headers.length > 0) {
      r.headers(headers);
    }
    return send(r);
  }

  @Override
  public void close() {
    server.close();
  }
}
