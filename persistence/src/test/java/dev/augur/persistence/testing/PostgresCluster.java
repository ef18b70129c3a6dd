package dev.augur.persistence.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster of the installed binaries ({@code initdb}, {@code pg_ctl}) in a
 * temporary folder, on a free loopback port, trust authentication: a test may stop, crash and
 * restart it without touching any shared database. Run as root, the server runs as the {@code
 * postgres} user (initdb refuses root). Not thread-safe; {@link #close()} stops it and deletes the
 * folder.
 */
public final class PostgresCluster implements AutoCloseable {
  private final Path bin;
  private final Path root;
  private final Path data;
  private final int port;
  private final Optional<String> runAs;

  private PostgresCluster(Path bin, Path root, int port, Optional<String> runAs) {
    this.bin = bin;
    this.root = root;
    this.data = root.resolve("data");
    this.port = port;
    this.runAs = runAs;
  }

  /**
   * The folder of {@code initdb} and {@code pg_ctl}: {@code AUGUR_PG_BIN}, else the newest
   * installed.
   */
  public static Optional<Path> binaries() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("AUGUR_PG_BIN");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions
            .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
            .forEach(v -> candidates.add(v.resolve("bin")));
      } catch (IOException e) {
        // no versions readable: fall through
      }
    }
    candidates.add(Path.of("/usr/bin"));
    candidates.add(Path.of("/usr/local/bin"));
    return candidates.stream()
        .filter(
            p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
        .findFirst();
  }

  /**
   * The binaries, or skips the calling test loudly when they are absent (fails it under CI=true).
   */
  public static Path assumeBinaries() {
    Optional<Path> bin = binaries();
    if (bin.isEmpty()) {
      String msg =
          "the PostgreSQL server binaries (initdb, pg_ctl) are not installed"
              + " (looked in AUGUR_PG_BIN, /usr/lib/postgresql/*/bin, /usr/bin)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(msg + " and CI=true: the PostgreSQL chaos tests must run in CI");
      }
      System.err.println("SKIPPED: " + msg + "; the PostgreSQL chaos test is skipped");
      Assumptions.abort(msg);
    }
    return bin.get();
  }

  /** Creates and starts a new cluster. */
  public static PostgresCluster start(Path bin) {
    try {
      boolean root = "root".equals(System.getProperty("user.name"));
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "augur-pg-");
      Optional<String> runAs = Optional.empty();
      if (root) {
        runAs = Optional.of("postgres");
        UserPrincipal pg =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, pg);
      }
      PostgresCluster c = new PostgresCluster(bin, dir, freePort(), runAs);
      c.run(
          60,
          c.tool("initdb"),
          "-D",
          c.data.toString(),
          "-U",
          "postgres",
          "-A",
          "trust",
          "--no-sync",
          "-E",
          "UTF8");
      c.startServer();
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code postgres://postgres@127.0.0.1:PORT/postgres}. */
  public String url() {
    return "postgres://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** The JDBC form of {@link #url()}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  public int port() {
    return port;
  }

  /** Starts the server and returns once it accepts connections. */
  public void startServer() {
    run(
        60,
        tool("pg_ctl"),
        "-D",
        data.toString(),
        "-l",
        root.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-p "
            + port
            + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
            + root
            + " -c max_connections=50",
        "start");
  }

  /** {@code pg_ctl restart -m fast}: every backend terminated (57P01), a shutdown checkpoint. */
  public void restartFast() {
    run(
        60,
        tool("pg_ctl"),
        "-D",
        data.toString(),
        "-l",
        root.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "-m",
        "fast",
        "-o",
        "-p "
            + port
            + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
            + root
            + " -c max_connections=50",
        "restart");
  }

  /** Stops the server: {@code fast} (clean) or {@code immediate} (a crash: recovery on start). */
  public void stop(String mode) {
    run(60, tool("pg_ctl"), "-D", data.toString(), "-w", "-t", "60", "-m", mode, "stop");
  }

  /** The server's log, for a failure message. */
  public String log() {
    try {
      return Files.readString(root.resolve("server.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private String tool(String name) {
    return bin.resolve(name).toString();
  }

  private void run(int seconds, String... command) {
    List<String> cmd = new ArrayList<>();
    runAs.ifPresent(u -> cmd.addAll(List.of("runuser", "-u", u, "--")));
    cmd.addAll(List.of(command));
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(root.resolve("tool.log").toFile())
              .start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", cmd) + " did not finish in " + seconds + " s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd)
                + " failed ("
                + p.exitValue()
                + "): "
                + Files.readString(root.resolve("tool.log"), StandardCharsets.UTF_8)
                + "\n"
                + log());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops the server at once and deletes its folder. Idempotent. */
  @Override
  public void close() {
    if (!Files.exists(root)) {
      return;
    }
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        stop("immediate");
      }
    } catch (RuntimeException e) {
      System.err.println("could not stop the throwaway PostgreSQL: " + e.getMessage());
    } finally {
      try (Stream<Path> all = Files.walk(root)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("could not delete " + root + ": " + e.getMessage());
      }
    }
  }
}
