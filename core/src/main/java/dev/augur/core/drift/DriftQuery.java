package dev.augur.core.drift;

import dev.augur.core.InvalidInputException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What to compare: a window of the history (default: the last 24 hours) against a reference window,
 * or against the model's training {@link Profile} when no reference window is given. Windows are
 * {@code [from, to)}. Immutable; built with {@link #builder()}.
 *
 * <pre>{@code
 * DriftReport r = augur.drift("titanic", DriftQuery.builder()
 *     .reference(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-08T00:00:00Z"))
 *     .threshold(0.25)
 *     .build());
 * }</pre>
 *
 * @param from the compared window's start, or empty for 24 hours before {@code to}
 * @param to the compared window's end, or empty for now
 * @param referenceFrom the reference window's start, or empty to compare against the profile
 * @param referenceTo the reference window's end, or empty for the compared window's start
 * @param threshold the index from which a feature counts as drifted (default {@value
 *     #DEFAULT_THRESHOLD})
 * @param version only this version's records, or empty for all
 * @param sampleSize the most records read from each window (spread over the window by a hash of the
 *     key; default {@value #DEFAULT_SAMPLE_SIZE})
 */
public record DriftQuery(
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<Instant> referenceFrom,
    Optional<Instant> referenceTo,
    double threshold,
    Optional<String> version,
    int sampleSize) {
  /** The default threshold: a PSI of 0.2 is the usual line for a significant shift. */
  public static final double DEFAULT_THRESHOLD = 0.2;

  /** The default number of records read from a window. */
  public static final int DEFAULT_SAMPLE_SIZE = 50_000;

  /**
   * Checks the parts.
   *
   * @throws InvalidInputException naming the parameter ({@code from}, {@code reference_from},
   *     {@code threshold}, {@code sample_size})
   */
  public DriftQuery {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(referenceFrom, "referenceFrom");
    Objects.requireNonNull(referenceTo, "referenceTo");
    Objects.requireNonNull(version, "version");
    if (!(threshold > 0) || !Double.isFinite(threshold)) {
      throw new InvalidInputException("threshold", "must be a positive number, not " + threshold);
    }
    if (sampleSize < DriftReport.MIN_ROWS || sampleSize > 1_000_000) {
      throw new InvalidInputException(
          "sample_size", "must be within " + DriftReport.MIN_ROWS + "..1000000");
    }
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw new InvalidInputException("from", "must be before to (" + to.get() + ")");
    }
    if (referenceTo.isPresent() && referenceFrom.isEmpty()) {
      throw new InvalidInputException("reference_from", "is required with reference_to");
    }
    if (referenceFrom.isPresent()
        && referenceTo.isPresent()
        && !referenceFrom.get().isBefore(referenceTo.get())) {
      throw new InvalidInputException(
          "reference_from", "must be before reference_to (" + referenceTo.get() + ")");
    }
  }

  /** The last 24 hours against the training profile, at the default threshold. */
  public static DriftQuery lastDay() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link DriftQuery}. Not thread-safe. */
  public static final class Builder {
    private Instant from;
    private Instant to;
    private Instant referenceFrom;
    private Instant referenceTo;
    private double threshold = DEFAULT_THRESHOLD;
    private String version;
    private int sampleSize = DEFAULT_SAMPLE_SIZE;

    private Builder() {}

    /** The compared window {@code [from, to)}. */
    public Builder window(Instant from, Instant to) {
      this.from = Objects.requireNonNull(from, "from");
      this.to = Objects.requireNonNull(to, "to");
      return this;
    }

    /** The compared window's start (its end defaults to now). */
    public Builder from(Instant from) {
      this.from = Objects.requireNonNull(from, "from");
      return this;
    }

    /** The compared window's end (its start defaults to 24 hours before). */
    public Builder to(Instant to) {
      this.to = Objects.requireNonNull(to, "to");
      return this;
    }

    /** The reference window {@code [from, to)} of the history, instead of the profile. */
    public Builder reference(Instant from, Instant to) {
      this.referenceFrom = Objects.requireNonNull(from, "from");
      this.referenceTo = Objects.requireNonNull(to, "to");
      return this;
    }

    /** The reference window's start; it ends where the compared window starts. */
    public Builder referenceFrom(Instant from) {
      this.referenceFrom = Objects.requireNonNull(from, "from");
      return this;
    }

    /** The reference window's end (with {@link #referenceFrom}). */
    public Builder referenceTo(Instant to) {
      this.referenceTo = Objects.requireNonNull(to, "to");
      return this;
    }

    /** The index from which a feature counts as drifted. */
    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    /** Only this version's records. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** The most records read from each window. */
    public Builder sampleSize(int sampleSize) {
      this.sampleSize = sampleSize;
      return this;
    }

    /**
     * Builds the query.
     *
     * @throws InvalidInputException naming a bad parameter
     */
    public DriftQuery build() {
      return new DriftQuery(
          Optional.ofNullable(from),
          Optional.ofNullable(to),
          Optional.ofNullable(referenceFrom),
          Optional.ofNullable(referenceTo),
          threshold,
          Optional.ofNullable(version),
          sampleSize);
    }
  }
}
