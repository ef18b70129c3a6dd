package dev.augur.core.schema;

import java.util.List;
import java.util.Optional;

/**
 * One observation after validation and preprocessing: its tabular floats and one array per text,
 * image or series feature, ready to be stacked into a batch. Immutable by convention: the arrays
 * are not copied, so do not change them.
 */
public final class EncodedRow {
  private final float[] tabular;
  private final List<Object> tensors;
  private final Optional<SeriesWindow> series;

  EncodedRow(float[] tabular, List<Object> tensors, Optional<SeriesWindow> series) {
    this.tabular = tabular;
    this.tensors = tensors;
    this.series = series;
  }

  /** The tabular floats, or null when the schema has no tabular feature. */
  public float[] tabular() {
    return tabular;
  }

  /** One {@code float[]} or {@code long[]} per text, image and series feature, in schema order. */
  public List<Object> tensors() {
    return tensors;
  }

  /** The first series feature's window, whose constants map a forecast back. */
  public Optional<SeriesWindow> series() {
    return series;
  }
}
