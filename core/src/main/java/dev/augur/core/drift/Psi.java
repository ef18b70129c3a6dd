package dev.augur.core.drift;

import java.util.Arrays;

/**
 * The population stability index and the binning it rests on. Stateless and thread-safe.
 *
 * <p>{@code PSI = Σ (c − r) · ln(c / r)} over bins, where {@code r} and {@code c} are the shares of
 * the reference and current windows in a bin, each floored at {@value #FLOOR} so that an empty bin
 * counts instead of dividing by zero.
 */
public final class Psi {
  /** The smallest share a bin counts with. */
  public static final double FLOOR = 0.0001;

  /** How many bins a numeric feature gets: its reference deciles cut it into ten. */
  public static final int BINS = 10;

  private Psi() {}

  /**
   * The index of two share vectors of the same bins.
   *
   * @throws IllegalArgumentException when the lengths differ
   */
  public static double of(double[] reference, double[] current) {
    if (reference.length != current.length) {
      throw new IllegalArgumentException(
          reference.length + " reference shares against " + current.length + " current ones");
    }
    double sum = 0;
    for (int i = 0; i < reference.length; i++) {
      double r = Math.max(reference[i], FLOOR);
      double c = Math.max(current[i], FLOOR);
      sum += (c - r) * Math.log(c / r);
    }
    return sum;
  }

  /**
   * The inner cut points of ten bins at the deciles of {@code sorted} (linear interpolation between
   * order statistics, as numpy's default), duplicates removed; empty for no values. The first and
   * last bins are open-ended.
   */
  public static double[] decileEdges(double[] sorted) {
    int n = sorted.length;
    if (n == 0) {
      return new double[0];
    }
    double[] edges = new double[BINS - 1];
    int k = 0;
    for (int i = 1; i < BINS; i++) {
      double h = (n - 1) * (i / (double) BINS);
      int lo = (int) Math.floor(h);
      int hi = Math.min(lo + 1, n - 1);
      double e = sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
      if (k == 0 || e > edges[k - 1]) {
        edges[k++] = e;
      }
    }
    return Arrays.copyOf(edges, k);
  }

  /**
   * The bin of {@code x} among {@code edges.length + 1} bins: bin {@code i} holds {@code edges[i-1]
   * <= x < edges[i]}.
   */
  public static int bin(double[] edges, double x) {
    int lo = 0;
    int hi = edges.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (edges[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
