package dev.augur.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/** The outermost handler: metrics and the access log for every request, CORS when configured. */
final class Edge implements HttpHandler {
  private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
  private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
  private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
  private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");

  private final HttpHandler next;
  private final AugurServer.Settings settings;
  private final ServerMetrics metrics;
  private final AccessLog accessLog;

  Edge(
      HttpHandler next, AugurServer.Settings settings, ServerMetrics metrics, AccessLog accessLog) {
    this.next = next;
    this.settings = settings;
    this.metrics = metrics;
    this.accessLog = accessLog;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    long t0 = System.nanoTime();
    ex.addExchangeCompleteListener(
        (e, step) -> {
          try {
            metrics.request(e, t0);
            accessLog.log(e, t0);
          } finally {
            step.proceed();
          }
        });
    if (!settings.corsOrigins().isEmpty() && cors(ex)) {
      return;
    }
    next.handleRequest(ex);
  }

  /** Adds CORS headers for an allowed origin; answers a preflight. True when answered. */
  private boolean cors(HttpServerExchange ex) {
    String origin = ex.getRequestHeaders().getFirst(Headers.ORIGIN);
    if (origin == null) {
      return false;
    }
    boolean any = settings.corsOrigins().contains("*");
    if (!any && !settings.corsOrigins().contains(origin)) {
      return false;
    }
    ex.getResponseHeaders().put(ALLOW_ORIGIN, any ? "*" : origin);
    if (!any) {
      ex.getResponseHeaders().put(Headers.VARY, "Origin");
    }
    if (ex.getRequestMethod().equals(Methods.OPTIONS)) {
      ex.getResponseHeaders().put(ALLOW_METHODS, "GET, POST, PUT, OPTIONS");
      ex.getResponseHeaders().put(ALLOW_HEADERS, "Content-Type, Authorization, X-API-Key, Accept");
      ex.getResponseHeaders().put(MAX_AGE, 600);
      ex.setStatusCode(204);
      ex.endExchange();
      return true;
    }
    return false;
  }
}
