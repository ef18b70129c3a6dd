package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends {@link HostileRequests} to a server on loopback over keep-alive connections it frames
 * itself (so any header, method, path or byte can be sent), and counts the answers. A failure is a
 * 5xx other than 503, a stack trace in a body, or a request the server neither answers nor closes
 * within the read timeout. Request {@code i} of a run with seed {@code s} is made from seed {@code
 * s * 31 + i}, so every failure names the seed that reproduces it.
 */
final class Fuzzer {
  private static final int READ_TIMEOUT_MS = 60_000;
  private static final int MAX_FAILURES_KEPT = 50;

  /** What a run saw. */
  record Result(
      long requests,
      Map<Integer, Long> statuses,
      long dropped,
      List<String> failures,
      long failureCount,
      double seconds) {
    String summary() {
      return String.format(
          Locale.ROOT,
          "%d requests in %.1f s (%.0f/s), statuses %s, closed without an answer %d, failures %d",
          requests,
          seconds,
          requests / seconds,
          statuses,
          dropped,
          failureCount);
    }
  }

  /** Time spent per kind of request, for finding what makes a run slow. */
  static final Map<Integer, LongAdder> NANOS_BY_KIND = new ConcurrentHashMap<>();

  private final int port;
  private final HostileRequests generator;

  Fuzzer(int port) {
    this.port = port;
    this.generator = HostileRequests.discover(this::getJson);
  }

  /** Sends {@code n} requests from {@code threads} connections. */
  Result run(long seed, long n, int threads) throws InterruptedException {
    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    List<String> failures = new ArrayList<>();
    AtomicLong failureCount = new AtomicLong();
    LongAdder dropped = new LongAdder();
    AtomicLong nextIndex = new AtomicLong();
    CountDownLatch done = new CountDownLatch(threads);
    AtomicInteger unexpected = new AtomicInteger();
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                Connection c = null;
                try {
                  long i;
                  while ((i = nextIndex.getAndIncrement()) < n) {
                    long s = seed * 31 + i;
                    HostileRequests.Request req = generator.next(s);
                    int kind = HostileRequests.lastKind.get();
                    long started = System.nanoTime();
                    Answer a;
                    try {
                      if (c == null) {
                        c = new Connection(port);
                      }
                      a = c.exchange(req);
                    } catch (SocketTimeoutException e) {
                      a = new Answer(-1, "no answer within " + READ_TIMEOUT_MS + " ms", true);
                    } catch (IOException e) {
                      a = new Answer(0, e.toString(), true);
                    }
                    NANOS_BY_KIND
                        .computeIfAbsent(kind, k -> new LongAdder())
                        .add(System.nanoTime() - started);
                    if (a.close && c != null) {
                      c.close();
                      c = null;
                    }
                    if (a.status == 0) {
                      dropped.increment();
                      continue;
                    }
                    statuses.computeIfAbsent(a.status, k -> new LongAdder()).increment();
                    boolean bad =
                        a.status < 0
                            || (a.status >= 500 && a.status != 503)
                            || a.body.contains("\tat ")
                            || a.body.contains("Exception:");
                    if (bad) {
                      failureCount.incrementAndGet();
                      synchronized (failures) {
                        if (failures.size() < MAX_FAILURES_KEPT) {
                          failures.add(
                              "seed "
                                  + s
                                  + ": "
                                  + req
                                  + " → "
                                  + a.status
                                  + " "
                                  + a.body.substring(0, Math.min(a.body.length(), 400)));
                        }
                      }
                    }
                  }
                } catch (RuntimeException e) {
                  unexpected.incrementAndGet();
                  synchronized (failures) {
                    failures.add("the fuzzer itself failed: " + e);
                  }
                } finally {
                  if (c != null) {
                    c.close();
                  }
                  done.countDown();
                }
              },
              "fuzz-" + t);
      worker.setDaemon(true);
      worker.start();
    }
    done.await();
    Map<Integer, Long> counts = new TreeMap<>();
    statuses.forEach((k, v) -> counts.put(k, v.sum()));
    return new Result(
        n,
        counts,
        dropped.sum(),
        List.copyOf(failures),
        failureCount.get() + unexpected.get(),
        (System.nanoTime() - t0) / 1e9);
  }

  /** A plain GET answered 200 with JSON, for discovery and health checks. */
  JsonNode getJson(String path) {
    try (Connection c = new Connection(port)) {
      Answer a = c.exchange(new HostileRequests.Request("GET", path, List.of(), new byte[0]));
      if (a.status != 200) {
        throw new IllegalStateException("GET " + path + " answered " + a.status + ": " + a.body);
      }
      return Json.mapper().readTree(a.body);
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed: " + e, e);
    }
  }

  /** Sends one request and returns its status, for the checks after a run. */
  int status(String method, String path, String json) throws IOException {
    try (Connection c = new Connection(port)) {
      return c.exchange(
              new HostileRequests.Request(
                  method,
                  path,
                  List.<String[]>of(new String[] {"Content-Type", "application/json"}),
                  json.getBytes(StandardCharsets.UTF_8)))
          .status;
    }
  }

  private record Answer(int status, String body, boolean close) {}

  /** One keep-alive HTTP/1.1 connection. */
  private static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Connection(int port) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }

    Answer exchange(HostileRequests.Request req) throws IOException {
      try {
        out.write(req.bytes());
        out.flush();
      } catch (IOException e) {
        // the server may answer (413) and close before the whole body is sent: read that answer
      }
      int status;
      long length = -1;
      boolean chunked = false;
      boolean close = false;
      do {
        // a 100 Continue (for Expect: 100-continue) is followed by the real answer
        String statusLine = line();
        if (statusLine == null) {
          return new Answer(0, "closed", true);
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          return new Answer(0, "not HTTP: " + statusLine, true);
        }
        status = Integer.parseInt(parts[1]);
        String h;
        while ((h = line()) != null && !h.isEmpty()) {
          int colon = h.indexOf(':');
          if (colon < 0) {
            continue;
          }
          String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = h.substring(colon + 1).trim();
          switch (name) {
            case "content-length" -> length = Long.parseLong(value);
            case "transfer-encoding" ->
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            case "connection" -> close = value.equalsIgnoreCase("close");
            default -> {}
          }
        }
      } while (status == 100);
      boolean noBody =
          req.method().equals("HEAD") || status == 204 || status == 304 || (status < 200);
      byte[] body;
      if (noBody) {
        body = new byte[0];
      } else if (chunked) {
        body = chunked();
      } else if (length >= 0) {
        body = in.readNBytes((int) Math.min(length, Integer.MAX_VALUE));
      } else {
        body = in.readAllBytes();
        close = true;
      }
      // only the head of a body is kept for reports; charts and exports can be large
      String text = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8);
      return new Answer(status, text, close);
    }

    private byte[] chunked() throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        if (size == null) {
          throw new IOException("chunked body cut");
        }
        int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
        if (n == 0) {
          String trailer;
          while ((trailer = line()) != null && !trailer.isEmpty()) {
            // trailers are ignored
          }
          return body.toByteArray();
        }
        byte[] chunk = in.readNBytes(n);
        if (body.size() < 1 << 20) {
          body.write(chunk);
        }
        line();
      }
    }

    /** One header line without its CRLF; null at the end of the stream. */
    private String line() throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream(64);
      int c;
      while ((c = in.read()) != -1) {
        if (c == '\n') {
          break;
        }
        if (c != '\r') {
          b.write(c);
        }
      }
      if (c == -1 && b.size() == 0) {
        return null;
      }
      return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing
      }
    }
  }
}
