package dev.augur.server;

import dev.augur.core.AugurException;
import dev.augur.core.Predictor;
import dev.augur.core.drift.FeatureProfile;
import dev.augur.core.drift.Profile;
import dev.augur.core.drift.ProfileWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code augur-server profile --model DIR --csv train.csv}: writes the training profile that drift
 * compares against ({@code DIR/profile.json}) from a CSV of the rows the model was trained on, with
 * the model's predictions on them. Exits 0 when written, 1 naming the problem.
 */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description =
        "Writes DIR/profile.json, the reference of drift, from a CSV of the training rows (header"
            + " row; an empty cell is null) and the model's predictions on them.")
final class ProfileCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "a model version folder (holding model.json)")
  Path model;

  @Option(
      names = "--csv",
      required = true,
      paramLabel = "FILE",
      description = "the training rows as CSV, a header row naming the features")
  Path csv;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "where to write the profile [default: DIR/profile.json]")
  Path out;

  @Option(
      names = "--no-predictions",
      description = "profile the features only, without loading the model")
  boolean noPredictions;

  private final PrintStream stdout;

  ProfileCommand() {
    this(System.out);
  }

  ProfileCommand(PrintStream stdout) {
    this.stdout = stdout;
  }

  @Override
  public Integer call() {
    if (!Files.isRegularFile(model.resolve("model.json"))) {
      stdout.println("augur-server profile: " + model + " holds no model.json");
      return 1;
    }
    if (!Files.isRegularFile(csv)) {
      stdout.println("augur-server profile: " + csv + " does not exist");
      return 1;
    }
    Path target = out != null ? out : model.resolve(Profile.FILE);
    Validate.quietLogs(); // the engine's start-up chatter would bury the summary
    try {
      Profile p;
      if (noPredictions) {
        p = ProfileWriter.fromCsv(dev.augur.core.model.ModelManifest.read(model), csv);
      } else {
        try (Predictor predictor = Predictor.load(model)) {
          p = ProfileWriter.fromCsv(predictor.manifest(), csv, predictor);
        }
      }
      p.write(target);
      stdout.println(
          "wrote "
              + target
              + ": "
              + p.rows()
              + " rows, "
              + p.features().size()
              + " features"
              + (p.prediction().isPresent() ? " and the prediction" : ""));
      p.features().forEach((k, f) -> stdout.println("  " + k + ": " + describe(f)));
      p.prediction().ifPresent(f -> stdout.println("  prediction: " + describe(f)));
      return 0;
    } catch (AugurException | UncheckedIOException e) {
      stdout.println("augur-server profile: " + e.getMessage());
      return 1;
    }
  }

  private static String describe(FeatureProfile f) {
    String nulls = f.nullShare() > 0 ? String.format(" (%.1f%% null)", f.nullShare() * 100) : "";
    if (f instanceof FeatureProfile.Numeric n) {
      return n.shares().size() + " bins cut at " + n.edges() + nulls;
    }
    return ((FeatureProfile.Categorical) f).shares().keySet() + nulls;
  }
}
