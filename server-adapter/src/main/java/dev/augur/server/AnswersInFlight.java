package dev.augur.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of answers held for clients still reading them, bounded over every request. An answer
 * written from the I/O thread frees its worker at once, but its bytes stay in memory until the
 * client has read them; without a bound, many clients that ask for large answers and read nothing
 * would hold as much memory as they like. Thread-safe.
 */
final class AnswersInFlight {
  /** The server's bound, on every exchange it serves ({@link Http#sendBytes} looks for it). */
  static final AttachmentKey<AnswersInFlight> KEY = AttachmentKey.create(AnswersInFlight.class);

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  AnswersInFlight(long limit) {
    this.limit = limit;
  }

  /**
   * Holds {@code bytes} for this exchange's answer until the exchange ends; false, holding nothing,
   * when they would go over the bound.
   */
  boolean hold(HttpServerExchange ex, long bytes) {
    long now;
    do {
      now = held.get();
      if (now + bytes > limit) {
        return false;
      }
    } while (!held.compareAndSet(now, now + bytes));
    ex.addExchangeCompleteListener(
        (e, step) -> {
          try {
            held.addAndGet(-bytes);
          } finally {
            step.proceed();
          }
        });
    return true;
  }

  /** Bytes held right now (tests). */
  long held() {
    return held.get();
  }
}
