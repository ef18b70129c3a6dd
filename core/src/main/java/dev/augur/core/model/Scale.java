package dev.augur.core.model;

/**
 * A fitted standardisation: inputs become {@code (x - mean) / std}; regression outputs become
 * {@code y * std + mean}.
 */
public record Scale(double mean, double std) {
  /** Checks std is positive and both are finite. */
  public Scale {
    if (!Double.isFinite(mean) || !Double.isFinite(std) || std <= 0) {
      throw new IllegalArgumentException("scale needs a finite mean and a positive std");
    }
  }
}
