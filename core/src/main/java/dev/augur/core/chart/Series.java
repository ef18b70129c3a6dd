package dev.augur.core.chart;

import dev.augur.core.source.Point;
import java.util.List;
import java.util.Objects;

/**
 * One named line of a {@link LineChart}. Immutable and thread-safe.
 *
 * @param name the name shown in the legend (a legend appears only with two or more series)
 * @param points the values, in drawing order
 */
public record Series(String name, List<Point> points) {
  /** Copies the points and checks nothing is null. */
  public Series {
    Objects.requireNonNull(name, "name");
    points = Specs.copy(points, "points");
  }
}
