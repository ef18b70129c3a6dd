/**
 * Core's own helpers (its Jackson mapper, the DJL engine behind {@code Predictor.load}, artifact
 * and CSV plumbing). Not part of the public API: no file outside core imports this package, and
 * {@code docs/architecture.md} gives the commands that show it.
 */
package dev.augur.core.internal;
