package dev.augur.server;

import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * Reads request bodies on the I/O thread, as their bytes arrive, before a worker thread is taken: a
 * slow or silent upload holds neither a worker nor memory it has not sent.
 *
 * <ul>
 *   <li>the buffer grows with the bytes received, never from the declared {@code Content-Length};
 *   <li>the bytes of all bodies being read or served at once are bounded ({@code bodies in
 *       flight}); a body that would go over gets 503 with {@code Retry-After};
 *   <li>a body that has not arrived in full within the body timeout gets 408;
 *   <li>a body over the limit (declared or counted) gets 413.
 * </ul>
 *
 * The outcome is attached to the exchange as a {@link Body}; {@link Http#readBody} answers it. The
 * route runs in every case and answers in its own error form. A request without the API key never
 * gets here: {@link AugurServer} sends it to its route unread, which answers 401 or 403.
 */
final class BodyReader {
  /** What the reader made of the body; read by {@link Http#readBody}. */
  record Body(byte[] bytes, Outcome outcome) {}

  /** How reading the body ended. */
  enum Outcome {
    READ,
    TOO_BIG,
    OVER_BUDGET,
    TIMED_OUT
  }

  static final AttachmentKey<Body> BODY = AttachmentKey.create(Body.class);

  private final long maxBody;
  private final long timeoutMillis;
  private final ByteBudget inFlight;

  BodyReader(long maxBody, long budget, java.time.Duration timeout) {
    this.maxBody = maxBody;
    this.inFlight = new ByteBudget(budget);
    this.timeoutMillis = Math.max(1, timeout.toMillis());
  }

  /** Bytes of request bodies held right now (for tests and metrics). */
  long bytesInFlight() {
    return inFlight.held();
  }

  /** Whether the request has a body to read before its route runs. */
  static boolean hasBody(HttpServerExchange ex) {
    return ex.getRequestContentLength() > 0
        || ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
  }

  /** Reads the body on this (I/O) thread, then hands the exchange to {@code next}. */
  void read(HttpServerExchange ex, HttpHandler next) throws Exception {
    if (ex.getRequestContentLength() > maxBody) {
      // refused from its header: nothing is read
      ex.setPersistent(false);
      ex.putAttachment(BODY, new Body(new byte[0], Outcome.TOO_BIG));
      next.handleRequest(ex);
      return;
    }
    new Reading(ex, next).start();
  }

  /** One body being read; confined to the connection's I/O thread. */
  private final class Reading {
    private final HttpServerExchange ex;
    private final HttpHandler next;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    private long taken;
    private long received;
    private boolean tooBig;
    private boolean done;
    private XnioExecutor.Key timer;

    Reading(HttpServerExchange ex, HttpHandler next) {
      this.ex = ex;
      this.next = next;
    }

    void start() {
      ex.addExchangeCompleteListener(
          (e, step) -> {
            inFlight.giveBack(taken);
            taken = 0;
            step.proceed();
          });
      timer =
          ex.getIoThread()
              .executeAfter(
                  () -> {
                    if (!done) {
                      Connectors.executeRootHandler(x -> finish(Outcome.TIMED_OUT), ex);
                    }
                  },
                  timeoutMillis,
                  TimeUnit.MILLISECONDS);
      ex.getRequestReceiver()
          .receivePartialBytes(
              (x, chunk, last) -> {
                if (done) {
                  return;
                }
                received += chunk.length;
                if (received > maxBody) {
                  // drop the rest (up to a bound) so the client reads the 413 rather than a reset
                  tooBig = true;
                  out.reset();
                  if (received > maxBody + Http.DRAIN_LIMIT) {
                    finish(Outcome.TOO_BIG);
                    return;
                  }
                } else if (!tooBig && chunk.length > 0) {
                  if (!take(chunk.length)) {
                    finish(Outcome.OVER_BUDGET);
                    return;
                  }
                  out.write(chunk, 0, chunk.length);
                }
                if (last) {
                  finish(tooBig ? Outcome.TOO_BIG : Outcome.READ);
                }
              },
              (x, e) -> {
                if (e instanceof io.undertow.server.RequestTooBigException) {
                  Connectors.executeRootHandler(y -> finish(Outcome.TOO_BIG), x);
                  return;
                }
                // the client went away or broke the framing: nobody to answer
                done = true;
                if (timer != null) {
                  timer.remove();
                }
                x.setPersistent(false);
                x.endExchange();
              });
    }

    private boolean take(int n) {
      if (!inFlight.take(n)) {
        return false;
      }
      taken += n;
      return true;
    }

    /** Runs within an exchange call on the I/O thread; the route follows on a worker. */
    private void finish(Outcome outcome) {
      if (done) {
        return;
      }
      done = true;
      if (timer != null) {
        timer.remove();
      }
      if (outcome != Outcome.READ) {
        // the rest of the body stays unread: the connection cannot be reused
        ex.getRequestReceiver().pause();
        ex.setPersistent(false);
      }
      byte[] bytes = outcome == Outcome.READ ? out.toByteArray() : new byte[0];
      out.reset();
      ex.putAttachment(BODY, new Body(bytes, outcome));
      try {
        next.handleRequest(ex);
      } catch (Exception e) {
        // the next handler only dispatches to a worker; this is not expected
        ex.setPersistent(false);
        ex.setStatusCode(500);
        ex.endExchange();
      }
    }
  }
}
