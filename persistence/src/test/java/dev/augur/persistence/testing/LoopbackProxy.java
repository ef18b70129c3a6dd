package dev.augur.persistence.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback to a local port that a test can cut (and restart) to simulate an outage.
 */
public final class LoopbackProxy implements AutoCloseable {
  private final int target;
  private final int port;

  /** The proxy's own port on 127.0.0.1. */
  public int port() {
    return port;
  }

  private volatile ServerSocket server;
  private final Object gate = new Object();
  private boolean stalled;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public LoopbackProxy(int target) throws IOException {
    this.target = target;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    }
  }

  public void start() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = s;
    Thread accept =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                Socket client;
                try {
                  client = s.accept();
                } catch (IOException e) {
                  return;
                }
                try {
                  Socket db = new Socket(InetAddress.getLoopbackAddress(), target);
                  sockets.add(client);
                  sockets.add(db);
                  pipe(client, db);
                  pipe(db, client);
                } catch (IOException e) {
                  // the database refuses (stopped or restarting): so does the proxy, for this one
                  closeQuietly(client);
                }
              }
            });
    accept.setDaemon(true);
    accept.start();
  }

  private void pipe(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  awaitFlowing();
                  out.write(buf, 0, n);
                }
              } catch (IOException e) {
                // link cut
              }
              closeQuietly(from);
              closeQuietly(to);
            });
    t.setDaemon(true);
    t.start();
  }

  /**
   * Stops forwarding without closing anything: connections are still accepted and bytes still read,
   * but none is passed on until {@link #resume()}, as when a database host stops answering.
   */
  public void stall() {
    synchronized (gate) {
      stalled = true;
    }
  }

  /** Passes on what was held and forwards again. */
  public void resume() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  private void awaitFlowing() throws IOException {
    synchronized (gate) {
      while (stalled) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while stalled", e);
        }
      }
    }
  }

  public void cut() {
    closeQuietly(server);
    sockets.forEach(LoopbackProxy::closeQuietly);
    sockets.clear();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
    resume(); // the stalled copies find their sockets closed and end
  }
}
