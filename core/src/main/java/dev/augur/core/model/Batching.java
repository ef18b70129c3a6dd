package dev.augur.core.model;

/**
 * Micro-batching settings: concurrent single predictions are merged into one forward pass of at
 * most {@code maxBatchSize} rows, waiting at most {@code maxDelayMs} for company.
 *
 * @param maxBatchSize the largest batch; 1 turns micro-batching off
 * @param maxDelayMs how long the first request of a batch may wait for others, in milliseconds
 */
public record Batching(int maxBatchSize, double maxDelayMs) {
  /** Micro-batching off. */
  public static final Batching OFF = new Batching(1, 0);

  /** Checks the bounds. */
  public Batching {
    if (maxBatchSize < 1 || maxBatchSize > 4096) {
      throw new IllegalArgumentException("max_batch_size must be within 1..4096");
    }
    if (!(maxDelayMs >= 0 && maxDelayMs <= 1000)) {
      throw new IllegalArgumentException("max_delay_ms must be within 0..1000");
    }
  }
}
