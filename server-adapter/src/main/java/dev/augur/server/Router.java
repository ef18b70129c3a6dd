package dev.augur.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table the {@link Service}s add to. Every route is tagged for the metrics, checks the
 * API key (unless {@link OpenApi#OPEN}) before its body is read, and turns whatever it throws into
 * an answer in its service's {@link ErrorForm}: problem+json unless the service chose another with
 * {@link #errors(ErrorForm)}.
 *
 * <p>Not thread-safe while routes are added; the finished table is read by every worker.
 */
final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** A route body; anything it throws becomes an answer in the error form. */
  @FunctionalInterface
  interface Route {
    void handle(HttpServerExchange ex) throws Exception;
  }

  /** How a service writes a failure: problem+json, or a protocol's own error body. */
  @FunctionalInterface
  interface ErrorForm {
    void send(HttpServerExchange ex, Problems.Problem p);
  }

  /** RFC 9457 problem+json, the form of every route but the protocols with their own. */
  static final ErrorForm PROBLEM_JSON = Http::sendProblem;

  private final RoutingHandler handler;
  private final Set<String> registered;
  private final ApiKey key;
  private final ServerMetrics metrics;
  private final ErrorForm errors;

  Router(ApiKey key, ServerMetrics metrics) {
    this(new RoutingHandler(false), new TreeSet<>(), key, metrics, PROBLEM_JSON);
  }

  private Router(
      RoutingHandler handler,
      Set<String> registered,
      ApiKey key,
      ServerMetrics metrics,
      ErrorForm errors) {
    this.handler = handler;
    this.registered = registered;
    this.key = key;
    this.metrics = metrics;
    this.errors = errors;
  }

  /** The same table, whose routes added through the answer fail in {@code form}. */
  Router errors(ErrorForm form) {
    return new Router(handler, registered, key, metrics, form);
  }

  Router get(String template, Route r) {
    return add(Methods.GET, template, r);
  }

  Router post(String template, Route r) {
    return add(Methods.POST, template, r);
  }

  Router put(String template, Route r) {
    return add(Methods.PUT, template, r);
  }

  private Router add(HttpString method, String template, Route r) {
    registered.add(method + " " + template);
    handler.add(
        method,
        template,
        ex -> {
          ex.putAttachment(ServerMetrics.ROUTE, template);
          try {
            if (!OpenApi.OPEN.contains(template) && !(template.equals("/") && Http.wantsPage(ex))) {
              // before the body is read: a client without the key costs no parsing
              key.require(ex);
            }
            r.handle(ex);
          } catch (Throwable t) {
            fail(ex, t);
          }
        });
    return this;
  }

  /** The Undertow handler of the table. */
  RoutingHandler handler() {
    return handler;
  }

  /** Every route as {@code METHOD /template}, for the check that the OpenAPI document has each. */
  Set<String> routes() {
    return Collections.unmodifiableSet(registered);
  }

  private void fail(HttpServerExchange ex, Throwable t) {
    if (ex.isResponseStarted()) {
      // the answer was (partly) sent: a streamed answer broke half-way, or the client or the
      // server went away while it was written; all we can do is end the exchange
      log.debug(
          "{} {} failed after its answer started: {}",
          ex.getRequestMethod(),
          ex.getRequestPath(),
          t.toString());
      ex.setPersistent(false);
      ex.endExchange();
      return;
    }
    Problems.Problem p = Problems.of(t);
    countPredictionError(ex, p);
    errors.send(ex, p);
  }

  /** Routes that predict: their failures count in {@code augur_prediction_errors_total}. */
  static boolean predicts(String route) {
    return route != null
        && (route.endsWith("/predict")
            || route.endsWith("/invocations")
            || route.endsWith("/infer")
            || route.endsWith("/forecast"));
  }

  private void countPredictionError(HttpServerExchange ex, Problems.Problem p) {
    if (!predicts(ex.getAttachment(ServerMetrics.ROUTE))) {
      return;
    }
    // only a model the route resolved: a name from the URL alone would let clients mint series
    RequestContext.of(ex)
        .flatMap(RequestContext::model)
        .ifPresent(
            m -> metrics.predictionError(m, p.title().toLowerCase(Locale.ROOT).replace(' ', '_')));
  }
}
