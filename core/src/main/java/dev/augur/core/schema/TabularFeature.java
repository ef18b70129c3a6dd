package dev.augur.core.schema;

/** A feature encoded as a fixed number of floats in the tabular tensor. */
interface TabularFeature {
  /** How many floats this feature occupies in a tabular row. */
  int width();

  /** Writes the encoded floats of a canonical value (null = missing) at {@code offset}. */
  void encode(Object canonical, float[] row, int offset);
}
