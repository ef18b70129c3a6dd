package dev.augur.core.batch;

import dev.augur.core.AugurException;
import dev.augur.core.ClosedException;
import dev.augur.core.OverloadedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges concurrent single requests into batches run by one worker thread, handing each caller
 * exactly its own result. A lone caller runs at once, on its own thread, without waiting; the
 * worker waits up to {@code maxDelay} for company only while other callers are on their way (have
 * entered {@link #call} and not yet reached the queue): it never waits on an empty queue for
 * callers that are busy elsewhere. The queue is bounded: beyond it {@link #call} fails with {@link
 * OverloadedException}. A runner that throws, even an {@link Error}, fails only its batch's callers
 * and the worker carries on. Thread-safe; {@link #close()} stops the worker after the queued work
 * is done (idempotent).
 *
 * @param <I> one request
 * @param <O> one result
 */
public final class MicroBatcher<I, O> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

  private final int maxBatchSize;
  private final int inlineCallers;
  private final long maxDelayNanos;
  private final Function<List<I>, List<O>> runner;
  private final BlockingQueue<Pending<I, O>> queue;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Callers inside {@link #call} that have not yet queued or started their request. */
  private final AtomicInteger arriving = new AtomicInteger();

  private final Thread worker;
  private final BatchListener listener;
  private volatile boolean closed;
  // set by the worker before its last look at the queue: a request queued after that is withdrawn
  // by its caller, so none waits for a worker that has gone
  private volatile boolean stopped;

  /** Observes batches, e.g. for metrics. Called on the thread that ran the batch. */
  @FunctionalInterface
  public interface BatchListener {
    /** A batch of {@code size} requests ran; the oldest had waited {@code queueNanos}. */
    void onBatch(int size, long queueNanos);
  }

  /**
   * Creates a batcher and starts its worker thread.
   *
   * @param name names the worker thread
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
   * threads (as a lone caller does): below that concurrency handing work to the batching thread
   * costs more than it saves; above it, requests are batched.
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
    this.maxBatchSize = maxBatchSize;
    this.inlineCallers = inlineCallers;
    this.maxDelayNanos = (long) (maxDelayMillis * 1_000_000);
    this.runner = Objects.requireNonNull(runner, "runner");
    this.listener = listener == null ? (s, q) -> {} : listener;
    this.queue = new ArrayBlockingQueue<>(maxQueue);
    this.worker = new Thread(this::work, "augur-batcher-" + name);
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /**
   * Runs one request, batched with concurrent ones when there are any.
   *
   * @throws OverloadedException when the queue is full
   * @throws ClosedException when the batcher is closed or closing
   */
  public O call(I request) {
    if (closed) {
      throw shuttingDown();
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
      Pending<I, O> p = new Pending<>(request, System.nanoTime());
      boolean queued = queue.offer(p);
      arriving.decrementAndGet();
      arrived = true;
      if (!queued) {
        throw new OverloadedException(
            "the prediction queue is full (" + (queue.size() + queue.remainingCapacity()) + ")");
      }
      if (stopped && queue.remove(p)) {
        throw shuttingDown();
      }
      return join(p.result);
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

  private static <O> O join(CompletableFuture<O> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AugurException("interrupted while waiting for a prediction", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new AugurException("prediction failed", c);
    }
  }

  private void work() {
    List<Pending<I, O>> batch = new ArrayList<>(maxBatchSize);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = first.enqueuedNanos + maxDelayNanos;
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
        Thread.currentThread().interrupt();
        break;
      } catch (Throwable e) {
        // even an Error (an OutOfMemoryError under pressure) must not end the worker or leave
        // its callers waiting for ever
        log.error("micro-batch failed", e);
        for (Pending<I, O> p : batch) {
          p.result.completeExceptionally(e);
        }
      } finally {
        batch.clear();
      }
    }
    stopped = true;
    Pending<I, O> p;
    while ((p = queue.poll()) != null) {
      p.result.completeExceptionally(shuttingDown());
    }
  }

  private static ClosedException shuttingDown() {
    return new ClosedException("the model is shutting down");
  }

  private void runBatch(List<Pending<I, O>> batch) {
    List<I> requests = new ArrayList<>(batch.size());
    for (Pending<I, O> p : batch) {
      requests.add(p.request);
    }
    listener.onBatch(batch.size(), System.nanoTime() - batch.get(0).enqueuedNanos);
    try {
      List<O> out = runChecked(requests);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(out.get(i));
      }
    } catch (Throwable e) {
      for (Pending<I, O> p : batch) {
        p.result.completeExceptionally(e);
      }
    }
  }

  /** Stops accepting requests, finishes the queued ones and stops the worker. Idempotent. */
  @Override
  public void close() {
    closed = true;
    try {
      worker.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Pending<I, O>(I request, long enqueuedNanos, CompletableFuture<O> result) {
    Pending(I request, long enqueuedNanos) {
      this(request, enqueuedNanos, new CompletableFuture<>());
    }
  }
}
