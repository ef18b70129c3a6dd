package dev.augur.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes the server holds for requests, bounded over every request: the request bodies being read
 * ({@link BodyReader}) and the answers held for clients still reading them ({@link Http#sendBytes}:
 * written from the I/O thread, an answer frees its worker at once, but its bytes stay in memory
 * until the client has them). Without a bound, many clients that send slowly or read nothing would
 * hold as much memory as they like. Thread-safe.
 */
final class ByteBudget {
  /** The server's bound on answers, on every exchange it serves ({@link Http#sendBytes}). */
  static final AttachmentKey<ByteBudget> ANSWERS = AttachmentKey.create(ByteBudget.class);

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  ByteBudget(long limit) {
    this.limit = limit;
  }

  /** Takes {@code bytes}; false, taking nothing, when they would go over the bound. */
  boolean take(long bytes) {
    if (held.addAndGet(bytes) > limit) {
      held.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /** Gives back bytes taken before. */
  void giveBack(long bytes) {
    held.addAndGet(-bytes);
  }

  /** Takes {@code bytes} until the exchange ends; false, taking nothing, over the bound. */
  boolean takeUntilTheEnd(HttpServerExchange ex, long bytes) {
    if (!take(bytes)) {
      return false;
    }
    ex.addExchangeCompleteListener(
        (e, step) -> {
          try {
            giveBack(bytes);
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
