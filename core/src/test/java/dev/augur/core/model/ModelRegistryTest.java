package dev.augur.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.augur.core.Classification;
import dev.augur.core.ModelLoadException;
import dev.augur.core.ModelNotFoundException;
import dev.augur.core.Observation;
import dev.augur.core.Predictor;
import dev.augur.core.internal.DjlPredictor;
import dev.augur.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @TempDir Path repo;

  @Test
  void listsModelsAndVersionsAndDefaultsToTheHighest() throws Exception {
    Fixtures.repositoryOf(repo, "tab_binary_sigmoid", "series_none");
    copyVersion("tab_binary_sigmoid", "1", "10");
    copyVersion("tab_binary_sigmoid", "1", "2");
    try (ModelRegistry r = ModelRegistry.open(repo)) {
      assertThat(r.names()).containsExactly("series_none", "tab_binary_sigmoid");
      assertThat(r.versions("tab_binary_sigmoid")).containsExactly("1", "2", "10");
      assertThat(r.defaultVersion("tab_binary_sigmoid")).isEqualTo("10");
      assertThat(r.predictor("tab_binary_sigmoid").manifest().version()).isEqualTo("10");
      assertThat(r.predictor("tab_binary_sigmoid", "2").manifest().version()).isEqualTo("2");
      assertThatThrownBy(() -> r.predictor("nope"))
          .isInstanceOf(ModelNotFoundException.class)
          .hasMessageContaining("series_none");
      assertThatThrownBy(() -> r.predictor("series_none", "7"))
          .isInstanceOf(ModelNotFoundException.class);
    }
  }

  @Test
  void reloadSwapsAChangedVersionWithoutFailingCallsInFlight() throws Exception {
    Fixtures.repositoryOf(repo, "tab_binary_sigmoid");
    try (ModelRegistry r = ModelRegistry.open(repo)) {
      Predictor handle = r.predictor("tab_binary_sigmoid");
      Observation obs = handle.manifest().exampleOrDefault();
      String before = ((Classification) handle.predict(obs)).label();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        workers.add(
            pool.submit(
                () -> {
                  int n = 0;
                  while (!stop.get()) {
                    handle.predict(obs);
                    n++;
                  }
                  return n;
                }));
      }
      // a new manifest for the same version: flip the labels so the change is visible
      Path manifest = repo.resolve("tab_binary_sigmoid/1/model.json");
      String json =
          Files.readString(manifest).replace("\"no\"", "\"NO\"").replace("\"yes\"", "\"YES\"");
      for (int i = 0; i < 3; i++) {
        Files.writeString(manifest, json);
        Files.setLastModifiedTime(
            manifest,
            java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 1000L * (i + 1)));
        r.reload("tab_binary_sigmoid");
      }
      stop.set(true);
      for (Future<Integer> w : workers) {
        assertThat(w.get(60, TimeUnit.SECONDS)).isPositive();
      }
      pool.shutdown();
      assertThat(((Classification) handle.predict(obs)).label()).isEqualTo(before.toUpperCase());
    }
  }

  @Test
  void aBrokenModelFailsTheOpenNamingIt() throws Exception {
    Fixtures.repositoryOf(repo, "series_none");
    Path bad = Files.createDirectories(repo.resolve("broken/1"));
    Files.writeString(bad.resolve("model.json"), "{\"name\":\"broken\"}");
    assertThatThrownBy(() -> ModelRegistry.open(repo))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("broken")
        .hasMessageContaining("task: is required");
  }

  @Test
  void aManifestWhoseNameDiffersFromItsFolderIsRejected() throws Exception {
    Fixtures.repositoryOf(repo, "series_none");
    Files.move(repo.resolve("series_none"), repo.resolve("other"));
    assertThatThrownBy(() -> ModelRegistry.open(repo))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("does not match its folder 'other'");
  }

  @Test
  void aPinnedDefaultVersionAnswersCallsThatNameNone() throws Exception {
    Fixtures.repositoryOf(repo, "tab_binary_sigmoid");
    copyVersion("tab_binary_sigmoid", "1", "2");
    try (ModelRegistry r =
        ModelRegistry.builder(repo).defaultVersion("tab_binary_sigmoid", "1").open()) {
      assertThat(r.versions("tab_binary_sigmoid")).containsExactly("1", "2");
      assertThat(r.defaultVersion("tab_binary_sigmoid")).isEqualTo("1");
      assertThat(r.predictor("tab_binary_sigmoid").manifest().version()).isEqualTo("1");
      assertThat(r.find("tab_binary_sigmoid").orElseThrow().version()).isEqualTo("1");
    }
    assertThatThrownBy(
            () -> ModelRegistry.builder(repo).defaultVersion("tab_binary_sigmoid", "7").open())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("the default version '7' is not among the versions to load [1, 2]");
  }

  @Test
  void keepVersionsLoadsOnlyTheHighest() throws Exception {
    Fixtures.repositoryOf(repo, "tab_binary_sigmoid");
    copyVersion("tab_binary_sigmoid", "1", "2");
    copyVersion("tab_binary_sigmoid", "1", "10");
    try (ModelRegistry r =
        ModelRegistry.builder(repo).keepVersions("tab_binary_sigmoid", 2).open()) {
      assertThat(r.versions("tab_binary_sigmoid")).containsExactly("2", "10");
      assertThatThrownBy(() -> r.predictor("tab_binary_sigmoid", "1"))
          .isInstanceOf(ModelNotFoundException.class);
    }
    assertThatThrownBy(
            () ->
                ModelRegistry.builder(repo)
                    .keepVersions("tab_binary_sigmoid", 1)
                    .defaultVersion("tab_binary_sigmoid", "2")
                    .open())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'2' is not among the versions to load [10]");
  }

  @Test
  void optionsOfOneModelApplyToItAlone() throws Exception {
    Fixtures.repositoryOf(repo, "tab_binary_sigmoid", "series_none");
    List<String> common = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> own = new java.util.concurrent.CopyOnWriteArrayList<>();
    PredictorOptions defaults =
        PredictorOptions.builder().batchObserver((m, v, n, q) -> common.add(m)).build();
    try (ModelRegistry r =
        ModelRegistry.builder(repo)
            .options(defaults)
            .options(
                "series_none",
                defaults.toBuilder()
                    .poolSize(1)
                    .batching(Batching.OFF)
                    .batchObserver((m, v, n, q) -> own.add(m))
                    .build())
            .open()) {
      Predictor series = r.predictor("series_none");
      series.predict(series.manifest().exampleOrDefault());
      assertThat(own).isNotEmpty().containsOnly("series_none");
      assertThat(common).isNotEmpty().containsOnly("tab_binary_sigmoid");
    }
  }

  @Test
  void settingsForAModelThatIsNotThereFailTheOpenNamingIt() throws Exception {
    Fixtures.repositoryOf(repo, "series_none");
    assertThatThrownBy(() -> ModelRegistry.builder(repo).keepVersions("titanc", 1).open())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("[titanc]")
        .hasMessageContaining("series_none");
  }

  /** Regression (M5): a reload failing on a later version left earlier ones swapped and leaked. */
  @Test
  void aFailedReloadAppliesNothingAndClosesWhatItLoaded() throws Exception {
    Fixtures.repositoryOf(repo, "tab_binary_sigmoid");
    copyVersion("tab_binary_sigmoid", "1", "2");
    try (ModelRegistry r = ModelRegistry.open(repo)) {
      int open = DjlPredictor.openModels();
      Predictor v1 = r.predictor("tab_binary_sigmoid", "1");
      Observation obs = v1.manifest().exampleOrDefault();
      String before = ((Classification) v1.predict(obs)).label();
      copyVersion("tab_binary_sigmoid", "1", "3"); // new and valid
      edit("tab_binary_sigmoid/1", "\"no\"", "\"NO\"", "\"yes\"", "\"YES\""); // changed and valid
      edit("tab_binary_sigmoid/2", "\"binary_classification\"", "\"binary\""); // changed, broken
      assertThatThrownBy(() -> r.reload("tab_binary_sigmoid"))
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("task");
      assertThat(r.versions("tab_binary_sigmoid")).containsExactly("1", "2");
      assertThat(((Classification) v1.predict(obs)).label()).isEqualTo(before);
      assertThat(DjlPredictor.openModels()).as("models left open").isEqualTo(open);
      // once fixed, the same reload applies all three
      edit("tab_binary_sigmoid/2", "\"binary\"", "\"binary_classification\"");
      r.reload("tab_binary_sigmoid");
      assertThat(r.versions("tab_binary_sigmoid")).containsExactly("1", "2", "3");
      assertThat(((Classification) v1.predict(obs)).label()).isEqualTo(before.toUpperCase());
      assertThat(DjlPredictor.openModels()).isEqualTo(open + 1);
    }
  }

  @Test
  void aBrokenTorchScriptFailsTheReloadWithoutApplyingAnythingOrLeakingNativeModels()
      throws Exception {
    Fixtures.repositoryOf(repo, "tab_binary_sigmoid", "tab_multiclass_none");
    copyVersion("tab_binary_sigmoid", "1", "2");
    Path v2 = repo.resolve("tab_binary_sigmoid/2/model.pt");
    byte[] good = Files.readAllBytes(v2);
    // two ways a TorchScript file breaks: bytes libtorch cannot read, and a real TorchScript
    // that loads into native memory but cannot run this package's inputs (another model's file)
    java.util.Map<byte[], String> broken =
        java.util.Map.of(
            java.util.Arrays.copyOf(good, good.length / 2), "model.pt",
            Files.readAllBytes(repo.resolve("tab_multiclass_none/1/model.pt")), "warm-up");
    try (ModelRegistry r = ModelRegistry.open(repo)) {
      int open = DjlPredictor.openModels();
      Predictor v1 = r.predictor("tab_binary_sigmoid", "1");
      Predictor v2Before = r.predictor("tab_binary_sigmoid", "2");
      Observation obs = v1.manifest().exampleOrDefault();
      String before = ((Classification) v1.predict(obs)).label();
      copyVersion("tab_binary_sigmoid", "1", "3"); // new and valid: loaded, then closed
      edit("tab_binary_sigmoid/1", "\"no\"", "\"NO\"", "\"yes\"", "\"YES\""); // changed, valid
      for (var b : broken.entrySet()) {
        Files.write(v2, b.getKey());
        Files.setLastModifiedTime(v2, FileTime.fromMillis(System.currentTimeMillis() + ++edits));
        assertThatThrownBy(() -> r.reload("tab_binary_sigmoid"))
            .isInstanceOf(ModelLoadException.class)
            .hasMessageContaining("tab_binary_sigmoid")
            .hasMessageContaining(b.getValue());
        assertThat(r.versions("tab_binary_sigmoid")).containsExactly("1", "2");
        assertThat(r.predictor("tab_binary_sigmoid", "2")).isSameAs(v2Before);
        assertThat(((Classification) v1.predict(obs)).label())
            .as("version 1 still runs its old files")
            .isEqualTo(before);
        assertThat(((Classification) v2Before.predict(obs)).label()).isEqualTo(before);
        assertThat(DjlPredictor.openModels()).as("native models left open").isEqualTo(open);
      }
      Files.write(v2, good);
      Files.setLastModifiedTime(v2, FileTime.fromMillis(System.currentTimeMillis() + ++edits));
      r.reload("tab_binary_sigmoid");
      assertThat(r.versions("tab_binary_sigmoid")).containsExactly("1", "2", "3");
      assertThat(((Classification) v1.predict(obs)).label()).isEqualTo(before.toUpperCase());
      assertThat(DjlPredictor.openModels()).isEqualTo(open + 1);
    }
  }

  @Test
  void aManifestWhoseVersionDiffersFromItsFolderIsRejected() throws Exception {
    Fixtures.repositoryOf(repo, "series_none");
    Files.move(repo.resolve("series_none/1"), repo.resolve("series_none/2"));
    assertThatThrownBy(() -> ModelRegistry.open(repo))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "series_none/2/model.json: version '1' does not match its folder '2': set"
                + " \"version\": \"2\"");
  }

  @Test
  void keepGoingServesTheHealthyVersionsAndListsTheBrokenOnes() throws Exception {
    int open = DjlPredictor.openModels();
    Fixtures.repositoryOf(repo, "series_none", "tab_binary_sigmoid");
    copyVersion("tab_binary_sigmoid", "1", "2");
    edit("tab_binary_sigmoid/2", "\"activation\": \"sigmoid\"", "\"activation\": \"sigmoidal\"");
    Path bad = Files.createDirectories(repo.resolve("broken/1"));
    Files.writeString(bad.resolve("model.json"), "{\"name\":\"broken\"}");
    assertThatThrownBy(() -> ModelRegistry.open(repo))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("broken/1/model.json")
        .hasMessageContaining("sigmoidal");
    assertThat(DjlPredictor.openModels()).isEqualTo(open);
    try (ModelRegistry r = ModelRegistry.builder(repo).keepGoing(true).open()) {
      assertThat(r.names()).containsExactly("series_none", "tab_binary_sigmoid");
      assertThat(r.versions("tab_binary_sigmoid")).containsExactly("1");
      assertThat(r.failures())
          .extracting(ModelRegistry.LoadFailure::model, ModelRegistry.LoadFailure::version)
          .containsExactly(tuple("broken", "1"), tuple("tab_binary_sigmoid", "2"));
      assertThat(r.failures().get(0).error()).contains("task: is required");
      assertThat(r.failures().get(1).error()).contains("unknown activation 'sigmoidal'");
      assertThatThrownBy(() -> r.predictor("broken"))
          .isInstanceOf(ModelNotFoundException.class)
          .hasMessageContaining("model 'broken' failed to load and is not served");
      edit("tab_binary_sigmoid/2", "\"sigmoidal\"", "\"sigmoid\"");
      r.reload("tab_binary_sigmoid");
      assertThat(r.versions("tab_binary_sigmoid")).containsExactly("1", "2");
      assertThat(r.failures())
          .extracting(ModelRegistry.LoadFailure::model)
          .containsExactly("broken");
    }
    assertThat(DjlPredictor.openModels()).isEqualTo(open);
  }

  /** Replaces text in {@code repo/dir/model.json} and moves its time on, so reload sees it. */
  private void edit(String dir, String... pairs) throws Exception {
    Path m = repo.resolve(dir).resolve("model.json");
    String json = Files.readString(m);
    for (int i = 0; i < pairs.length; i += 2) {
      assertThat(json).contains(pairs[i]);
      json = json.replace(pairs[i], pairs[i + 1]);
    }
    Files.writeString(m, json);
    Files.setLastModifiedTime(
        m, FileTime.fromMillis(Files.getLastModifiedTime(m).toMillis() + 1000L * ++edits));
  }

  private int edits;

  private void copyVersion(String model, String from, String to) throws Exception {
    Path src = repo.resolve(model).resolve(from);
    Path dst = Files.createDirectories(repo.resolve(model).resolve(to));
    try (var s = Files.list(src)) {
      for (Path p : s.toList()) {
        Files.copy(p, dst.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path m = dst.resolve("model.json");
    Files.writeString(
        m, Files.readString(m).replace("\"version\": \"1\"", "\"version\": \"" + to + "\""));
  }

  @Test
  void aReloadNeverLeavesTheRepositoryFolder() throws Exception {
    Fixtures.repositoryOf(repo.resolve("inner"), "tab_binary_sigmoid");
    // a model beside the repository, which "../" would reach
    Fixtures.repositoryOf(repo, "tab_multiclass_none");
    try (ModelRegistry r = ModelRegistry.open(repo.resolve("inner"))) {
      for (String name :
          new String[] {"..", ".", "../tab_multiclass_none", "a/b", "a\\b", "", "../inner"}) {
        assertThatThrownBy(() -> r.reload(name))
            .as("reload(%s)", name)
            .isInstanceOf(ModelNotFoundException.class);
      }
      assertThat(r.names()).containsExactly("tab_binary_sigmoid");
      r.reload("tab_binary_sigmoid");
    }
  }
}
