package dev.augur.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/**
 * The outermost handler: metrics and the access log for every request, CORS when configured, and
 * the refusal of cross-site requests that change something (a form or an {@code <img>} on another
 * site posting to Augur through a visitor's browser).
 */
final class Edge implements HttpHandler {
  private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
  private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
  private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
  private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
  private static final HttpString SEC_FETCH_SITE = new HttpString("Sec-Fetch-Site");
  private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
  private static final HttpString CSP = new HttpString("Content-Security-Policy");
  private static final HttpString FRAME_OPTIONS = new HttpString("X-Frame-Options");

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
    // no other site may frame the page (its outcome button could be clickjacked), and no answer is
    // sniffed into another type (review L6)
    ex.getResponseHeaders().put(NOSNIFF, "nosniff");
    ex.getResponseHeaders().put(CSP, "frame-ancestors 'none'");
    ex.getResponseHeaders().put(FRAME_OPTIONS, "DENY");
    if (!settings.corsOrigins().isEmpty() && cors(ex)) {
      return;
    }
    String refused = crossSite(ex);
    if (refused != null) {
      ex.setPersistent(false); // its body, if any, stays unread
      Http.sendProblem(
          ex,
          Problems.of(
              new HttpProblem(
                  403,
                  "Forbidden",
                  "a cross-site request from "
                      + refused
                      + " may not change anything here; allow its origin with --cors-origin")));
      return;
    }
    next.handleRequest(ex);
  }

  /**
   * The origin of a request that a browser sends from another site and that has effects (any method
   * but GET, HEAD and OPTIONS, and the GET predict routes, which record a prediction), unless the
   * origin is allowed by CORS; null when the request may go on. A browser names the page's origin
   * in {@code Origin} on such requests (and {@code Sec-Fetch-Site: cross-site} on an {@code <img>}
   * or a link); clients that are not browsers (curl, SDKs) send neither and are not affected.
   */
  private String crossSite(HttpServerExchange ex) {
    HttpString method = ex.getRequestMethod();
    boolean safe =
        method.equals(Methods.GET) || method.equals(Methods.HEAD) || method.equals(Methods.OPTIONS);
    if (safe && !(method.equals(Methods.GET) && ex.getRequestPath().endsWith("/predict"))) {
      return null;
    }
    String origin = ex.getRequestHeaders().getFirst(Headers.ORIGIN);
    if (origin == null) {
      String site = ex.getRequestHeaders().getFirst(SEC_FETCH_SITE);
      return "cross-site".equalsIgnoreCase(site) ? "another site" : null;
    }
    if (settings.corsOrigins().contains("*") || settings.corsOrigins().contains(origin)) {
      return null;
    }
    // the same origin: the page and /docs served by this server (scheme aside: a proxy may end
    // TLS; and the host the proxy was asked for, when it says so)
    int sep = origin.indexOf("://");
    String authority = sep > 0 ? origin.substring(sep + 3) : "";
    for (HttpString h : new HttpString[] {Headers.HOST, Headers.X_FORWARDED_HOST}) {
      String host = ex.getRequestHeaders().getFirst(h);
      if (host != null && authority.equalsIgnoreCase(host)) {
        return null;
      }
    }
    return origin.length() > 100 ? origin.substring(0, 100) + "…" : origin;
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
