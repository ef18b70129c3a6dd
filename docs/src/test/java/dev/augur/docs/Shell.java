package dev.augur.docs;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the examples of a page the way a reader would paste them: in a scratch folder that shows the
 * checkout's files, with the server's environment variables cleared so only what the page says
 * counts.
 */
final class Shell {
  /** What a command printed, and how it ended. */
  record Result(int exit, String stdout, String stderr, boolean timedOut) {}

  private Shell() {}

  /** A scratch folder whose entries link to the checkout's top-level files and folders. */
  static Path workspace(Path root) throws IOException {
    Path work = Files.createTempDirectory("augur-docs-");
    try (var entries = Files.list(root)) {
      for (Path e : (Iterable<Path>) entries::iterator) {
        String name = e.getFileName().toString();
        if (!name.equals(".git") && !name.equals("augur-data")) {
          Files.createSymbolicLink(work.resolve(name), e);
        }
      }
    }
    return work;
  }

  /** Deletes a scratch folder: its links, not what they point at. */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var all = Files.walk(dir)) { // does not follow links
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The environment of an example: the test's own, less what would change the server. */
  static void clean(Map<String, String> env) {
    env.keySet()
        .removeIf(k -> k.startsWith("AUGUR_") || k.equals("DATABASE_URL") || k.equals("PORT"));
  }

  /** Runs a command to its end, within {@code timeout}; a command still running then is killed. */
  static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out-", ".txt");
    Path err = Files.createTempFile(dir, "err-", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    clean(pb.environment());
    pb.environment().putAll(env);
    Process p = pb.start();
    boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      kill(p);
    }
    Result r =
        new Result(
            done ? p.exitValue() : -1,
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8),
            !done);
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  /** Ends a process and everything it started. */
  static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The HTTP status of a GET, or -1 when nothing answers. */
  static int status(HttpClient http, URI uri) throws InterruptedException {
    try {
      return http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    }
  }
}
