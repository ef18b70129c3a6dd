package dev.augur.core;

/**
 * What the shadow version of a model has done since start. Immutable.
 *
 * @param recorded shadow predictions made and recorded
 * @param dropped answered predictions the shadow never saw: its queue was full (it could not keep
 *     up) or Augur was closing
 * @param failed shadow predictions that failed (the shadow refused the observation, or the history
 *     could not take the record)
 * @param skipped answered predictions the shadow took from its queue but did not predict, because
 *     more answers were in flight than {@code Augur.Builder.shadowYieldAbove} allows (the shadow
 *     yields the CPU to the answers under load)
 */
public record ShadowStats(long recorded, long dropped, long failed, long skipped) {}
