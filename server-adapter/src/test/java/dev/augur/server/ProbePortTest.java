package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.Augur;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe port ({@code AugurServer.Builder.probePort}, {@code --probe-port}): the health probes
 * alone, without the key, with the main port's answers; nothing else is served there, and it closes
 * with the server. {@link OverloadTest} shows what it is for: fast liveness under a flood.
 */
class ProbePortTest {
  @TempDir Path dir;

  @Test
  void answersTheProbesWithoutTheKeyAndNothingElse() throws Exception {
    int probePort;
    try (Running s = Running.start(dir, b -> b.apiKey("s3cret").probePort(0))) {
      probePort = s.server.probePort().orElseThrow();
      assertThat(probePort).isNotEqualTo(s.server.port());
      for (String path :
          new String[] {"/health/live", "/health/ready", "/v2/health/live", "/v2/health/ready"}) {
        Running.Response onProbePort = s.send(HttpRequest.newBuilder(at(probePort, path)));
        Running.Response onMainPort = s.get(path);
        assertThat(onProbePort.status()).as(path).isEqualTo(200);
        assertThat(onProbePort.json()).as(path).isEqualTo(onMainPort.json());
      }
      assertThat(s.send(HttpRequest.newBuilder(at(probePort, "/ping"))).status()).isEqualTo(200);

      // the API is not on the probe port, with or without the key
      assertThat(s.get("/models").status())
          .as("/models on the main port needs the key")
          .isEqualTo(401);
      for (String path : new String[] {"/models", "/metrics", "/", "/openapi.json"}) {
        Running.Response r =
            s.send(
                HttpRequest.newBuilder(at(probePort, path))
                    .header("Authorization", "Bearer s3cret"));
        assertThat(r.status()).as(path).isEqualTo(404);
        assertThat(r.json().path("detail").asText())
            .as(path)
            .contains("only the health probes")
            .contains(path);
      }
      Running.Response post =
          s.send(
              HttpRequest.newBuilder(at(probePort, "/models/tab_binary_softmax/predict"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"observation\": {}}")));
      assertThat(post.status()).as("a prediction on the probe port").isEqualTo(404);
      assertThat(s.history.count("tab_binary_softmax")).isZero();

      // hostile: a body the probes never read, and a header past the probe port's 8 KiB; the
      // connection that sent it is closed, and the probes go on answering
      try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), probePort)) {
        raw.setSoTimeout(10_000);
        OutputStream out = raw.getOutputStream();
        out.write(
            ("POST /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = new String(raw.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(head).as("a declared gigabyte").isIn("HTTP/1.1 413", "HTTP/1.1 405");
      }
      try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), probePort)) {
        raw.setSoTimeout(10_000);
        OutputStream out = raw.getOutputStream();
        out.write(
            ("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] answer = raw.getInputStream().readAllBytes();
        assertThat(new String(answer, StandardCharsets.US_ASCII))
            .as("a 64 KiB header is not served")
            .doesNotStartWith("HTTP/1.1 200");
      } catch (SocketException closedWhileSending) {
        // refused mid-header: the server closed the connection, as it should
      }
      assertThat(s.send(HttpRequest.newBuilder(at(probePort, "/health/live"))).status())
          .isEqualTo(200);
    }
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), probePort).close())
        .as("the probe port closes with the server")
        .isInstanceOf(ConnectException.class);
  }

  /**
   * 200 connections to the probe port that send half a request and then nothing (slowloris): the
   * headers are read by the probe port's I/O thread as they arrive, so they hold no worker, and the
   * probes on other connections answer at once.
   */
  @Test
  void halfSentRequestsOnTheProbePortDoNotDelayTheProbes() throws Exception {
    try (Running s = Running.start(dir, b -> b.probePort(0))) {
      int probePort = s.server.probePort().orElseThrow();
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          Socket raw = new Socket(InetAddress.getLoopbackAddress(), probePort);
          slow.add(raw);
          OutputStream out = raw.getOutputStream();
          out.write(
              ((i % 2 == 0 ? "GET /health/ready" : "GET /health/live")
                      + " HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        for (String path : new String[] {"/health/live", "/health/ready", "/ping"}) {
          long t0 = System.nanoTime();
          Running.Response r = s.send(HttpRequest.newBuilder(at(probePort, path)));
          Duration took = Duration.ofNanos(System.nanoTime() - t0);
          assertThat(r.status()).as(path).isEqualTo(200);
          assertThat(took).as(path).isLessThan(Duration.ofSeconds(1));
        }
      } finally {
        for (Socket raw : slow) {
          raw.close();
        }
      }
    }
  }

  @Test
  void withoutAProbePortThereIsNoneAndTheProbePortMustDifferFromThePort() throws IOException {
    int port = ChildServer.freePort();
    try (Running s = Running.start(dir, b -> {})) {
      assertThat(s.server.probePort()).isEmpty();
      Augur augur = s.augur;
      assertThatThrownBy(() -> AugurServer.builder(augur).port(port).probePort(port).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("probe port must differ");
      assertThatThrownBy(() -> AugurServer.builder(augur).probePort(65536))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("probe port");
    }
  }

  private static URI at(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
