package dev.augur.core.drift;

import dev.augur.core.HistoryStore;
import dev.augur.core.InvalidInputException;
import dev.augur.core.history.SampleQuery;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.schema.Feature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Computes drift reports: reads a bounded sample of each window through {@link
 * HistoryStore#sample}, bins it and measures the {@link Psi population stability index} per feature
 * and for the prediction. Stateless and thread-safe; {@code Augur.drift} is the usual entry.
 */
public final class Drift {
  /** The compared window when the query gives neither end. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  private Drift() {}

  /** The features drift measures: the tabular ones (text, image and series are left out). */
  public static List<Feature> features(List<Feature> all) {
    return all.stream().filter(f -> f.type().isTabular()).toList();
  }

  /**
   * Compares a window of a model's history against a reference window or its training profile.
   *
   * @param manifest the model version whose schema lists the features
   * @param query the windows and threshold
   * @param store where the records are
   * @param profile the training profile, if the model has one
   * @param now the present, for the default window
   * @throws InvalidInputException naming {@code reference_from} when the query names no reference
   *     window and there is no profile
   */
  public static DriftReport compare(
      ModelManifest manifest, DriftQuery query, HistoryStore store, Profile profile, Instant now) {
    return compareWith(manifest, query, store, Optional.of(profile), now);
  }

  /**
   * Compares a window of a model's history against a reference window (the model has no training
   * profile).
   *
   * @throws InvalidInputException naming {@code reference_from} when the query names no reference
   *     window
   */
  public static DriftReport compare(
      ModelManifest manifest, DriftQuery query, HistoryStore store, Instant now) {
    return compareWith(manifest, query, store, Optional.empty(), now);
  }

  /**
   * As {@link #compare(ModelManifest, DriftQuery, HistoryStore, Profile, Instant)} with the profile
   * when there is one.
   *
   * @deprecated use {@link #compare(ModelManifest, DriftQuery, HistoryStore, Profile, Instant)} or
   *     {@link #compare(ModelManifest, DriftQuery, HistoryStore, Instant)}
   */
  @Deprecated
  public static DriftReport compare(
      ModelManifest manifest,
      DriftQuery query,
      HistoryStore store,
      Optional<Profile> profile,
      Instant now) {
    return compareWith(manifest, query, store, profile, now);
  }

  private static DriftReport compareWith(
      ModelManifest manifest,
      DriftQuery query,
      HistoryStore store,
      Optional<Profile> profile,
      Instant now) {
    Instant to = query.to().orElse(now);
    Instant from = query.from().orElseGet(() -> to.minus(DEFAULT_WINDOW));
    if (!from.isBefore(to)) {
      throw new InvalidInputException("from", "must be before to (" + to + ")");
    }
    List<Feature> features = features(manifest.inputs().features());
    String model = manifest.name();
    Profile reference;
    DriftWindow refWindow;
    if (query.referenceFrom().isPresent()) {
      Instant rf = query.referenceFrom().get();
      Instant rt = query.referenceTo().orElse(from);
      if (!rf.isBefore(rt)) {
        throw new InvalidInputException(
            "reference_from", "must be before reference_to (" + rt + ")");
      }
      Window w = new Window(features, manifest.task());
      long n = store.sample(model, new SampleQuery(rf, rt, query.sampleSize(), query.version()), w);
      reference = w.profile(n);
      refWindow = new DriftWindow("history", Optional.of(rf), Optional.of(rt), n);
    } else {
      reference =
          profile.orElseThrow(
              () ->
                  new InvalidInputException(
                      "reference_from",
                      "no reference: model "
                          + model
                          + " v"
                          + manifest.version()
                          + " has no "
                          + Profile.FILE
                          + " (write one with `java -jar augur-server.jar profile --model DIR --csv"
                          + " train.csv`), so give reference_from and reference_to"));
      refWindow = new DriftWindow("profile", Optional.empty(), Optional.empty(), reference.rows());
    }
    Window current = new Window(features, manifest.task());
    long n =
        store.sample(
            model, new SampleQuery(from, to, query.sampleSize(), query.version()), current);
    DriftWindow curWindow = new DriftWindow("history", Optional.of(from), Optional.of(to), n);
    boolean enough = refWindow.count() >= DriftReport.MIN_ROWS && n >= DriftReport.MIN_ROWS;
    List<FeatureDrift> out = new ArrayList<>();
    for (Feature f : features) {
      out.add(
          measure(
              f.name(),
              f.type().id(),
              enough,
              current.columns().get(f.name()),
              Optional.ofNullable(reference.features().get(f.name())),
              query.threshold()));
    }
    out.add(
        measure(
            "prediction",
            "prediction",
            enough,
            current.prediction(),
            reference.prediction(),
            query.threshold()));
    return new DriftReport(model, query.threshold(), refWindow, curWindow, out);
  }

  private static FeatureDrift measure(
      String name,
      String type,
      boolean enough,
      Column current,
      Optional<FeatureProfile> reference,
      double threshold) {
    Optional<Double> value = Optional.empty();
    // a profile that disagrees with the schema (a numeric profile of a category) measures nothing
    if (enough && reference.isPresent() && compatible(current, reference.get())) {
      value = Optional.of(current.psiAgainst(reference.get()));
    }
    return new FeatureDrift(name, type, "psi", value, value.map(v -> v >= threshold).orElse(false));
  }

  private static boolean compatible(Column c, FeatureProfile p) {
    return c.isNumeric() || p instanceof FeatureProfile.Categorical;
  }
}
