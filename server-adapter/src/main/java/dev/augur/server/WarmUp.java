package dev.augur.server;

import dev.augur.core.Augur;
import dev.augur.core.HistoryStore;
import dev.augur.core.model.ModelRegistry;
import dev.augur.persistence.HistoryStores;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the whole request path before the server reports ready: a scratch server on a loopback port
 * with the same models, routes, JSON, validation, access log format and history writer, but its own
 * SQLite history in a temporary folder, its own metrics and an access log that goes nowhere, takes
 * each model's example as a client would send it (the tutorial body with a client id) from a few
 * loopback connections, for a bounded time. The JIT compiles what every request runs, so a replica
 * that turns ready under load serves at full speed at once (issue 21); nothing of the warm-up stays
 * in the real history, metrics or quality. Used by the standalone server only.
 */
final class WarmUp {
  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

  private WarmUp() {}

  /** What a warm-up did. */
  record Result(long requests, long failures, Duration took, boolean settled, long compileMillis) {}

  /**
   * Connections the warm-up drives at once. Each request waits for the group commit that carries
   * its record, so a few connections get a few hundred requests a second through (a fsync each);
   * 64, as a replica added under load sees, fill the groups and run the request path thousands of
   * times a second, which is what gets its methods to the C2 compiler before ready.
   */
  static final int CLIENTS = 64;

  /** The JIT counts as done once its compilers were this busy or less over a window (of 1). */
  static final double SETTLED_BUSY = 0.10;

  /** The window over which the compilers' activity is measured. */
  static final Duration SETTLE_WINDOW = Duration.ofSeconds(1);

  /**
   * Runs the warm-up until the JIT has compiled what the requests run (its compilers have gone
   * quiet), or for {@code budget} at most.
   *
   * @param models the real models, shared; the real history is not touched (not even open yet)
   * @param defaultModel the model of the compatibility routes, as the server will have it
   * @param accessLog the real server's access log format, written to nowhere
   */
  static Result run(
      ModelRegistry models,
      Optional<String> defaultModel,
      AccessLogFormat accessLog,
      Duration budget) {
    long t0 = System.nanoTime();
    Path dir;
    try {
      dir = Files.createTempDirectory("augur-warm-up");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the warm-up folder", e);
    }
    AtomicLong requests = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    boolean settled = false;
    long compileMillis = -1;
    try {
      HistoryStore scratch = HistoryStores.sqlite(dir.resolve("warm-up.db"));
      Augur.Builder wb = Augur.builder().registry(models).history(scratch);
      defaultModel.ifPresent(wb::defaultModel);
      Augur warm;
      try {
        warm = wb.build();
      } catch (RuntimeException e) {
        scratch.close();
        throw e;
      }
      try (AugurServer server =
          AugurServer.builder(warm)
              .host("127.0.0.1")
              .port(0)
              .accessLog(accessLog)
              .accessLogOutput(OutputStream.nullOutputStream())
              .drain(Duration.ofSeconds(1))
              .ownsAugur(true)
              .announce(false)
              .build()
              .start()) {
        List<byte[]> bodies = bodies(warm);
        // the budget is for requests: setting up the scratch server does not count
        long end = System.nanoTime() + budget.toNanos();
        int clients = CLIENTS;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          int client = c;
          Thread t =
              new Thread(
                  () -> drive(server.port(), client, bodies, stop, requests, failures),
                  "augur-warm-up-" + c);
          t.setDaemon(true);
          threads.add(t);
          t.start();
        }
        // stop early once the compilers have gone quiet: what the requests run is compiled
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long compile0 = timed ? jit.getTotalCompilationTime() : 0;
        long windowStart = System.nanoTime();
        long compileAtWindow = compile0;
        while (System.nanoTime() < end && threads.stream().anyMatch(Thread::isAlive)) {
          Thread.sleep(50); // sampling the JIT's counter, bounded by the budget
          long now = System.nanoTime();
          if (timed && now - windowStart >= SETTLE_WINDOW.toNanos()) {
            long busy = jit.getTotalCompilationTime() - compileAtWindow;
            double share = busy / (double) Duration.ofNanos(now - windowStart).toMillis();
            if (requests.get() >= bodies.size() && share <= SETTLED_BUSY) {
              settled = true;
              stop.set(true);
              break;
            }
            windowStart = now;
            compileAtWindow = jit.getTotalCompilationTime();
          }
        }
        stop.set(true);
        for (Thread t : threads) {
          t.join(15_000);
        }
        compileMillis = timed ? jit.getTotalCompilationTime() - compile0 : -1;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      deleteQuietly(dir);
    }
    Result r =
        new Result(
            requests.get(),
            failures.get(),
            Duration.ofNanos(System.nanoTime() - t0),
            settled,
            compileMillis);
    log.info(
        "warm-up: {} requests ({} not 2xx) through the whole request path in {} ms; {}"
            + " (JIT compile time during the requests: {} ms)",
        r.requests(),
        r.failures(),
        r.took().toMillis(),
        settled ? "the JIT has settled" : "the budget ran out",
        r.compileMillis());
    return r;
  }

  /**
   * One POST per model (and one on the default model's route): its example with a client id
   * placeholder.
   */
  private static List<byte[]> bodies(Augur augur) {
    List<byte[]> out = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String name : augur.models().names()) {
      paths.add("/models/" + name + "/predict");
      names.add(name);
    }
    augur
        .defaultModel()
        .filter(names::contains)
        .ifPresent(
            name -> {
              paths.add("/predict");
              names.add(name);
            });
    for (int i = 0; i < paths.size(); i++) {
      String name = names.get(i);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", "ID");
      body.put("observation", augur.manifest(name).exampleOrDefault().values());
      try {
        String json = Json.mapper().writeValueAsString(body);
        out.add((paths.get(i) + "\n" + json).getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        log.debug("no warm-up body for {}", name, e);
      }
    }
    return out;
  }

  /** Sends requests on one keep-alive connection until {@code stop}; reconnects after an error. */
  private static void drive(
      int port,
      int client,
      List<byte[]> bodies,
      AtomicBoolean stop,
      AtomicLong requests,
      AtomicLong fails) {
    if (bodies.isEmpty()) {
      return;
    }
    long n = 0;
    // the first client sends every body at least once, however short the budget
    long atLeast = client == 0 ? bodies.size() : 0;
    while (n < atLeast || !stop.get()) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        InputStream in = new BufferedInputStream(s.getInputStream());
        while (n < atLeast || !stop.get()) {
          String spec = new String(bodies.get((int) (n % bodies.size())), StandardCharsets.UTF_8);
          int nl = spec.indexOf('\n');
          byte[] body =
              spec.substring(nl + 1)
                  .replace("\"ID\"", "\"warm-up-" + client + "-" + n + "\"")
                  .getBytes(StandardCharsets.UTF_8);
          n++;
          out.write(
              ("POST "
                      + spec.substring(0, nl)
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      + "Content-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
          int status = readResponse(in);
          requests.incrementAndGet();
          if (status < 200 || status > 299) {
            if (fails.incrementAndGet() == 1) {
              log.warn("warm-up request {} answered {}", spec.substring(0, nl), status);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        fails.incrementAndGet();
        n++;
        log.warn("warm-up connection failed: {}", e.toString());
      }
    }
  }

  /** Reads one response (status line, headers, a Content-Length body); returns its status. */
  private static int readResponse(InputStream in) throws IOException {
    String status = line(in);
    int code = Integer.parseInt(status.substring(9, 12));
    long length = 0;
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Long.parseLong(h.substring(15).trim());
      }
    }
    while (length > 0) {
      long skipped = in.skip(length);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed in a response body");
        }
        skipped = 1;
      }
      length -= skipped;
    }
    return code;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed in a response");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("cannot delete the warm-up folder {}", dir, e);
    }
  }
}
