package dev.augur.docs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A server started by a page's {@code <!-- server -->} block, as written, less its {@code mvn}
 * commands (the test runs inside the build that made the jar), on a free port given as {@code PORT}
 * and bound to 127.0.0.1.
 */
final class DocServer implements AutoCloseable {
  final int port;
  final String where;
  private final Process process;
  private final Path log;

  private DocServer(int port, String where, Process process, Path log) {
    this.port = port;
    this.where = where;
    this.process = process;
    this.log = log;
  }

  /** The block's commands without the {@code mvn} ones. */
  static String withoutMaven(String code) {
    StringBuilder out = new StringBuilder();
    for (String line : code.split("\n", -1)) {
      String t = line.strip();
      if (t.startsWith("mvn ")) {
        int and = t.indexOf("&&");
        if (and < 0) {
          continue;
        }
        line = t.substring(and + 2).strip();
      }
      out.append(line).append('\n');
    }
    return out.toString();
  }

  /** Starts the block's server in {@code dir} and waits until it is ready. */
  static DocServer start(DocBlock block, Path dir) throws IOException, InterruptedException {
    int port = Shell.freePort();
    Path script = Files.createTempFile(dir, "server-", ".sh");
    Files.writeString(script, withoutMaven(block.code()));
    Path log = Files.createTempFile(dir, "server-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Shell.clean(pb.environment());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("AUGUR_HOST", "127.0.0.1");
    DocServer s = new DocServer(port, block.where(), pb.start(), log);
    s.awaitReady(Duration.ofSeconds(120));
    return s;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The page's text with its server address ({@code localhost:8080}) pointing at this one. */
  String address(String text) {
    return text.replace("localhost:8080", "127.0.0.1:" + port)
        .replace("127.0.0.1:8080", "127.0.0.1:" + port);
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            where + ": the server block exited with " + process.exitValue() + ":\n" + log());
      }
      if (Shell.status(http, uri("/health/ready")) == 200) {
        return;
      }
      process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    close();
    throw new AssertionError(
        where + ": the server was not ready within " + timeout + ":\n" + log());
  }

  String log() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      Shell.kill(process);
    }
  }
}
