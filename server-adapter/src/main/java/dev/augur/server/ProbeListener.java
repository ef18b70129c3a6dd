package dev.augur.server;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import org.xnio.Options;

/**
 * The health probes on a port of their own ({@link AugurServer.Builder#probePort}): one I/O thread
 * and two workers that nothing else uses. On the main port a probe waits its turn behind every busy
 * connection the I/O threads serve (at 1,024 connections, a p99 of 150–190 ms on two idle cores and
 * over a second on busy ones); here it is the only work, so an orchestrator's liveness probe is
 * answered in milliseconds while the API is flooded.
 *
 * <p>Answers {@code GET /health/live} and {@code /v2/health/live} on the I/O thread, and {@code GET
 * /health/ready}, {@code /v2/health/ready} and {@code /ping} on a worker (readiness may ask the
 * database); the answers are the main port's own. Anything else is 404: the port carries no data
 * and needs no key.
 */
final class ProbeListener {
  private static final Set<String> READY = Set.of("/health/ready", "/v2/health/ready", "/ping");

  private final Undertow undertow;
  private volatile int boundPort = -1;

  /**
   * @param routes the main port's route table, which answers the probe routes
   */
  ProbeListener(String host, int port, Duration readTimeout, Routes routes) {
    HttpHandler table = routes.handler();
    HttpHandler probes =
        ex -> {
          String path = ex.getRequestPath();
          if (routes.answersOnIoThread(ex)) { // liveness, as on the main port
            table.handleRequest(ex);
          } else if (READY.contains(path)) {
            ex.dispatch(table);
          } else {
            ex.setPersistent(false);
            Http.sendProblem(
                ex,
                Problems.of(
                    HttpProblem.notFound(
                        "this port answers only the health probes (/health/live, /health/ready,"
                            + " /v2/health/live, /v2/health/ready, /ping), not "
                            + path)));
          }
        };
    this.undertow =
        Undertow.builder()
            .addHttpListener(port, host)
            .setIoThreads(1)
            .setWorkerThreads(2)
            .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 1024L)
            .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 8 * 1024)
            .setServerOption(UndertowOptions.MAX_PARAMETERS, 16)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) readTimeout.toMillis())
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) readTimeout.toMillis())
            .setSocketOption(Options.READ_TIMEOUT, (int) readTimeout.toMillis())
            .setSocketOption(Options.WRITE_TIMEOUT, (int) readTimeout.toMillis())
            .setHandler(probes)
            .build();
  }

  void start() {
    undertow.start();
    boundPort = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  /** The bound port; -1 before {@link #start()}. */
  int port() {
    return boundPort;
  }

  void stop() {
    AugurServer.stop(undertow);
  }
}
