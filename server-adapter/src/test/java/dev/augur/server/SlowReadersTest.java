package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.augur.server.Running.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that ask for a large answer and then do not read it hold no worker thread: the answer is
 * written from the I/O thread as the client reads it, and the bytes held for such clients are
 * bounded. Before, each of them held a worker until the write timeout, and once every worker was
 * held every other request got 503.
 */
class SlowReadersTest {
  private static final String MODEL = "tab_binary_softmax";
  private static final String PAGE = "/models/" + MODEL + "/predictions?n=200";
  private static final int WORKERS = 4;

  @TempDir Path dir;

  @Test
  void clientsThatDoNotReadTheirLargeAnswersHoldNoWorker() throws Exception {
    // room for every answer: what is bounded here is the workers
    try (Running s =
        Running.start(dir, b -> b.workerThreads(WORKERS).answersInFlight(256L << 20))) {
      fillTheHistory(s);
      List<Socket> readers = new ArrayList<>();
      try {
        for (int i = 0; i < 3 * WORKERS; i++) {
          Socket r = slowReader(s);
          readers.add(r);
          assertThat(statusLine(r)).as("slow reader %d", i).isEqualTo("HTTP/1.1 200 OK");
        }
        // every slow reader has its answer under way and reads nothing more
        assertThat(s.server.answerBytesHeld()).isGreaterThan(3L * WORKERS * (4 << 20));
        long t0 = System.nanoTime();
        Response p = s.post(ServerLimitsTest.PREDICT, ServerLimitsTest.PASSENGER);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(p.status()).as(p.body()).isEqualTo(200);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertThat(s.get("/models").status()).isEqualTo(200);

        // a slow reader that reads on gets the whole answer
        InputStream in = readers.get(0).getInputStream();
        long length = contentLength(head(in));
        assertThat(length)
            .as("megabytes, more than the socket buffers take")
            .isGreaterThan(4L << 20);
        byte[] body = in.readNBytes((int) length);
        assertThat(body).hasSize((int) length);
        assertThat(new String(body, StandardCharsets.UTF_8)).startsWith("{").endsWith("}");
      } finally {
        for (Socket r : readers) {
          r.close();
        }
      }
      awaitNoAnswerHeld(s);
    }
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedAfterTheWriteTimeout() throws Exception {
    try (Running s = Running.start(dir, b -> b.readTimeout(Duration.ofSeconds(1)))) {
      fillTheHistory(s);
      try (Socket r = slowReader(s)) {
        assertThat(statusLine(r)).isEqualTo("HTTP/1.1 200 OK");
        InputStream in = r.getInputStream();
        long length = contentLength(head(in));
        // the client reads nothing more and keeps its connection open: the server gives up
        awaitNoAnswerHeld(s);
        long read = 0;
        try {
          for (int n; (n = in.read(new byte[64 * 1024])) >= 0; ) {
            read += n;
          }
        } catch (java.net.SocketException reset) {
          // closed with data unread: a reset is as good as an end
        }
        assertThat(read)
            .as("bytes of the %d-byte answer the client got", length)
            .isLessThan(length);
      }
    }
  }

  /** The bytes held for an answer are given back when it has gone or its connection closed. */
  private static void awaitNoAnswerHeld(Running s) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (s.server.answerBytesHeld() > 0) {
      assertThat(System.nanoTime())
          .as("waiting for the answers to be given back, %d bytes held", s.server.answerBytesHeld())
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void theBytesHeldForSlowReadersAreBoundedBeyondItLargeAnswersGet503() throws Exception {
    // a page is about 8 MiB (just under 8 Mi characters of records, and the JSON around them): two
    // fit in 20 MiB, a third does not
    long budget = 20L << 20;
    try (Running s = Running.start(dir, b -> b.workerThreads(WORKERS).answersInFlight(budget))) {
      fillTheHistory(s);
      List<Socket> readers = new ArrayList<>();
      int ok = 0;
      int refused = 0;
      try {
        for (int i = 0; i < 3 * WORKERS; i++) {
          Socket r = slowReader(s);
          readers.add(r);
          String status = statusLine(r);
          if (status.equals("HTTP/1.1 200 OK")) {
            ok++;
          } else {
            assertThat(status).isEqualTo("HTTP/1.1 503 Service Unavailable");
            String head = head(r.getInputStream());
            assertThat(head.toLowerCase(Locale.ROOT)).contains("retry-after:");
            refused++;
          }
        }
        assertThat(ok).isEqualTo(2);
        assertThat(refused).isEqualTo(3 * WORKERS - ok);
        Response p = s.post(ServerLimitsTest.PREDICT, ServerLimitsTest.PASSENGER);
        assertThat(p.status()).as(p.body()).isEqualTo(200);
      } finally {
        for (Socket r : readers) {
          r.close();
        }
      }
      // the bytes are given back when the connections close: a page is answered again
      awaitNoAnswerHeld(s);
      assertThat(s.get(PAGE).status()).isEqualTo(200);
    }
  }

  /** Sends a JSON body to the predict route; answers the status. */
  interface Predict {
    int post(String json) throws Exception;
  }

  private static void fillTheHistory(Running s) throws Exception {
    fillTheHistory(
        json -> {
          Response r = s.post("/models/" + MODEL + "/predict", json);
          assertThat(r.status()).as(r.body()).isEqualTo(200);
          return r.status();
        });
  }

  /** 200 predictions with 60,000-character notes: a page of them stops at 8 Mi characters. */
  static void fillTheHistory(Predict predict) throws Exception {
    String note = "x".repeat(60_000);
    String one = ServerLimitsTest.PASSENGER.replaceFirst("\\{", "{\"note\": \"" + note + "\", ");
    String batch =
        IntStream.range(0, 25).mapToObj(i -> one).collect(Collectors.joining(",", "[", "]"));
    for (int i = 0; i < 8; i++) {
      assertThat(predict.post("{\"instances\": " + batch + "}")).isEqualTo(200);
    }
  }

  private static Socket slowReader(Running s) throws IOException {
    return slowReader(s.uri("/").getPort());
  }

  /** A client with a small receive window that asks for a large page. */
  static Socket slowReader(int port) throws IOException {
    Socket r = new Socket();
    r.setReceiveBufferSize(4096);
    r.setSoTimeout(10_000);
    r.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    r.getOutputStream()
        .write(
            ("GET " + PAGE + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return r;
  }

  static String statusLine(Socket r) throws IOException {
    return line(r.getInputStream());
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** The rest of the head, up to the blank line. */
  private static String head(InputStream in) throws IOException {
    StringBuilder h = new StringBuilder();
    String l;
    while (!(l = line(in)).isEmpty()) {
      h.append(l).append('\n');
    }
    return h.toString();
  }

  private static long contentLength(String head) {
    for (String l : head.split("\n")) {
      if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
      }
    }
    throw new AssertionError("no Content-Length in " + head);
  }
}
