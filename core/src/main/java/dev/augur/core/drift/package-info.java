/**
 * Input drift: how far a window of a model's inputs and predictions moved from a reference window
 * or from the model's training {@link dev.augur.core.drift.Profile}, measured per feature as a
 * population stability index. {@code Augur.drift} is the entry point.
 */
package dev.augur.core.drift;
