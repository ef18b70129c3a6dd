package dev.augur.core.drift;

import dev.augur.core.Task;
import dev.augur.core.history.SampledRow;
import dev.augur.core.schema.Feature;
import dev.augur.core.schema.FeatureType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The columns of one window (each drift feature and the prediction), fed row by row from a window
 * sample or a training file. Not thread-safe.
 */
final class Window implements Consumer<SampledRow> {
  private final Map<String, Column> columns = new LinkedHashMap<>();
  private final Column prediction;
  private final Task task;

  Window(List<Feature> features, Task task) {
    for (Feature f : Drift.features(features)) {
      columns.put(f.name(), numeric(f.type()) ? Column.numeric() : Column.categorical());
    }
    this.task = task;
    this.prediction =
        task == Task.MULTICLASS_CLASSIFICATION ? Column.categorical() : Column.numeric();
  }

  static boolean numeric(FeatureType t) {
    return t == FeatureType.NUMBER || t == FeatureType.INTEGER || t == FeatureType.DATETIME;
  }

  @Override
  public void accept(SampledRow row) {
    Map<String, Object> obs = row.observation();
    columns.forEach((name, c) -> c.add(obs.get(name)));
    if (task == Task.MULTICLASS_CLASSIFICATION) {
      prediction.add(row.label().orElse(null));
    } else {
      prediction.add(row.score().orElse(null));
    }
  }

  Map<String, Column> columns() {
    return columns;
  }

  Column prediction() {
    return prediction;
  }

  /** This window as a profile of {@code rows} rows. */
  Profile profile(long rows) {
    Map<String, FeatureProfile> fs = new LinkedHashMap<>();
    columns.forEach((k, c) -> fs.put(k, c.profile()));
    return new Profile(rows, fs, java.util.Optional.of(prediction.profile()));
  }
}
