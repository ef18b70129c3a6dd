package dev.augur.core.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link dev.augur.core.Predictor} is loaded: batching overrides, queue bound, warm-up.
 * Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * PredictorOptions opts = PredictorOptions.builder().maxQueue(2048).batching(Batching.OFF).build();
 * }</pre>
 */
public final class PredictorOptions {
  private final Optional<Batching> batching;
  private final int maxQueue;
  private final int poolSize;
  private final boolean warmUp;
  private final BatchObserver batchObserver;

  /**
   * Observes every forward pass of every model, e.g. for metrics. Called on the thread that ran the
   * batch: the model's batching thread, or the caller's own for a call run at once.
   */
  @FunctionalInterface
  public interface BatchObserver {
    /**
     * One forward pass.
     *
     * @param model the model name
     * @param version the model version
     * @param size how many observations it held
     * @param queueNanos how long its oldest observation waited
     */
    void onBatch(String model, String version, int size, long queueNanos);

    /**
     * One forward pass ran in the engine: how long it took, input encoding, queueing and output
     * decoding excluded. Called on the thread that ran it; does nothing unless overridden.
     *
     * @param model the model name
     * @param version the model version
     * @param size how many observations it held
     * @param nanos how long the engine took
     */
    default void onInference(String model, String version, int size, long nanos) {}
  }

  private PredictorOptions(Builder b) {
    this.batchObserver = b.batchObserver;
    this.batching = b.batching;
    this.maxQueue = b.maxQueue;
    this.poolSize = b.poolSize;
    this.warmUp = b.warmUp;
  }

  /**
   * The defaults: the manifest's batching, a queue of 1024, a pool of one DJL predictor per core.
   */
  public static PredictorOptions defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Batching that overrides the manifest's; empty to use the manifest's. */
  public Optional<Batching> batching() {
    return batching;
  }

  /** The bound of the micro-batching queue; beyond it predictions fail with overload. */
  public int maxQueue() {
    return maxQueue;
  }

  /** How many DJL predictors serve unbatched calls at once. */
  public int poolSize() {
    return poolSize;
  }

  /** Whether to run a warm-up prediction of the manifest's example when loading. */
  public boolean warmUp() {
    return warmUp;
  }

  /** The batch observer (a no-op by default). */
  public BatchObserver batchObserver() {
    return batchObserver;
  }

  /** A builder starting from these options, e.g. to override one setting for one model. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.batching = batching;
    b.maxQueue = maxQueue;
    b.poolSize = poolSize;
    b.warmUp = warmUp;
    b.batchObserver = batchObserver;
    return b;
  }

  /** Builds {@link PredictorOptions}. Not thread-safe. */
  public static final class Builder {
    private Optional<Batching> batching = Optional.empty();
    private int maxQueue = 1024;
    private int poolSize = Math.max(2, Runtime.getRuntime().availableProcessors());
    private boolean warmUp = true;
    private BatchObserver batchObserver = (m, v, s, q) -> {};

    private Builder() {}

    /** Observes every forward pass (size and queue time). */
    public Builder batchObserver(BatchObserver observer) {
      this.batchObserver = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /** Overrides the manifest's batching. */
    public Builder batching(Batching batching) {
      this.batching = Optional.of(Objects.requireNonNull(batching, "batching"));
      return this;
    }

    /** Sets the bound of the micro-batching queue (at least 1). */
    public Builder maxQueue(int maxQueue) {
      if (maxQueue < 1) {
        throw new IllegalArgumentException("maxQueue must be at least 1");
      }
      this.maxQueue = maxQueue;
      return this;
    }

    /** Sets how many DJL predictors serve unbatched calls at once (at least 1). */
    public Builder poolSize(int poolSize) {
      if (poolSize < 1) {
        throw new IllegalArgumentException("poolSize must be at least 1");
      }
      this.poolSize = poolSize;
      return this;
    }

    /** Turns the warm-up prediction on (the default) or off. */
    public Builder warmUp(boolean warmUp) {
      this.warmUp = warmUp;
      return this;
    }

    /** The options. */
    public PredictorOptions build() {
      return new PredictorOptions(this);
    }
  }
}
