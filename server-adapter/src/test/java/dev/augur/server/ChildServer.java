package dev.augur.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The standalone server ({@link Main}) in a child JVM, so a test can SIGKILL it. */
final class ChildServer implements AutoCloseable {
  final int port;
  final Process process;
  final Path log;

  private final java.util.concurrent.CompletableFuture<Void> ready =
      new java.util.concurrent.CompletableFuture<>();
  private final java.util.concurrent.CompletableFuture<Void> logged =
      new java.util.concurrent.CompletableFuture<>();

  private ChildServer(int port, Process process, Path log) {
    this.port = port;
    this.process = process;
    this.log = log;
    Thread copy =
        new Thread(
            () -> {
              try (var in =
                      new java.io.BufferedReader(
                          new java.io.InputStreamReader(process.getInputStream()));
                  var out = java.nio.file.Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.write(line);
                  out.newLine();
                  out.flush();
                  if (line.contains("Augur ready at") || line.contains("Augur listening at")) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(
                  new IllegalStateException("the server exited; see " + log));
              logged.complete(null);
            },
            "child-server-log");
    copy.setDaemon(true);
    copy.start();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts {@code Main} with these arguments and environment and waits until it is ready. */
  static ChildServer start(Path log, Map<String, String> env, String... args) throws Exception {
    return start(log, List.of("-Xmx512m"), env, args);
  }

  /** As {@link #start(Path, Map, String...)}, with these JVM options (heap size and the like). */
  static ChildServer start(Path log, List<String> jvm, Map<String, String> env, String... args)
      throws Exception {
    int port = env.containsKey("PORT") ? Integer.parseInt(env.get("PORT")) : freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    if (!env.containsKey("PORT")) {
      cmd.add("--port");
      cmd.add(Integer.toString(port));
    }
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // the warm-up (3 s by default) is for servers about to take load; tests that want it set it
    pb.environment().put("AUGUR_WARM_UP_SECONDS", "0");
    pb.environment().putAll(env);
    ChildServer c = new ChildServer(port, pb.start(), log);
    c.awaitReady(Duration.ofSeconds(90));
    return c;
  }

  /**
   * The standalone server over {@code models} in a child JVM with a heap of {@code heap} that exits
   * on its first OutOfMemoryError, as the container image runs it: loopback only, no access log,
   * its history and log in {@code dir}; {@code jvm} adds JVM options.
   */
  static ChildServer withSmallHeap(
      Path dir, String heap, Path models, String defaultModel, String... jvm) throws Exception {
    List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"));
    options.addAll(List.of(jvm));
    return start(
        dir.resolve("server.log"),
        options,
        Map.of("AUGUR_DATA_DIR", dir.resolve("data").toString()),
        "--host",
        "127.0.0.1",
        "--models",
        models.toString(),
        "--default-model",
        defaultModel,
        "--no-access-log");
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The HTTP/1.1 client the child-JVM tests talk to their server with. */
  static final java.net.http.HttpClient HTTP =
      java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1)
          .connectTimeout(java.time.Duration.ofSeconds(5))
          .build();

  /** POSTs JSON to {@code path}, waiting up to 60 s for the answer. */
  java.net.http.HttpResponse<String> post(String path, String json) throws Exception {
    return postJson(uri(path), json);
  }

  /** POSTs JSON to {@code uri}, waiting up to 60 s for the answer. */
  static java.net.http.HttpResponse<String> postJson(URI uri, String json) throws Exception {
    return HTTP.send(
        java.net.http.HttpRequest.newBuilder(uri)
            .timeout(java.time.Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private void awaitReady(Duration timeout) throws Exception {
    // the server logs one line when it is ready; the log pipe tells us without polling
    try {
      ready.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "the server was not ready within " + timeout + "; see " + log);
    }
  }

  /** The whole log, once the process has exited and its output is drained. */
  String finalLog() throws Exception {
    process.waitFor();
    logged.get(30, java.util.concurrent.TimeUnit.SECONDS);
    return java.nio.file.Files.readString(log);
  }

  /**
   * SIGTERM. (Through the process handle: {@code Process.destroy} would also close the log pipe.)
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
