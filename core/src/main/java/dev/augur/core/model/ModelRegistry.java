package dev.augur.core.model;

import dev.augur.core.ClosedException;
import dev.augur.core.ModelLoadException;
import dev.augur.core.ModelNotFoundException;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.Predictor;
import dev.augur.core.internal.DjlPredictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of a model repository folder ({@code NAME/VERSION/model.json}), loaded and ready. The
 * highest version of a model is its default (versions compare as numbers when both are numbers,
 * else as text). Thread-safe. {@link #reload(String)} loads new or changed versions and swaps them
 * in without failing requests in flight: a replaced version is closed once its last call returns.
 * Owns every predictor it loaded; {@link #close()} releases them (idempotent).
 *
 * <pre>{@code
 * try (ModelRegistry models = ModelRegistry.open(Path.of("models"))) {
 *   Prediction p = models.predictor("titanic").predict(observation);
 * }
 * }</pre>
 *
 * <p>{@link #builder(Path)} sets options per model: a pinned default version, how many versions to
 * load, the predictor pool and batching.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  /** Orders versions: numerically when both are whole numbers, else as text. */
  public static final Comparator<String> VERSION_ORDER =
      (a, b) -> {
        boolean na = a.matches("\\d{1,18}");
        boolean nb = b.matches("\\d{1,18}");
        if (na && nb) {
          return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return na != nb ? (na ? -1 : 1) : a.compareTo(b);
      };

  private final Path root;
  private final PredictorOptions options;
  private final Map<String, PredictorOptions> modelOptions;
  private final Map<String, String> pinnedVersions;
  private final Map<String, Integer> keepVersions;
  private final Map<String, TreeMap<String, Slot>> models = new ConcurrentHashMap<>();
  // guarded by this (written by the synchronized reload and open; read as a copy)
  private final List<LoadFailure> failures = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * A model version that could not be loaded.
   *
   * @param model the model (folder) name
   * @param version the version (folder) name
   * @param error what went wrong and what to do
   */
  public record LoadFailure(String model, String version, String error) {
    /** Checks every part is present. */
    public LoadFailure {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(error, "error");
    }
  }

  private ModelRegistry(Builder b) {
    this.root = b.root;
    this.options = b.options;
    this.modelOptions = Map.copyOf(b.modelOptions);
    this.pinnedVersions = Map.copyOf(b.pinnedVersions);
    this.keepVersions = Map.copyOf(b.keepVersions);
  }

  /** Opens a model repository with default options, loading every model. */
  public static ModelRegistry open(Path root) {
    return builder(root).open();
  }

  /**
   * Opens a model repository, loading and warming up every version of every model.
   *
   * @throws ModelLoadException naming every model version that failed to load (none is left loaded
   *     then)
   */
  public static ModelRegistry open(Path root, PredictorOptions options) {
    return builder(root).options(options).open();
  }

  /** A builder for a registry over the model repository folder {@code root}. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  private static ModelRegistry open(Builder b) {
    Path root = b.root;
    if (!Files.isDirectory(root)) {
      throw new ModelLoadException("model folder " + root.toAbsolutePath() + " does not exist");
    }
    ModelRegistry r = new ModelRegistry(b);
    List<String> names = r.scanNames();
    List<String> unknown =
        b.named().stream().filter(n -> !names.contains(n)).sorted().distinct().toList();
    if (!unknown.isEmpty()) {
      throw new ModelLoadException(
          "settings name models that are not in " + root + ": " + unknown + "; models: " + names);
    }
    DjlPredictor.startEngines(r.engines(names));
    List<LoadFailure> failed = new ArrayList<>();
    try {
      synchronized (r) {
        for (String name : names) {
          try {
            failed.addAll(r.load(name, b.keepGoing));
          } catch (ModelLoadException e) {
            // a model-wide problem (a pinned version that is not there, an unreadable folder)
            failed.add(new LoadFailure(name, "*", r.relative(e.getMessage())));
          }
        }
        r.failures.addAll(failed);
      }
    } catch (RuntimeException | Error e) {
      r.close();
      throw e;
    }
    if (!failed.isEmpty()) {
      if (!b.keepGoing) {
        r.close();
        throw new ModelLoadException(
            String.join("\n", failed.stream().map(LoadFailure::error).toList()));
      }
      failed.forEach(
          f -> log.error("not serving model {} version {}: {}", f.model(), f.version(), f.error()));
    }
    return r;
  }

  /**
   * The model versions that failed to load and are not served: only with {@link
   * Builder#keepGoing(boolean)}, which otherwise fails the open. A later successful {@link #reload}
   * of a model clears its entries.
   */
  public synchronized List<LoadFailure> failures() {
    return List.copyOf(failures);
  }

  /** The model repository folder. */
  public Path root() {
    return root;
  }

  /** The loaded model names, sorted. */
  public List<String> names() {
    return models.keySet().stream().sorted().toList();
  }

  /** The loaded versions of a model, lowest first. */
  public List<String> versions(String name) {
    return List.copyOf(slots(name).keySet());
  }

  /** The default version of a model: the pinned one when set, else the highest. */
  public String defaultVersion(String name) {
    return defaultSlot(name, slots(name)).getKey();
  }

  /** The predictor of a model's default version. */
  public Predictor predictor(String name) {
    return defaultSlot(name, slots(name)).getValue().handle;
  }

  private Map.Entry<String, Slot> defaultSlot(String name, TreeMap<String, Slot> s) {
    String pinned = pinnedVersions.get(name);
    if (pinned != null) {
      Slot slot = s.get(pinned);
      if (slot != null) {
        return Map.entry(pinned, slot);
      }
    }
    return s.lastEntry();
  }

  /** The predictor of one version of a model. */
  public Predictor predictor(String name, String version) {
    Slot slot = slots(name).get(version);
    if (slot == null) {
      throw new ModelNotFoundException(
          "model " + name + " has no version '" + version + "'; it has " + versions(name));
    }
    return slot.handle;
  }

  /**
   * The manifest of a model's default version, if the model is loaded.
   *
   * @throws ClosedException once the registry is closed (its models are unloaded, not missing)
   */
  public Optional<ModelManifest> find(String name) {
    checkOpen();
    TreeMap<String, Slot> s = models.get(name);
    return s == null || s.isEmpty()
        ? Optional.empty()
        : Optional.of(defaultSlot(name, s).getValue().handle.manifest());
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new ClosedException("the model registry is closed");
    }
  }

  private TreeMap<String, Slot> slots(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    TreeMap<String, Slot> s = models.get(name);
    if (s == null || s.isEmpty()) {
      List<String> broken =
          failures().stream()
              .filter(f -> f.model().equals(name))
              .map(f -> "version " + f.version() + ": " + f.error())
              .toList();
      if (!broken.isEmpty()) {
        throw new ModelNotFoundException(
            "model '"
                + name
                + "' failed to load and is not served ("
                + String.join("; ", broken)
                + ")");
      }
      throw new ModelNotFoundException("no model named '" + name + "'; models: " + names());
    }
    return s;
  }

  /**
   * Loads the versions of one model found on disk that are new or changed since they were loaded,
   * and unloads versions that are gone (or beyond the number of versions to keep). All or nothing:
   * every changed version is loaded first, and only when all succeed are they swapped in; otherwise
   * what was loaded is closed and the model stays as it was. Requests in flight on a replaced
   * version finish on it.
   *
   * @throws ModelLoadException naming every version that failed to load, or when the model's pinned
   *     default version is not among the versions to load
   */
  public synchronized void reload(String name) {
    if (!isFolderName(name)) {
      // "..", "a/b": a folder outside the repository is never scanned (security review L3)
      throw new ModelNotFoundException("no model named '" + name + "'; models: " + names());
    }
    List<LoadFailure> failed = load(name, false);
    if (!failed.isEmpty()) {
      throw new ModelLoadException(
          String.join("\n", failed.stream().map(LoadFailure::error).toList()));
    }
    failures.removeIf(f -> f.model().equals(name));
  }

  /** A name that is one folder directly inside the repository. */
  private boolean isFolderName(String name) {
    if (name == null
        || name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\\') >= 0) {
      return false;
    }
    try {
      Path dir = root.resolve(name).normalize();
      return root.normalize().equals(dir.getParent());
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /**
   * Loads the new or changed versions of a model into temporaries, then swaps them in. With {@code
   * keepGoing} the failed versions are skipped (a loaded one stays) and the rest applied; without,
   * any failure closes what was loaded and applies nothing.
   *
   * @return the versions that failed
   */
  private List<LoadFailure> load(String name, boolean keepGoing) {
    checkOpen();
    Path dir = root.resolve(name);
    List<String> versions = scanVersions(dir);
    Integer keep = keepVersions.get(name);
    if (keep != null && versions.size() > keep) {
      versions = versions.subList(versions.size() - keep, versions.size());
    }
    String pinned = pinnedVersions.get(name);
    if (pinned != null && !versions.isEmpty() && !versions.contains(pinned)) {
      throw new ModelLoadException(
          "model "
              + name
              + ": the default version '"
              + pinned
              + "' is not among the versions to load "
              + versions);
    }
    PredictorOptions options = modelOptions.getOrDefault(name, this.options);
    TreeMap<String, Slot> current = models.getOrDefault(name, new TreeMap<>(VERSION_ORDER));
    Map<String, Predictor> loaded = new TreeMap<>(VERSION_ORDER);
    Map<String, String> stamps = new TreeMap<>(VERSION_ORDER);
    List<LoadFailure> failed = new ArrayList<>();
    try {
      for (String version : versions) {
        Path vdir = dir.resolve(version);
        String stamp = stamp(vdir);
        stamps.put(version, stamp);
        Slot old = current.get(version);
        if (old != null && old.stamp.equals(stamp)) {
          continue;
        }
        try {
          loaded.put(version, loadVersion(name, version, vdir, options));
        } catch (ModelLoadException e) {
          failed.add(new LoadFailure(name, version, relative(e.getMessage())));
        }
      }
    } catch (RuntimeException | Error e) {
      loaded.values().forEach(Predictor::close);
      throw e;
    }
    if (!failed.isEmpty() && !keepGoing) {
      loaded.values().forEach(Predictor::close);
      return failed;
    }
    TreeMap<String, Slot> next = new TreeMap<>(VERSION_ORDER);
    List<Runnable> retire = new ArrayList<>();
    for (String version : versions) {
      Slot old = current.get(version);
      Predictor fresh = loaded.get(version);
      if (fresh == null) {
        if (old != null) {
          next.put(version, old); // unchanged, or changed but broken (keep going): keep serving it
        }
      } else if (old != null) {
        Lease previous = old.handle.swap(fresh);
        next.put(version, new Slot(old.handle, stamps.get(version)));
        retire.add(previous::retire);
        log.info("reloaded model {} version {}", name, version);
      } else {
        next.put(version, new Slot(new Handle(fresh), stamps.get(version)));
      }
    }
    for (Map.Entry<String, Slot> e : current.entrySet()) {
      if (!next.containsKey(e.getKey())) {
        retire.add(e.getValue().handle::retire);
        log.info("unloaded model {} version {}", name, e.getKey());
      }
    }
    if (next.isEmpty()) {
      models.remove(name);
    } else {
      models.put(name, next);
    }
    retire.forEach(Runnable::run);
    return failed;
  }

  /**
   * A message with the repository folder's path taken out ({@code titanic/1/model.json}): failures
   * are published (the server's readiness and model list), paths on the host are not.
   */
  private String relative(String message) {
    String sep = root.getFileSystem().getSeparator();
    return message.replace(root.toAbsolutePath().normalize() + sep, "").replace(root + sep, "");
  }

  /**
   * Loads one version folder; its manifest must name the model and the version as their folders do,
   * since the history and the routes know a version by its folder.
   */
  private static Predictor loadVersion(
      String name, String version, Path vdir, PredictorOptions options) {
    Predictor p = Predictor.load(vdir, options);
    ModelManifest m = p.manifest();
    String problem = null;
    if (!m.name().equals(name)) {
      problem = "name '" + m.name() + "' does not match its folder '" + name + "'";
    } else if (!m.version().equals(version)) {
      problem =
          "version '"
              + m.version()
              + "' does not match its folder '"
              + version
              + "': set \"version\": \""
              + version
              + "\" (predictions are recorded under the manifest's version)";
    }
    if (problem != null) {
      p.close();
      throw new ModelLoadException(name + "/" + version + "/model.json: " + problem);
    }
    return p;
  }

  /** The engines the models' manifests name; a manifest that cannot be read is left to its load. */
  private Set<Engine> engines(List<String> names) {
    Set<Engine> engines = EnumSet.noneOf(Engine.class);
    for (String name : names) {
      for (String version : scanVersions(root.resolve(name))) {
        try {
          engines.add(ManifestReader.read(root.resolve(name).resolve(version)).engine());
        } catch (RuntimeException e) {
          // reported, with the rest of what is wrong with it, when the version loads
        }
      }
    }
    return engines;
  }

  private List<String> scanNames() {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> Files.isDirectory(p) && !scanVersions(p).isEmpty())
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ModelLoadException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  private static List<String> scanVersions(Path modelDir) {
    if (!Files.isDirectory(modelDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(modelDir)) {
      return s.filter(p -> Files.isRegularFile(p.resolve("model.json")))
          .map(p -> p.getFileName().toString())
          .sorted(VERSION_ORDER)
          .toList();
    } catch (IOException e) {
      throw new ModelLoadException("cannot list " + modelDir + ": " + e.getMessage(), e);
    }
  }

  /** What identifies a version's files on disk: modification times and sizes. */
  private static String stamp(Path vdir) {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.list(vdir)) {
      for (Path p : s.sorted().toList()) {
        if (Files.isRegularFile(p)) {
          sb.append(p.getFileName())
              .append(':')
              .append(Files.size(p))
              .append(':')
              .append(Files.getLastModifiedTime(p).toMillis())
              .append(';');
        }
      }
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + vdir + ": " + e.getMessage(), e);
    }
    return sb.toString();
  }

  /** Unloads every model; calls in flight finish first. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (TreeMap<String, Slot> s : models.values()) {
      s.values().forEach(slot -> slot.handle.retire());
    }
    models.clear();
  }

  private record Slot(Handle handle, String stamp) {}

  /**
   * Builds a {@link ModelRegistry}: options for every model, and per model a pinned default
   * version, the number of versions to load, and predictor options. Not thread-safe.
   *
   * <pre>{@code
   * ModelRegistry models = ModelRegistry.builder(Path.of("models"))
   *     .options("titanic", PredictorOptions.builder().poolSize(2).build())
   *     .defaultVersion("titanic", "1")
   *     .keepVersions("titanic", 2)
   *     .open();
   * }</pre>
   */
  public static final class Builder {
    private final Path root;
    private PredictorOptions options = PredictorOptions.defaults();
    private final Map<String, PredictorOptions> modelOptions = new TreeMap<>();
    private final Map<String, String> pinnedVersions = new TreeMap<>();
    private final Map<String, Integer> keepVersions = new TreeMap<>();
    private boolean keepGoing;

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * Options for every model without options of its own (default {@link
     * PredictorOptions#defaults()}).
     */
    public Builder options(PredictorOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Options for one model, in place of the common ones. */
    public Builder options(String model, PredictorOptions options) {
      modelOptions.put(
          Objects.requireNonNull(model, "model"), Objects.requireNonNull(options, "options"));
      return this;
    }

    /**
     * Pins the version a model answers with when a call names none (default: the highest). It must
     * be among the versions loaded.
     */
    public Builder defaultVersion(String model, String version) {
      pinnedVersions.put(
          Objects.requireNonNull(model, "model"), Objects.requireNonNull(version, "version"));
      return this;
    }

    /** Loads only the highest {@code n} versions of a model (default: every version). */
    public Builder keepVersions(String model, int n) {
      if (n < 1) {
        throw new IllegalArgumentException("keepVersions must be at least 1, not " + n);
      }
      keepVersions.put(Objects.requireNonNull(model, "model"), n);
      return this;
    }

    /**
     * With {@code true}, the versions that fail to load are skipped and listed by {@link
     * ModelRegistry#failures()} instead of failing {@link #open()}: the healthy ones are served
     * (the standalone server's {@code --keep-going}). Default false: all or nothing.
     */
    public Builder keepGoing(boolean keepGoing) {
      this.keepGoing = keepGoing;
      return this;
    }

    private List<String> named() {
      List<String> out = new ArrayList<>(modelOptions.keySet());
      out.addAll(pinnedVersions.keySet());
      out.addAll(keepVersions.keySet());
      return out;
    }

    /**
     * Opens the repository, loading and warming up the versions to load of every model.
     *
     * @throws ModelLoadException naming every model version that failed to load (none is left
     *     loaded then; see {@link #keepGoing(boolean)}), or the models these settings name that are
     *     not in the repository
     */
    public ModelRegistry open() {
      return ModelRegistry.open(this);
    }
  }

  /** A loaded predictor with a count of the calls running on it; closed when retired and idle. */
  private static final class Lease {
    private final Predictor predictor;
    private int calls;
    private boolean retired;
    private boolean closed;

    Lease(Predictor predictor) {
      this.predictor = predictor;
    }

    synchronized boolean acquire() {
      if (retired) {
        return false;
      }
      calls++;
      return true;
    }

    void release() {
      boolean close;
      synchronized (this) {
        calls--;
        close = retired && calls == 0 && !closed;
        closed |= close;
      }
      if (close) {
        predictor.close();
      }
    }

    void retire() {
      boolean close;
      synchronized (this) {
        retired = true;
        close = calls == 0 && !closed;
        closed |= close;
      }
      if (close) {
        predictor.close();
      }
    }
  }

  /** The stable predictor users hold: routes each call to the version's current lease. */
  private static final class Handle implements Predictor {
    private volatile Lease lease;

    Handle(Predictor first) {
      this.lease = new Lease(first);
    }

    Lease swap(Predictor next) {
      Lease previous = lease;
      lease = new Lease(next);
      return previous;
    }

    void retire() {
      lease.retire();
    }

    private Lease acquire() {
      for (int i = 0; i < 1000; i++) {
        Lease l = lease;
        if (l.acquire()) {
          return l;
        }
        if (l == lease) {
          break;
        }
      }
      throw new ModelNotFoundException(
          "model "
              + lease.predictor.manifest().name()
              + " version "
              + lease.predictor.manifest().version()
              + " was unloaded");
    }

    @Override
    public ModelManifest manifest() {
      return lease.predictor.manifest();
    }

    @Override
    public Prediction predict(Observation observation) {
      Lease l = acquire();
      try {
        return l.predictor.predict(observation);
      } finally {
        l.release();
      }
    }

    @Override
    public List<Prediction> predictBatch(List<Observation> observations) {
      Lease l = acquire();
      try {
        return l.predictor.predictBatch(observations);
      } finally {
        l.release();
      }
    }

    /** The registry owns the predictor: closing a handle does nothing. */
    @Override
    public void close() {}
  }
}
