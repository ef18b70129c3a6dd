package dev.augur.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A flood over loopback: {@code connections} keep-alive connections, each sending the same
 * prediction request as soon as the previous one is answered, for a fixed time, while one more
 * connection asks {@code /health/live} every 50 ms (and one more the probe port's, when the server
 * has one). One thread drives the flood's connections through a selector, as wrk does. Records the
 * latency of every request the server let in (200), the 503s and whether each had {@code
 * Retry-After}, anything else, and the liveness latencies. Bounded: a fixed duration, a 30 s read
 * timeout, loopback only.
 */
final class Overload {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  /** What a flood saw. */
  record Result(
      int connections,
      double seconds,
      List<Long> acceptedMicros,
      List<String> acceptedIds,
      long shed,
      long shedWithoutRetryAfter,
      Map<Integer, Long> others,
      long errors,
      List<String> errorSamples,
      List<Long> liveMicros,
      int liveFailures,
      List<Long> probePortMicros,
      int probePortFailures) {

    long accepted() {
      return acceptedMicros.size();
    }

    static double percentileMs(List<Long> micros, double p) {
      if (micros.isEmpty()) {
        return Double.NaN;
      }
      List<Long> sorted = new ArrayList<>(micros);
      Collections.sort(sorted);
      int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1000.0;
    }

    String summary() {
      return String.format(
          Locale.ROOT,
          "%d connections for %.1f s: %d accepted (200) at %.0f/s, p50 %.1f ms, p99 %.1f ms, max"
              + " %.1f ms; %d shed (503), %d of them without Retry-After; other statuses %s;"
              + " connection errors %d; /health/live x%d: p50 %.1f ms, p99 %.1f ms, max %.1f ms,"
              + " failures %d%s",
          connections,
          seconds,
          accepted(),
          accepted() / seconds,
          percentileMs(acceptedMicros, 50),
          percentileMs(acceptedMicros, 99),
          percentileMs(acceptedMicros, 100),
          shed,
          shedWithoutRetryAfter,
          others,
          errors,
          liveMicros.size(),
          percentileMs(liveMicros, 50),
          percentileMs(liveMicros, 99),
          percentileMs(liveMicros, 100),
          liveFailures,
          probePortMicros.isEmpty() && probePortFailures == 0
              ? ""
              : String.format(
                  Locale.ROOT,
                  "; on the probe port x%d: p50 %.1f ms, p99 %.1f ms, max %.1f ms, failures %d",
                  probePortMicros.size(),
                  percentileMs(probePortMicros, 50),
                  percentileMs(probePortMicros, 99),
                  percentileMs(probePortMicros, 100),
                  probePortFailures));
    }
  }

  private Overload() {}

  /**
   * Floods {@code path} on 127.0.0.1:{@code port} with {@code json} for {@code duration}, probing
   * liveness on {@code port} and, unless it is -1, on {@code probePort}.
   */
  static Result run(
      int port, int probePort, int connections, Duration duration, String path, String json)
      throws IOException, InterruptedException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] request =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.length
                + "\r\n\r\n"
                + json)
            .getBytes(StandardCharsets.UTF_8);
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    List<Long> accepted = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    long shed = 0;
    long shedBare = 0;
    Map<Integer, Long> others = new TreeMap<>();
    long errors = 0;
    List<String> errorSamples = new ArrayList<>();
    // one thread drives every connection (as wrk does), so that what is measured is the server's
    // latency, not a thousand client threads waiting for a core
    try (Selector selector = Selector.open()) {
      for (int c = 0; c < connections; c++) {
        new Flow(address, request).open(selector);
      }
      Liveness live = new Liveness(port);
      Thread prober = new Thread(live, "liveness-probe");
      Liveness onProbePort = new Liveness(probePort);
      Thread probePortProber = new Thread(onProbePort, "liveness-probe-port");
      long t0 = System.nanoTime();
      long end = t0 + duration.toNanos();
      live.end = end;
      prober.start();
      if (probePort != -1) {
        onProbePort.end = end;
        probePortProber.start();
      }
      for (SelectionKey k : selector.keys()) {
        ((Flow) k.attachment()).send(k);
      }
      while (System.nanoTime() < end) {
        selector.select(100);
        for (SelectionKey k : selector.selectedKeys()) {
          Flow f = (Flow) k.attachment();
          try {
            if (k.isWritable()) {
              f.write(k);
            } else if (k.isReadable()) {
              Answer a;
              while ((a = f.read(k)) != null) {
                if (a.status == 200) {
                  accepted.add(a.micros);
                  Matcher m = ID.matcher(a.body);
                  if (m.find()) {
                    ids.add(m.group(1));
                  }
                } else if (a.status == 503) {
                  shed++;
                  if (!a.retryAfter) {
                    shedBare++;
                  }
                } else {
                  others.merge(a.status, 1L, Long::sum);
                  sample(errorSamples, a.status + " " + a.body);
                }
                if (a.close) {
                  f.reopen(k, selector);
                  break;
                }
                if (System.nanoTime() < end) {
                  f.send(k);
                }
              }
            }
          } catch (IOException e) {
            errors++;
            sample(errorSamples, e.toString());
            f.reopen(k, selector);
          }
        }
        selector.selectedKeys().clear();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      // a request sent and not answered within 30 s counts as an error
      long now = System.nanoTime();
      for (SelectionKey k : selector.keys()) {
        Flow f = (Flow) k.attachment();
        if (f.sentAt != 0 && now - f.sentAt > 30_000_000_000L) {
          errors++;
          sample(errorSamples, "no answer within 30 s");
        }
        k.channel().close();
      }
      prober.join(60_000);
      if (probePort != -1) {
        probePortProber.join(60_000);
      }
      return new Result(
          connections,
          seconds,
          accepted,
          ids,
          shed,
          shedBare,
          others,
          errors,
          errorSamples,
          live.micros,
          live.failures,
          onProbePort.micros,
          onProbePort.failures);
    }
  }

  /** One keep-alive connection of the flood: a request, its answer, the next request. */
  private static final class Flow {
    private final InetSocketAddress address;
    private final byte[] request;
    private ByteBuffer out;
    private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private long sentAt;

    Flow(InetSocketAddress address, byte[] request) {
      this.address = address;
      this.request = request;
    }

    SelectionKey open(Selector selector) throws IOException {
      SocketChannel ch = SocketChannel.open(address);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.configureBlocking(false);
      return ch.register(selector, 0, this);
    }

    void reopen(SelectionKey k, Selector selector) {
      try {
        k.channel().close();
      } catch (IOException e) {
        // replaced below
      }
      in.clear();
      sentAt = 0;
      try {
        send(open(selector));
      } catch (IOException e) {
        // the server is gone: this connection ends
      }
    }

    void send(SelectionKey k) throws IOException {
      out = ByteBuffer.wrap(request);
      sentAt = System.nanoTime();
      write(k);
    }

    void write(SelectionKey k) throws IOException {
      ((SocketChannel) k.channel()).write(out);
      k.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** The next complete answer in the buffer, reading what has arrived; null when incomplete. */
    Answer read(SelectionKey k) throws IOException {
      Answer a = parse();
      if (a != null) {
        return a;
      }
      if (!in.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
        in.flip();
        bigger.put(in);
        in = bigger;
      }
      int n = ((SocketChannel) k.channel()).read(in);
      if (n < 0) {
        throw new IOException("closed by the server without an answer");
      }
      return parse();
    }

    private Answer parse() throws IOException {
      byte[] a = in.array();
      int limit = in.position();
      int headerEnd = -1;
      for (int i = 3; i < limit; i++) {
        if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
          headerEnd = i + 1;
          break;
        }
      }
      if (headerEnd < 0) {
        return null;
      }
      String head = new String(a, 0, headerEnd, StandardCharsets.ISO_8859_1);
      if (!head.startsWith("HTTP/1.1 ")) {
        throw new IOException("not HTTP: " + head);
      }
      int status = Integer.parseInt(head.substring(9, 12));
      long length = 0;
      boolean retryAfter = false;
      boolean close = false;
      for (String h : head.split("\r\n")) {
        String lower = h.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(h.substring(15).trim());
        } else if (lower.startsWith("retry-after:")) {
          retryAfter = true;
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          close = true;
        }
      }
      if (limit < headerEnd + length) {
        return null;
      }
      long micros = (System.nanoTime() - sentAt) / 1000;
      String body = new String(a, headerEnd, (int) length, StandardCharsets.UTF_8);
      int used = headerEnd + (int) length;
      System.arraycopy(a, used, a, 0, limit - used);
      in.position(limit - used);
      sentAt = 0;
      return new Answer(status, retryAfter, close, body, micros);
    }
  }

  /** Asks /health/live every 50 ms on a connection of its own until the end of the flood. */
  private static final class Liveness implements Runnable {
    private final int port;
    volatile long end;
    final List<Long> micros = new ArrayList<>();
    int failures;

    Liveness(int port) {
      this.port = port;
    }

    @Override
    public void run() {
      byte[] live =
          "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.UTF_8);
      Conn probe = null;
      long next = System.nanoTime();
      while (System.nanoTime() < end) {
        next += 50_000_000L;
        try {
          if (probe == null) {
            probe = new Conn(port);
          }
          long p0 = System.nanoTime();
          int status = probe.exchange(live);
          long us = (System.nanoTime() - p0) / 1000;
          if (status == 200) {
            micros.add(us);
          } else {
            failures++;
          }
        } catch (IOException e) {
          failures++;
          if (probe != null) {
            probe.close();
          }
          probe = null;
        }
        long wait = next - System.nanoTime();
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait); // the probe's own pace, not a wait for the server
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      if (probe != null) {
        probe.close();
      }
    }
  }

  private static void sample(List<String> samples, String s) {
    if (samples.size() < 10) {
      samples.add(s.length() > 300 ? s.substring(0, 300) : s);
    }
  }

  private record Answer(int status, boolean retryAfter, boolean close, String body, long micros) {}

  /** The probe's keep-alive HTTP/1.1 connection (every answer has a length). */
  private static final class Conn {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Conn(int port) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(30_000);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 8 * 1024);
      out = socket.getOutputStream();
    }

    int exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String status = line();
      if (status == null || !status.startsWith("HTTP/1.1 ")) {
        throw new IOException("no answer: " + status);
      }
      long length = 0;
      String h;
      while ((h = line()) != null && !h.isEmpty()) {
        if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(h.substring(15).trim());
        }
      }
      if (in.readNBytes((int) length).length < length) {
        throw new IOException("the answer was cut short");
      }
      return Integer.parseInt(status.substring(9, 12));
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          int n = b.length();
          return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
        }
        b.append((char) c);
      }
      return b.length() == 0 ? null : b.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
