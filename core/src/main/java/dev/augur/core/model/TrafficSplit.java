package dev.augur.core.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Weights per version for the requests of a model that name no version, decided by a stable hash of
 * the prediction id: the same id always goes to the same version, so a replay stays where it was
 * first answered. Immutable and thread-safe.
 *
 * <pre>{@code
 * TrafficSplit split = TrafficSplit.of(Map.of("1", 90, "2", 10));
 * split.choose("order-42"); // "1" for about 90% of ids, always the same for this id
 * }</pre>
 */
public final class TrafficSplit {
  private final Map<String, Integer> weights;
  private final List<String> versions = new ArrayList<>();
  private final long[] upTo;
  private final long total;

  private TrafficSplit(Map<String, Integer> weights) {
    this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    long sum = 0;
    List<Long> bounds = new ArrayList<>();
    // in version order, so that the map's order never moves an id
    List<String> ordered = new ArrayList<>(weights.keySet());
    ordered.sort(ModelRegistry.VERSION_ORDER);
    for (String v : ordered) {
      int w = weights.get(v);
      if (w < 0) {
        throw new IllegalArgumentException("the weight of version " + v + " is negative: " + w);
      }
      if (w > 0) {
        sum += w;
        versions.add(v);
        bounds.add(sum);
      }
    }
    if (sum == 0) {
      throw new IllegalArgumentException("a traffic split needs a version with a weight above 0");
    }
    this.upTo = bounds.stream().mapToLong(Long::longValue).toArray();
    this.total = sum;
  }

  /**
   * A split by these weights (version to a non-negative integer weight; at least one above 0).
   *
   * @throws IllegalArgumentException when a weight is negative or all are 0
   */
  public static TrafficSplit of(Map<String, Integer> weights) {
    Objects.requireNonNull(weights, "weights");
    return new TrafficSplit(weights);
  }

  /** The weights as given. */
  public Map<String, Integer> weights() {
    return weights;
  }

  /** The version the prediction with this id goes to. */
  public String choose(String id) {
    long slot = Long.remainderUnsigned(hash(id), total);
    for (int i = 0; i < upTo.length; i++) {
      if (slot < upTo[i]) {
        return versions.get(i);
      }
    }
    return versions.get(versions.size() - 1);
  }

  /** FNV-1a over the id's UTF-8 bytes, then MurmurHash3's finaliser to spread similar ids. */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public String toString() {
    return "TrafficSplit" + weights;
  }
}
