package dev.augur.core.batch;

import dev.augur.core.AugurException;
import dev.augur.core.OverloadedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges concurrent single requests into batches, handing each caller exactly its own result. There
 * is no batching thread: callers run the batches themselves. A lone caller runs at once, on its own
 * thread, without waiting (up to {@code inlineCallers} of them at once). Beyond that a caller
 * queues its request and, if fewer than {@code inlineCallers} callers are running batches, becomes
 * one of them (a leader): it takes what is queued (up to {@code maxBatchSize}), runs it, completes
 * the others' results and wakes them, until its own result is done; then it wakes the caller at the
 * head of the queue to take over. The other callers sleep until their result is done or they are
 * woken to lead. A leader waits up to {@code maxDelay} for company only while other callers are on
 * their way (have entered {@link #call} and not yet reached the queue): it never waits on an empty
 * queue for callers that are busy elsewhere. The queue is bounded: beyond it {@link #call} fails
 * with {@link OverloadedException}. A runner that throws, even an {@link Error}, fails only its
 * batch's callers. Thread-safe; {@link #close()} refuses new calls and waits for those in flight
 * (idempotent).
 *
 * <p>Running the batch on a caller's thread saves the hand-offs of a dedicated batching thread: the
 * leader is never woken for its own result, and only the callers whose results it completes are.
 *
 * @param <I> one request
 * @param <O> one result
 */
public final class MicroBatcher<I, O> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);
  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int maxBatchSize;
  private final int inlineCallers;
  private final long maxDelayNanos;
  private final Function<List<I>, List<O>> runner;
  private final BlockingQueue<Pending<I, O>> queue;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Callers inside {@link #call} that have not yet queued or started their request. */
  private final AtomicInteger arriving = new AtomicInteger();

  /** Callers running queued batches now (at most {@code inlineCallers}). */
  private final AtomicInteger leaders = new AtomicInteger();

  private final BatchListener listener;
  private volatile boolean closed;

  /** Observes batches, e.g. for metrics. Called on the thread that ran the batch. */
  @FunctionalInterface
  public interface BatchListener {
    /** A batch of {@code size} requests ran; the oldest had waited {@code queueNanos}. */
    void onBatch(int size, long queueNanos);
  }

  /**
   * Creates a batcher.
   *
   * @param name names the batcher (kept for logs)
   * @param maxBatchSize the largest batch (at least 1)
   * @param maxDelayMillis how long the first request of a batch may wait for others
   * @param maxQueue the bound of the queue
   * @param runner runs one batch; must return one result per request, in order
   * @param listener observes batches
   */
  public MicroBatcher(
      String name,
      int maxBatchSize,
      double maxDelayMillis,
      int maxQueue,
      Function<List<I>, List<O>> runner,
      BatchListener listener) {
    this(name, maxBatchSize, maxDelayMillis, maxQueue, 1, runner, listener);
  }

  /**
   * Creates a batcher whose first {@code inlineCallers} concurrent callers run at once on their own
   * threads (as a lone caller does): below that concurrency batching costs more than it saves;
   * above it, requests are batched, by at most {@code inlineCallers} callers at once.
   */
  public MicroBatcher(
      String name,
      int maxBatchSize,
      double maxDelayMillis,
      int maxQueue,
      int inlineCallers,
      Function<List<I>, List<O>> runner,
      BatchListener listener) {
    if (maxBatchSize < 1 || maxQueue < 1 || inlineCallers < 1) {
      throw new IllegalArgumentException("maxBatchSize and maxQueue must be at least 1");
    }
    Objects.requireNonNull(name, "name");
    this.maxBatchSize = maxBatchSize;
    this.inlineCallers = inlineCallers;
    this.maxDelayNanos = (long) (maxDelayMillis * 1_000_000);
    this.runner = Objects.requireNonNull(runner, "runner");
    this.listener = listener == null ? (s, q) -> {} : listener;
    this.queue = new ArrayBlockingQueue<>(maxQueue);
  }

  /**
   * Runs one request, batched with concurrent ones when there are any.
   *
   * @throws OverloadedException when the queue is full or the batcher is closed
   */
  public O call(I request) {
    if (closed) {
      throw new OverloadedException("the model is shutting down");
    }
    arriving.incrementAndGet();
    int concurrent = inFlight.incrementAndGet();
    boolean arrived = false;
    try {
      if (concurrent <= inlineCallers && queue.isEmpty()) {
        arriving.decrementAndGet();
        arrived = true;
        listener.onBatch(1, 0);
        return runChecked(List.of(request)).get(0);
      }
      Pending<I, O> p = new Pending<>(request, System.nanoTime(), Thread.currentThread());
      boolean queued = queue.offer(p);
      arriving.decrementAndGet();
      arrived = true;
      if (!queued) {
        throw new OverloadedException(
            "the prediction queue is full (" + (queue.size() + queue.remainingCapacity()) + ")");
      }
      return await(p);
    } finally {
      if (!arrived) {
        arriving.decrementAndGet();
      }
      inFlight.decrementAndGet();
    }
  }

  /** How many requests wait in the queue now. */
  public int queued() {
    return queue.size();
  }

  private List<O> runChecked(List<I> batch) {
    List<O> out = runner.apply(batch);
    if (out.size() != batch.size()) {
      throw new IllegalStateException(
          "batch runner returned " + out.size() + " results for " + batch.size() + " requests");
    }
    return out;
  }

  /** Leads batches while there is room for a leader, else sleeps, until the result is done. */
  private O await(Pending<I, O> p) {
    while (!p.done) {
      if (tryLead()) {
        try {
          lead(p);
        } finally {
          leaders.decrementAndGet();
          wakeHead();
        }
        if (p.done) {
          break;
        }
        // another leader is running our request: its completion wakes us
      }
      LockSupport.park(this);
      if (Thread.interrupted() && !p.done) {
        // whoever was to lead after us must not be left asleep
        wakeHead();
        Thread.currentThread().interrupt();
        throw new AugurException("interrupted while waiting for a prediction");
      }
    }
    Throwable e = p.failure;
    if (e == null) {
      return p.result;
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    throw new AugurException("prediction failed", e);
  }

  private boolean tryLead() {
    int n;
    while ((n = leaders.get()) < inlineCallers) {
      if (leaders.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Wakes the caller at the head of the queue, to lead if there is room. */
  private void wakeHead() {
    Pending<I, O> head = queue.peek();
    if (head != null) {
      LockSupport.unpark(head.waiter);
    }
  }

  /** Runs queued batches until {@code mine} is done or another leader has taken it. */
  private void lead(Pending<I, O> mine) {
    List<Pending<I, O>> batch = new ArrayList<>(maxBatchSize);
    while (!mine.done) {
      try {
        queue.drainTo(batch, maxBatchSize);
        if (batch.isEmpty()) {
          return; // another leader runs it: its completion wakes us
        }
        long deadline = batch.get(0).enqueuedNanos + maxDelayNanos;
        while (batch.size() < maxBatchSize) {
          Pending<I, O> next = queue.poll();
          if (next != null) {
            batch.add(next);
            continue;
          }
          // wait for company only while callers are on their way to the queue: callers whose
          // results are done but who have not returned yet, or who run inline, will not come
          long left = deadline - System.nanoTime();
          if (left <= 0 || arriving.get() <= 0) {
            break;
          }
          next = queue.poll(Math.min(left, 200_000), TimeUnit.NANOSECONDS);
          if (next != null) {
            batch.add(next);
          }
        }
        runBatch(batch);
      } catch (InterruptedException e) {
        // keep leading: our batch holds other callers' requests; the flag is for our caller
        Thread.currentThread().interrupt();
        runBatch(batch);
      } catch (Throwable e) {
        // even an Error (an OutOfMemoryError under pressure) must not leave callers waiting
        log.error("micro-batch failed", e);
        for (Pending<I, O> p : batch) {
          p.complete(null, e);
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void runBatch(List<Pending<I, O>> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<I> requests = new ArrayList<>(batch.size());
    for (Pending<I, O> p : batch) {
      requests.add(p.request);
    }
    listener.onBatch(batch.size(), System.nanoTime() - batch.get(0).enqueuedNanos);
    List<O> out;
    try {
      out = runChecked(requests);
    } catch (Throwable e) {
      for (Pending<I, O> p : batch) {
        p.complete(null, e);
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(out.get(i), null);
    }
  }

  /** Refuses new calls and waits (up to 10 s) for those in flight. Idempotent. */
  @Override
  public void close() {
    closed = true;
    long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** One queued request: its caller sleeps on it until it is done (or it is woken to lead). */
  private static final class Pending<I, O> {
    final I request;
    final long enqueuedNanos;
    final Thread waiter;
    O result;
    Throwable failure;
    volatile boolean done;

    Pending(I request, long enqueuedNanos, Thread waiter) {
      this.request = request;
      this.enqueuedNanos = enqueuedNanos;
      this.waiter = waiter;
    }

    void complete(O value, Throwable error) {
      if (done) {
        return;
      }
      result = value;
      failure = error;
      done = true;
      if (waiter != Thread.currentThread()) {
        LockSupport.unpark(waiter);
      }
    }
  }
}
