package dev.augur.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.augur.core.ClosedException;
import dev.augur.core.OverloadedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

  @Test
  void eachCallerGetsExactlyItsOwnResultUnderConcurrency() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    try (MicroBatcher<Integer, String> b =
        new MicroBatcher<>(
            "t",
            16,
            5,
            10_000,
            batch -> batch.stream().map(i -> "r" + i).toList(),
            (size, q) -> sizes.add(size))) {
      ExecutorService pool = Executors.newFixedThreadPool(32);
      List<Future<String>> fs = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        final int x = i;
        fs.add(pool.submit(() -> b.call(x)));
      }
      for (int i = 0; i < fs.size(); i++) {
        assertThat(fs.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("r" + i);
      }
      pool.shutdown();
    }
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5000);
    assertThat(sizes).allMatch(s -> s <= 16);
  }

  @Test
  void upToInlineCallersRunAtOnceOnTheirOwnThreads() throws Exception {
    // two callers must be inside the runner together: a single batching thread would never get
    // both there, and the barrier would time out
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
    List<String> threads = new CopyOnWriteArrayList<>();
    try (MicroBatcher<Integer, Integer> b =
        new MicroBatcher<>(
            "inline",
            16,
            5,
            100,
            2,
            batch -> {
              threads.add(Thread.currentThread().getName());
              try {
                together.await(10, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException("the callers did not run at once", e);
              }
              return batch;
            },
            (size, q) -> {})) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      Future<Integer> a = pool.submit(() -> b.call(1));
      Future<Integer> c = pool.submit(() -> b.call(2));
      assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(c.get(30, TimeUnit.SECONDS)).isEqualTo(2);
      pool.shutdown();
    }
    assertThat(threads).hasSize(2).noneMatch(t -> t.startsWith("augur-batcher"));
  }

  @Test
  void requestsArrivingDuringABatchAreMergedIntoTheNext() throws Exception {
    // the first caller runs inline and holds there; the second goes to the worker, whose batch
    // holds too; the 8 that come meanwhile queue up and make the next batch together
    CountDownLatch inlineRunning = new CountDownLatch(1);
    CountDownLatch workerRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    try (MicroBatcher<Integer, Integer> b =
        new MicroBatcher<>(
            "t",
            8,
            5_000,
            100,
            batch -> {
              sizes.add(batch.size());
              if (batch.contains(-1)) {
                inlineRunning.countDown();
                await(release);
              }
              if (batch.contains(0)) {
                workerRunning.countDown();
                await(release);
              }
              return batch.stream().map(i -> i * 10).toList();
            },
            null)) {
      CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> b.call(-1));
      assertThat(inlineRunning.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> b.call(0));
      assertThat(workerRunning.await(10, TimeUnit.SECONDS)).isTrue();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Integer>> rest = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        final int x = i;
        rest.add(pool.submit(() -> b.call(x)));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (queued(b) < 8 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(queued(b)).isEqualTo(8);
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(-10);
      assertThat(second.get(10, TimeUnit.SECONDS)).isZero();
      for (int i = 0; i < 8; i++) {
        assertThat(rest.get(i).get(10, TimeUnit.SECONDS)).isEqualTo((i + 1) * 10);
      }
      pool.shutdown();
    }
    assertThat(sizes).as("the 8 that queued during a batch ran as one").contains(8);
  }

  @Test
  void theWorkerDoesNotWaitForCallersThatAreNotOnTheirWay() throws Exception {
    // one caller holds inline; a second goes to the worker: nobody else is coming, so its batch
    // runs at once rather than after the 5 s the worker may wait for company
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inlineRunning = new CountDownLatch(1);
    try (MicroBatcher<Integer, Integer> b =
        new MicroBatcher<>(
            "t",
            8,
            5_000,
            100,
            batch -> {
              if (batch.contains(-1)) {
                inlineRunning.countDown();
                await(release);
              }
              return batch;
            },
            null)) {
      CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> b.call(-1));
      assertThat(inlineRunning.await(10, TimeUnit.SECONDS)).isTrue();
      long t0 = System.nanoTime();
      assertThat(b.call(1)).isEqualTo(1);
      assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
      release.countDown();
      assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }
  }

  @Test
  void aFullQueueRejectsWithOverload() throws Exception {
    java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
    CountDownLatch release = new CountDownLatch(1);
    try (MicroBatcher<Integer, Integer> b =
        new MicroBatcher<>(
            "t",
            1,
            0,
            2,
            batch -> {
              entered.release();
              await(release);
              return batch;
            },
            null)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      // the lone caller runs on its own thread; the second goes to the worker, which then blocks
      Future<Integer> lone = pool.submit(() -> b.call(0));
      assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      Future<Integer> inWorker = pool.submit(() -> b.call(1));
      assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      List<Future<Integer>> queued = new ArrayList<>();
      queued.add(pool.submit(() -> b.call(2)));
      queued.add(pool.submit(() -> b.call(3)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (queued(b) < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThatThrownBy(() -> b.call(4))
          .isInstanceOf(OverloadedException.class)
          .hasMessageContaining("queue is full");
      release.countDown();
      assertThat(lone.get(10, TimeUnit.SECONDS)).isZero();
      assertThat(inWorker.get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(queued.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(queued.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(3);
      pool.shutdown();
    }
  }

  @Test
  void aFailingBatchFailsOnlyItsCallersAndTheBatcherGoesOn() {
    try (MicroBatcher<Integer, Integer> b =
        new MicroBatcher<>(
            "t",
            4,
            0,
            10,
            batch -> {
              if (batch.contains(13)) {
                throw new IllegalArgumentException("unlucky");
              }
              return batch;
            },
            null)) {
      assertThatThrownBy(() -> b.call(13)).hasMessage("unlucky");
      assertThat(b.call(7)).isEqualTo(7);
    }
  }

  @Test
  void anErrorInTheWorkerFailsItsCallersAndTheWorkerGoesOn() throws Exception {
    java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
    CountDownLatch release = new CountDownLatch(1);
    try (MicroBatcher<Integer, Integer> b =
        new MicroBatcher<>(
            "t",
            4,
            0,
            10,
            batch -> {
              if (batch.contains(0)) {
                entered.release();
                await(release);
              }
              if (batch.contains(13)) {
                throw new StackOverflowError("deep model");
              }
              return batch;
            },
            null)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      // the lone caller runs on its own thread and holds; the next call goes to the worker
      Future<Integer> lone = pool.submit(() -> b.call(0));
      assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
      Future<Integer> doomed = pool.submit(() -> b.call(13));
      assertThatThrownBy(() -> doomed.get(10, TimeUnit.SECONDS))
          .as("the caller of a batch that threw an Error gets an exception, not a hang")
          .hasRootCauseInstanceOf(StackOverflowError.class);
      // the worker survived: a call that must go through it still answers
      Future<Integer> after = pool.submit(() -> b.call(7));
      assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(7);
      release.countDown();
      assertThat(lone.get(10, TimeUnit.SECONDS)).isZero();
      pool.shutdown();
    }
  }

  private static int queued(MicroBatcher<?, ?> b) {
    return b.queued();
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aCallAfterCloseIsRefusedAsShuttingDownNotOverloaded() {
    MicroBatcher<Integer, Integer> b = new MicroBatcher<>("t", 8, 1, 16, batch -> batch, null);
    b.close();
    // security review L1: the server answers ClosedException 503 "Shutting down", not "Overloaded"
    assertThatThrownBy(() -> b.call(1))
        .isInstanceOf(ClosedException.class)
        .hasMessageContaining("shutting down");
  }

  @Test
  void callsRacingCloseEachGetAResultOrClosedAndNoneWaitsForTheGoneWorker() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 50; round++) {
        MicroBatcher<Integer, Integer> b =
            new MicroBatcher<>("t", 4, 0.1, 1024, 1, batch -> batch, null);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int id = t;
          calls.add(
              pool.submit(
                  () -> {
                    await(go);
                    int last = -1;
                    for (int i = 0; i < 200; i++) {
                      try {
                        last = b.call(id);
                      } catch (ClosedException e) {
                        return last;
                      }
                    }
                    return last;
                  }));
        }
        go.countDown();
        b.close();
        for (Future<Integer> f : calls) {
          // a request queued after the worker's last look at the queue used to wait for ever
          f.get(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
