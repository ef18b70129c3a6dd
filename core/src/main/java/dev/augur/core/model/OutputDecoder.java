package dev.augur.core.model;

import dev.augur.core.Classification;
import dev.augur.core.Forecast;
import dev.augur.core.InvalidInputException;
import dev.augur.core.Prediction;
import dev.augur.core.PredictionException;
import dev.augur.core.Regression;
import dev.augur.core.schema.SeriesWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns one row of raw model output into a {@link Prediction}: the activation for classifiers, the
 * inverse output scale for regression, the inverse series transform for forecasts. Immutable and
 * thread-safe.
 */
public final class OutputDecoder {
  private final ModelManifest manifest;

  /** A decoder for a model. */
  public OutputDecoder(ModelManifest manifest) {
    this.manifest = manifest;
  }

  /** How many raw values one row of output must hold. */
  public int expectedWidth() {
    OutputSpec o = manifest.output();
    return switch (manifest.task()) {
      case BINARY_CLASSIFICATION -> o.activation() == Activation.SIGMOID ? 1 : 2;
      case MULTICLASS_CLASSIFICATION -> o.labels().size();
      case REGRESSION -> 1;
      case FORECAST -> o.horizon();
    };
  }

  /**
   * Decodes one row of a model without a series input.
   *
   * @param row the raw outputs of one observation
   * @throws PredictionException when the model's output has the wrong width
   */
  public Prediction decode(float[] row) {
    return decode(row, Optional.empty());
  }

  /**
   * Decodes one row of a forecast model.
   *
   * @param row the raw outputs of one observation
   * @param series the observation's series window, to map values back
   * @throws PredictionException when the model's output has the wrong width
   */
  public Prediction decode(float[] row, SeriesWindow series) {
    return decode(row, Optional.of(Objects.requireNonNull(series, "series")));
  }

  private Prediction decode(float[] row, Optional<SeriesWindow> series) {
    int width = expectedWidth();
    if (row.length != width) {
      throw new PredictionException(
          "model "
              + manifest.name()
              + " returned "
              + row.length
              + " value(s) per row; its manifest ("
              + manifest.task().id()
              + ", activation "
              + manifest.output().activation().id()
              + ") needs "
              + width);
    }
    for (float v : row) {
      if (!Float.isFinite(v)) {
        throw notFinite();
      }
    }
    Prediction p = decodeFinite(row, series, manifest.output());
    boolean finite;
    if (p instanceof Regression r) {
      finite = Double.isFinite(r.value());
    } else if (p instanceof Forecast f) {
      finite = f.values().stream().allMatch(Double::isFinite);
    } else {
      finite = ((Classification) p).probabilities().values().stream().allMatch(Double::isFinite);
    }
    if (!finite) {
      throw notFinite();
    }
    return p;
  }

  /**
   * A model that answers NaN or infinity was given values far outside what it was trained on (a
   * value beyond the float range becomes infinite when encoded): the caller's input, not the
   * server, is at fault, and such a prediction must never be recorded.
   */
  private InvalidInputException notFinite() {
    return new InvalidInputException(
        "observation",
        "makes model "
            + manifest.name()
            + " answer a value that is not a finite number; are its values within the range the"
            + " model was trained on?");
  }

  private Prediction decodeFinite(float[] row, Optional<SeriesWindow> series, OutputSpec o) {
    return switch (manifest.task()) {
      case BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION -> classify(row, o);
      case REGRESSION -> {
        double y = row[0];
        if (o.scale().isPresent()) {
          y = y * o.scale().get().std() + o.scale().get().mean();
        }
        yield new Regression(y);
      }
      case FORECAST -> {
        List<Double> values = new ArrayList<>(row.length);
        for (float y : row) {
          values.add(series.map(s -> s.invert(y)).orElse((double) y));
        }
        yield new Forecast(values);
      }
    };
  }

  private Classification classify(float[] row, OutputSpec o) {
    double[] p = new double[o.labels().size()];
    switch (o.activation()) {
      case SIGMOID -> {
        double pos = 1 / (1 + Math.exp(-row[0]));
        int posIndex = o.labels().indexOf(o.positive().orElseThrow());
        p[posIndex] = pos;
        p[1 - posIndex] = 1 - pos;
      }
      case SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : row) {
          max = Math.max(max, x);
        }
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
          p[i] = Math.exp(row[i] - max);
          sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
          p[i] /= sum;
        }
      }
      case NONE -> {
        for (int i = 0; i < row.length; i++) {
          p[i] = row[i];
        }
      }
      default -> throw new IllegalStateException();
    }
    int best = 0;
    Map<String, Double> probs = new LinkedHashMap<>();
    for (int i = 0; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
      probs.put(o.labels().get(i), p[i]);
    }
    return new Classification(manifest.task(), o.labels().get(best), probs, o.positive());
  }
}
