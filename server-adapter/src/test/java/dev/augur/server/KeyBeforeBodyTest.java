package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an API key, a request without it (or with a wrong one) is answered before its body is read:
 * an unauthenticated client makes the server neither wait for nor hold its upload.
 */
class KeyBeforeBodyTest {
  @TempDir Path dir;

  @Test
  void aBodyWithoutTheKeyIsNeitherAwaitedNorBuffered() throws Exception {
    try (Running s = Running.start(dir, b -> b.apiKey("s3cret-key"))) {
      for (String key : new String[] {null, "wrong"}) {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), s.server.port())) {
          // well before the body timeout (30 s): the server must not wait for the body
          raw.setSoTimeout(10_000);
          OutputStream out = raw.getOutputStream();
          out.write(
              ("POST /models/tab_binary_softmax/predict HTTP/1.1\r\nHost: x\r\n"
                      + "Content-Type: application/json\r\n"
                      + (key == null ? "" : "X-API-Key: " + key + "\r\n")
                      + "Content-Length: 10000000\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          // the first 64 KiB of the declared 10 MB (within the socket buffers), then nothing
          out.write(new byte[64 * 1024]);
          out.flush();
          long t0 = System.nanoTime();
          InputStream in = raw.getInputStream();
          String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
          assertThat(head).isEqualTo(key == null ? "HTTP/1.1 401" : "HTTP/1.1 403");
          assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
          assertThat(s.server.bodyBytesInFlight()).as("bytes of the body held").isZero();
        }
      }
      assertThat(
              s.post(
                      ServerLimitsTest.PREDICT,
                      ServerLimitsTest.PASSENGER,
                      "X-API-Key",
                      "s3cret-key")
                  .status())
          .isEqualTo(200);
    }
  }
}
