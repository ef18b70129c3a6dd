package dev.augur.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review L3: {@code curl --path-as-is -X POST localhost:8080/models/../reload} must not
 * scan the folder above the model repository. Sent raw, so that no client normalises the path.
 */
class ReloadPathTest {
  @TempDir Path dir;

  @Test
  void aReloadOfDotDotIsANotFoundAndLoadsNothing() throws Exception {
    try (Running s = Running.start(dir, b -> {})) {
      for (String path :
          new String[] {"/models/../reload", "/models/./reload", "/models/%2E%2E/reload"}) {
        String answer =
            raw(
                s.server.port(),
                "POST "
                    + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        int status = Integer.parseInt(answer.substring(9, 12));
        assertThat(status).as("%s answered %s", path, answer).isIn(400, 404);
      }
      assertThat(s.get("/models").status()).isEqualTo(200);
    }
  }

  private static String raw(int port, String request) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
