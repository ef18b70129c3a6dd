package dev.augur.core.drift;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one feature (or the prediction) was distributed in a reference: the shares of its bins.
 * Shares are fractions of all rows, so the bins' shares and {@code nullShare} add up to one.
 * Immutable and thread-safe.
 */
public sealed interface FeatureProfile {

  /** The share of rows where the value was null or missing. */
  double nullShare();

  /**
   * A numeric feature: bins cut at {@code edges} (bin {@code i} holds {@code edges[i-1] <= x <
   * edges[i]}, the first and last open-ended), {@code shares} one per bin.
   *
   * @param edges the inner cut points, increasing (at most nine: the reference's deciles)
   * @param shares {@code edges.size() + 1} shares
   * @param nullShare the share of null values
   */
  record Numeric(List<Double> edges, List<Double> shares, double nullShare)
      implements FeatureProfile {
    /** Checks the sizes and that the edges increase. */
    public Numeric {
      edges = List.copyOf(edges);
      shares = List.copyOf(shares);
      if (shares.size() != edges.size() + 1) {
        throw new IllegalArgumentException(
            "a numeric profile needs one share more than edges: "
                + edges.size()
                + " edges, "
                + shares.size()
                + " shares");
      }
      for (int i = 1; i < edges.size(); i++) {
        if (!(edges.get(i) > edges.get(i - 1))) {
          throw new IllegalArgumentException("edges must increase: " + edges);
        }
      }
    }

    double[] edgeArray() {
      double[] e = new double[edges.size()];
      for (int i = 0; i < e.length; i++) {
        e[i] = edges.get(i);
      }
      return e;
    }
  }

  /**
   * A category or boolean feature: one bin per value (booleans as {@code "true"} and {@code
   * "false"}).
   *
   * @param shares value to share, in the reference's order
   * @param nullShare the share of null values
   */
  record Categorical(Map<String, Double> shares, double nullShare) implements FeatureProfile {
    /** Freezes the shares. */
    public Categorical {
      Objects.requireNonNull(shares, "shares");
      shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
    }
  }
}
