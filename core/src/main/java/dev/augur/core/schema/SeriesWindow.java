package dev.augur.core.schema;

/**
 * The window of a {@code series} feature after its transform, with the constants needed to map a
 * forecast back: {@code y * scale + offset}.
 *
 * @param values the transformed window, float32 as the model sees it
 * @param offset added back after scaling (the mean for {@code standardize}, else 0)
 * @param scale multiplied back (the last value for {@code relative}, the std for {@code
 *     standardize}, else 1)
 */
public record SeriesWindow(float[] values, double offset, double scale) {
  /** Maps a model output back to the series' units. */
  public double invert(double y) {
    return y * scale + offset;
  }
}
