package dev.augur.core;

/**
 * What the shadow version of a model has done since start. Immutable.
 *
 * @param recorded shadow predictions made and recorded
 * @param dropped answered predictions the shadow never saw: its queue was full (it could not keep
 *     up) or Augur was closing
 * @param failed shadow predictions that failed (the shadow refused the observation, or the history
 *     could not take the record)
 */
public record ShadowStats(long recorded, long dropped, long failed) {}
