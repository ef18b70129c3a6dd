package dev.augur.server;

import dev.augur.core.OverloadedException;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.AttachmentKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the server lets in, decided on the I/O thread before any work is queued.
 *
 * <ul>
 *   <li>{@link #outer}: every request is counted so that a shutdown can wait for the ones in
 *       flight; once the shutdown has begun, new ones get 503 {@code Shutting down} with {@code
 *       Retry-After} (and the connection is closed, so the client reconnects elsewhere).
 *   <li>{@link #toWorkers}: requests handed to the worker threads and not yet done with are bounded
 *       by the number of workers. Beyond it a request gets 503 {@code Overloaded} with {@code
 *       Retry-After} at once instead of waiting in the workers' queue: under a flood the requests
 *       let in keep their latency, and the probes (answered on the I/O thread) keep answering.
 * </ul>
 */
final class Admission {
  private final int workerLimit;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger dispatched = new AtomicInteger();
  private final Object drained = new Object();
  private volatile boolean closing;

  Admission(int workerLimit) {
    this.workerLimit = workerLimit;
  }

  /** Counts every request for the drain; refuses new ones once the shutdown has begun. */
  HttpHandler outer(HttpHandler next) {
    return ex -> {
      // counted before the flag is read: a request is either waited for or refused, never lost
      active.incrementAndGet();
      if (closing) {
        leave();
        ex.setPersistent(false);
        Http.refuse(ex, Problems.shuttingDown());
        return;
      }
      ex.addExchangeCompleteListener(
          (e, step) -> {
            try {
              leave();
            } finally {
              step.proceed();
            }
          });
      next.handleRequest(ex);
    };
  }

  /**
   * Hands a request to the workers, in blocking mode, when one is free for it; beyond, 503 on this
   * thread. The place is given back when the worker is done with the request, which may be before
   * the client has read the answer ({@link Http#sendBytes} writes it from the I/O thread).
   */
  HttpHandler toWorkers(HttpHandler next) {
    HttpHandler onWorker =
        new BlockingHandler(
            ex -> {
              try {
                next.handleRequest(ex);
              } finally {
                ex.getAttachment(PLACE).giveBack();
              }
            });
    return ex -> {
      if (dispatched.incrementAndGet() > workerLimit) {
        dispatched.decrementAndGet();
        Http.refuse(
            ex,
            Problems.of(
                new OverloadedException(
                    "the server is at its limit of "
                        + workerLimit
                        + " requests in flight; retry shortly")));
        return;
      }
      Place place = new Place();
      ex.putAttachment(PLACE, place);
      // also when the request never reaches a worker (the workers refuse it while stopping)
      ex.addExchangeCompleteListener(
          (e, step) -> {
            try {
              place.giveBack();
            } finally {
              step.proceed();
            }
          });
      onWorker.handleRequest(ex);
    };
  }

  private static final AttachmentKey<Place> PLACE = AttachmentKey.create(Place.class);

  /** A request's place among the workers, given back once. */
  private final class Place {
    private final AtomicBoolean held = new AtomicBoolean(true);

    void giveBack() {
      if (held.compareAndSet(true, false)) {
        dispatched.decrementAndGet();
      }
    }
  }

  /** Requests handed to the workers that the workers are not done with (for tests). */
  int dispatched() {
    return dispatched.get();
  }

  /** Refuses new requests from now on. */
  void shutdown() {
    closing = true;
  }

  /** Waits until the requests in flight have been answered; false when the time ran out. */
  boolean awaitDrained(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    synchronized (drained) {
      long left;
      while (active.get() > 0) {
        left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        drained.wait(Math.max(1, left / 1_000_000L));
      }
    }
    return true;
  }

  private void leave() {
    if (active.decrementAndGet() == 0 && closing) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }
}
