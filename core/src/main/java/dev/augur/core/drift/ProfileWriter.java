package dev.augur.core.drift;

import dev.augur.core.Classification;
import dev.augur.core.InvalidInputException;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.Predictor;
import dev.augur.core.history.SampledRow;
import dev.augur.core.internal.Csv;
import dev.augur.core.model.ModelManifest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a model's training {@link Profile} from a CSV of its training rows (a header row naming the
 * features; an empty cell is null): the deciles and shares of every tabular feature and, when a
 * predictor is given, of the model's predictions on those rows. Stateless and thread-safe.
 *
 * <pre>{@code
 * Profile p = ProfileWriter.fromCsv(predictor.manifest(), Path.of("train.csv"), predictor);
 * p.write(predictor.manifest().directory().resolve(Profile.FILE));
 * }</pre>
 */
public final class ProfileWriter {
  private static final int BATCH = 256;

  private ProfileWriter() {}

  /**
   * Reads the training rows and profiles them. Rows the model rejects still count for the features;
   * their prediction counts as null.
   *
   * @throws InvalidInputException naming {@code csv} when the file is empty or lacks a feature
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Profile fromCsv(ModelManifest manifest, Path csv, Predictor predictor) {
    return profile(manifest, csv, Optional.of(Objects.requireNonNull(predictor, "predictor")));
  }

  /**
   * Reads the training rows and profiles their features only (no predictions).
   *
   * @throws InvalidInputException naming {@code csv} when the file is empty or lacks a feature
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Profile fromCsv(ModelManifest manifest, Path csv) {
    return profile(manifest, csv, Optional.empty());
  }

  /**
   * Reads the training rows and profiles them, with the predictions when a predictor is given.
   *
   * @deprecated use {@link #fromCsv(ModelManifest, Path, Predictor)} or {@link
   *     #fromCsv(ModelManifest, Path)}
   */
  @Deprecated
  public static Profile fromCsv(ModelManifest manifest, Path csv, Optional<Predictor> predictor) {
    return profile(manifest, csv, predictor);
  }

  private static Profile profile(ModelManifest manifest, Path csv, Optional<Predictor> predictor) {
    Window w = new Window(manifest.inputs().features(), manifest.task());
    long rows = 0;
    try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null) {
        throw new InvalidInputException("csv", csv + " is empty");
      }
      List<String> names = Csv.split(header.startsWith("\uFEFF") ? header.substring(1) : header);
      List<String> missing = new ArrayList<>();
      for (var f : Drift.features(manifest.inputs().features())) {
        if (!names.contains(f.name())) {
          missing.add(f.name());
        }
      }
      if (!missing.isEmpty()) {
        throw new InvalidInputException(
            "csv",
            csv + " has no column for " + String.join(", ", missing) + "; columns: " + names);
      }
      List<Map<String, String>> batch = new ArrayList<>(BATCH);
      String line;
      while ((line = Csv.readRecord(r, r.readLine())) != null) {
        if (line.isBlank()) {
          continue;
        }
        List<String> cells = Csv.split(line);
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < names.size() && i < cells.size(); i++) {
          row.put(names.get(i), cells.get(i));
        }
        batch.add(row);
        rows++;
        if (batch.size() == BATCH) {
          feed(batch, predictor, w);
          batch.clear();
        }
      }
      feed(batch, predictor, w);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    }
    Profile p = w.profile(rows);
    return predictor.isPresent() ? p : new Profile(p.rows(), p.features(), Optional.empty());
  }

  private static void feed(
      List<Map<String, String>> batch, Optional<Predictor> predictor, Window w) {
    if (batch.isEmpty()) {
      return;
    }
    List<Observation> obs = new ArrayList<>(batch.size());
    for (Map<String, String> row : batch) {
      obs.add(Observation.ofStrings(row));
    }
    List<Optional<Prediction>> ps = predict(obs, predictor);
    for (int i = 0; i < batch.size(); i++) {
      Map<String, Object> values = new LinkedHashMap<>(obs.get(i).values());
      Optional<Prediction> p = ps.get(i);
      w.accept(
          new SampledRow(
              values,
              p.filter(x -> x instanceof Classification).map(x -> ((Classification) x).label()),
              p.flatMap(Prediction::score)));
    }
  }

  private static List<Optional<Prediction>> predict(
      List<Observation> obs, Optional<Predictor> predictor) {
    List<Optional<Prediction>> out = new ArrayList<>(obs.size());
    if (predictor.isEmpty()) {
      obs.forEach(o -> out.add(Optional.empty()));
      return out;
    }
    try {
      predictor.get().predictBatch(obs).forEach(p -> out.add(Optional.of(p)));
    } catch (InvalidInputException e) {
      // one bad row fails its batch: predict the rows one by one, the bad ones as null
      for (Observation o : obs) {
        try {
          out.add(Optional.of(predictor.get().predict(o)));
        } catch (InvalidInputException bad) {
          out.add(Optional.empty());
        }
      }
    }
    return out;
  }
}
