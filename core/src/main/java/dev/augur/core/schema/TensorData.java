package dev.augur.core.schema;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor in row-major order, independent of any engine: float32 data in {@link #floats()}
 * or int64 data in {@link #longs()} (exactly one is non-empty... or both empty for a zero-size
 * tensor). The engine adapter turns it into its own type.
 */
public record TensorData(long[] shape, float[] floats, long[] longs) {
  /** Checks the data length matches the shape. */
  public TensorData {
    Objects.requireNonNull(shape, "shape");
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if ((floats != null && floats.length != n) || (longs != null && longs.length != n)) {
      throw new IllegalArgumentException(
          "tensor data does not match shape " + Arrays.toString(shape));
    }
    if ((floats == null) == (longs == null)) {
      throw new IllegalArgumentException("a tensor holds either floats or longs");
    }
  }

  /** A float32 tensor. */
  public static TensorData ofFloats(float[] data, long... shape) {
    return new TensorData(shape, data, null);
  }

  /** An int64 tensor. */
  public static TensorData ofLongs(long[] data, long... shape) {
    return new TensorData(shape, null, data);
  }

  /** Whether this is an int64 tensor. */
  public boolean isLong() {
    return longs != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorData t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(floats, t.floats)
        && Arrays.equals(longs, t.longs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + Arrays.hashCode(floats) * 17 + Arrays.hashCode(longs);
  }

  @Override
  public String toString() {
    return (isLong() ? "int64" : "float32") + Arrays.toString(shape);
  }
}
