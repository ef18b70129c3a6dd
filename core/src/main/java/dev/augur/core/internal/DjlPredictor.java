package dev.augur.core.internal;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.augur.core.AugurException;
import dev.augur.core.ClosedException;
import dev.augur.core.InvalidInputException;
import dev.augur.core.ModelLoadException;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.PredictionException;
import dev.augur.core.Violation;
import dev.augur.core.batch.MicroBatcher;
import dev.augur.core.model.Batching;
import dev.augur.core.model.Engine;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.model.OutputDecoder;
import dev.augur.core.model.OutputTensor;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.schema.EncodedRow;
import dev.augur.core.schema.InputSchema;
import dev.augur.core.schema.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DJL engine behind every {@code dev.augur.core.Predictor}, for every engine the manifest may
 * name (PyTorch, ONNX Runtime): one {@link ZooModel}, a pool of DJL predictors (which are not
 * thread-safe), and a {@link MicroBatcher}. Every NDArray is created in the DJL predictor's
 * per-call manager and freed when the call returns, so native memory stays flat. Thread-safe.
 *
 * <p>Internal, and on purpose it knows nothing of the public {@code Predictor} interface: {@code
 * Predictor.load}, the one front door, calls {@link #load} and exposes the result, so the API
 * depends on the engine and never the other way round. All loading (engine check, artifact checks,
 * DJL, warm-up, closing what was loaded when a step fails) happens in {@link #load}.
 */
public final class DjlPredictor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DjlPredictor.class);

  /** ZooModels loaded here and not yet closed: the leak check of the tests. */
  private static final AtomicInteger OPEN_MODELS = new AtomicInteger();

  static {
    // Never download anything: native libraries come from jars on the classpath
    // (pytorch-native-*, com.microsoft.onnxruntime:onnxruntime*).
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    // The profiling graph executor re-optimises for every new input shape; micro-batches vary in
    // size, so it would add latency spikes for no gain on small models. Users may turn it back on.
    if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
      System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
    }
  }

  private final ModelManifest manifest;
  private final String label;
  private final InputSchema schema;
  private final OutputDecoder decoder;
  private final ZooModel<List<TensorData>, RawOutput> model;
  private final BlockingQueue<Predictor<List<TensorData>, RawOutput>> pool;
  private final List<Predictor<List<TensorData>, RawOutput>> all = new ArrayList<>();
  private final MicroBatcher<EncodedRow, float[]> batcher;
  private final PredictorOptions.BatchObserver observer;
  private final Batching batching;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Takes ownership of {@code model}'s predictors; on failure closes those it created. */
  private DjlPredictor(
      ModelManifest manifest,
      ZooModel<List<TensorData>, RawOutput> model,
      PredictorOptions options) {
    this.manifest = manifest;
    this.label = Artifacts.label(manifest);
    this.schema = manifest.inputs();
    this.decoder = new OutputDecoder(manifest);
    this.model = model;
    this.observer = options.batchObserver();
    this.pool = new ArrayBlockingQueue<>(options.poolSize());
    try {
      checkInputs();
      for (int i = 0; i < options.poolSize(); i++) {
        Predictor<List<TensorData>, RawOutput> p = model.newPredictor();
        all.add(p);
        pool.add(p);
      }
      Batching b = options.batching().orElse(manifest.batching());
      this.batching = b;
      this.batcher =
          new MicroBatcher<>(
              manifest.name() + "-" + manifest.version(),
              b.maxBatchSize(),
              b.maxDelayMs(),
              options.maxQueue(),
              // up to one caller per pooled DJL predictor runs at once on its own thread; beyond
              // that, requests are batched (with batching off every caller runs on the pool)
              b.maxBatchSize() > 1 ? options.poolSize() : Integer.MAX_VALUE,
              this::forward,
              (size, queueNanos) ->
                  options
                      .batchObserver()
                      .onBatch(manifest.name(), manifest.version(), size, queueNanos));
    } catch (RuntimeException | Error e) {
      all.forEach(Predictor::close);
      throw e;
    }
  }

  /**
   * Loads a model package, as {@code Predictor.load(Path, PredictorOptions)} documents. Whatever
   * step fails, nothing stays loaded.
   */
  public static DjlPredictor load(Path versionDir, PredictorOptions options) {
    Objects.requireNonNull(versionDir, "versionDir");
    Objects.requireNonNull(options, "options");
    ModelManifest manifest = ModelManifest.read(versionDir);
    String label = Artifacts.label(manifest);
    for (Violation w : manifest.warnings()) {
      log.warn("{}: model.json {}: {}", label, w.field(), w.message());
    }
    long t0 = System.nanoTime();
    String runtime = engineVersion(manifest);
    Optional<OnnxGraph> graph = Artifacts.check(manifest);
    ZooModel<List<TensorData>, RawOutput> model = loadModel(manifest, graph, runtime);
    DjlPredictor p;
    try {
      p = new DjlPredictor(manifest, model, options);
    } catch (ModelLoadException e) {
      closeModel(model);
      throw e;
    } catch (RuntimeException e) {
      closeModel(model);
      throw new ModelLoadException(label + " could not be prepared: " + rootMessage(e), e);
    } catch (Error e) {
      closeModel(model);
      throw e;
    }
    if (options.warmUp()) {
      try {
        p.predict(manifest.exampleOrDefault());
      } catch (RuntimeException e) {
        p.close();
        throw new ModelLoadException(
            label + " failed its warm-up prediction: " + e.getMessage(), e);
      } catch (Error e) {
        p.close();
        throw e;
      }
    }
    log.info(
        "loaded model {} version {} ({}, {} {}) in {} ms",
        manifest.name(),
        manifest.version(),
        manifest.task().id(),
        manifest.engine().id(),
        runtime,
        (System.nanoTime() - t0) / 1_000_000);
    return p;
  }

  /** How many models this class loaded and has not closed yet, in this JVM (for leak checks). */
  public static int openModels() {
    return OPEN_MODELS.get();
  }

  /**
   * Starts the named engines' native runtimes on threads of their own, in parallel, and returns at
   * once: libtorch and ONNX Runtime each take seconds to load, and a model repository with both
   * would otherwise wait for one and then the other. A model's load waits for its engine's start
   * (DJL starts each engine once); an engine that is missing or fails here is left to that load to
   * report.
   */
  public static void startEngines(Collection<Engine> engines) {
    for (Engine engine : engines) {
      String id = engine.id();
      if (!ai.djl.engine.Engine.hasEngine(id)) {
        continue;
      }
      Thread t =
          new Thread(
              () -> {
                try {
                  ai.djl.engine.Engine.getEngine(id);
                } catch (RuntimeException | LinkageError e) {
                  log.debug("engine {} did not start ahead of its models: {}", id, e.toString());
                }
              },
              "augur-engine-start-" + id);
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * Starts the manifest's engine, or says which dependency is missing.
   *
   * @return the engine's native runtime version (libtorch, ONNX Runtime)
   */
  private static String engineVersion(ModelManifest m) {
    String id = m.engine().id();
    if (!ai.djl.engine.Engine.hasEngine(id)) {
      throw new ModelLoadException(
          Artifacts.label(m)
              + " needs the "
              + id
              + " engine, which is not on the classpath: add "
              + m.engine().artifacts()
              + ", version "
              + ai.djl.engine.Engine.getDjlVersion()
              + " like ai.djl:api (see docs/guide.md, Engines)");
    }
    try {
      return ai.djl.engine.Engine.getEngine(id).getVersion();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new ModelLoadException(
          Artifacts.label(m)
              + ": the "
              + id
              + " engine could not start: "
              + rootMessage(e)
              + ". Augur runs DJL offline, so the engine's native library must come from a jar on"
              + " the classpath: "
              + m.engine().artifacts()
              + " (see docs/guide.md, Engines)",
          e);
    }
  }

  private static ZooModel<List<TensorData>, RawOutput> loadModel(
      ModelManifest manifest, Optional<OnnxGraph> graph, String runtime) {
    Criteria<List<TensorData>, RawOutput> criteria =
        Criteria.builder()
            .setTypes(tensorListType(), RawOutput.class)
            .optModelPath(manifest.artifactPath())
            .optEngine(manifest.engine().id())
            .optTranslator(new TensorTranslator(manifest.output().tensor()))
            .build();
    try {
      ZooModel<List<TensorData>, RawOutput> model = criteria.loadModel();
      OPEN_MODELS.incrementAndGet();
      return model;
    } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
      throw new ModelLoadException(
          Artifacts.loadFailure(manifest, graph, runtime, rootMessage(e)), e);
    }
  }

  private static void closeModel(ZooModel<?, ?> model) {
    try {
      model.close();
    } finally {
      OPEN_MODELS.decrementAndGet();
    }
  }

  /**
   * An ONNX graph must take exactly the tensors the schema makes: one tabular tensor (when there
   * are tabular features), then one per text, image and series feature.
   */
  private void checkInputs() {
    if (manifest.engine() != Engine.ONNX_RUNTIME) {
      return; // a TorchScript module does not tell its inputs before it runs
    }
    List<String> names = model.describeInput().keys();
    long own =
        schema.features().stream().filter(f -> !f.type().isTabular()).count()
            + (schema.tabularWidth() > 0 ? 1 : 0);
    if (names.size() != own) {
      throw new ModelLoadException(
          label
              + ": "
              + manifest.artifact()
              + " takes "
              + names.size()
              + " input(s) "
              + names
              + " but the manifest's inputs make "
              + own
              + " tensor(s): one [batch, "
              + schema.tabularWidth()
              + "] float tensor of the tabular features, then one per text, image and series"
              + " feature, in schema order (docs/model-package.md)");
    }
  }

  // DJL wants the input type as a Class; a generic List has no class of its own
  @SuppressWarnings("unchecked")
  private static Class<List<TensorData>> tensorListType() {
    return (Class<List<TensorData>>) (Class<?>) List.class;
  }

  /** The model's manifest. */
  public ModelManifest manifest() {
    return manifest;
  }

  /** Predicts one observation; see {@code Predictor.predict}. */
  public Prediction predict(Observation observation) {
    Objects.requireNonNull(observation, "observation");
    checkOpen();
    EncodedRow row = schema.encode(observation);
    return decode(batcher.call(row), row);
  }

  /** Predicts several observations in one pass; see {@code Predictor.predictBatch}. */
  public List<Prediction> predictBatch(List<Observation> observations) {
    Objects.requireNonNull(observations, "observations");
    checkOpen();
    if (observations.isEmpty()) {
      return List.of();
    }
    List<EncodedRow> rows = new ArrayList<>(observations.size());
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < observations.size(); i++) {
      try {
        rows.add(schema.encode(observations.get(i), "instances[" + i + "]."));
      } catch (InvalidInputException e) {
        violations.addAll(e.violations());
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidInputException(violations);
    }
    List<Prediction> out = new ArrayList<>(rows.size());
    int chunk = Math.max(1, batching.maxBatchSize() * 4);
    for (int from = 0; from < rows.size(); from += chunk) {
      List<EncodedRow> part = rows.subList(from, Math.min(rows.size(), from + chunk));
      List<float[]> raw = forward(part);
      for (int i = 0; i < part.size(); i++) {
        out.add(decode(raw.get(i), part.get(i)));
      }
    }
    return out;
  }

  /** Decodes a raw output row, its values mapped back through the row's series window if any. */
  private Prediction decode(float[] raw, EncodedRow row) {
    return row.series().map(s -> decoder.decode(raw, s)).orElseGet(() -> decoder.decode(raw));
  }

  /** One forward pass over encoded rows, on a pooled DJL predictor; one raw output row each. */
  private List<float[]> forward(List<EncodedRow> rows) {
    List<TensorData> inputs = schema.stack(rows);
    Predictor<List<TensorData>, RawOutput> p;
    try {
      p = pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AugurException("interrupted while waiting for the model", e);
    }
    RawOutput out;
    try {
      long t0 = System.nanoTime();
      out = p.predict(inputs);
      observer.onInference(
          manifest.name(), manifest.version(), rows.size(), System.nanoTime() - t0);
    } catch (TranslateException | RuntimeException e) {
      throw new PredictionException(label + " failed: " + rootMessage(e), e);
    } finally {
      pool.add(p);
    }
    if (out.rows() != rows.size()) {
      throw new PredictionException(
          label + " returned " + out.rows() + " rows for a batch of " + rows.size());
    }
    if (out.width() != decoder.expectedWidth()) {
      boolean several = out.names().size() > 1;
      throw new PredictionException(
          label
              + " returned "
              + out.width()
              + " value(s) per row in output "
              + manifest.output().tensor()
              + (several ? " of " + Artifacts.outputs(out.names()) : "")
              + "; its manifest ("
              + manifest.task().id()
              + ", activation "
              + manifest.output().activation().id()
              + ") needs "
              + decoder.expectedWidth()
              + (several ? ": set output.tensor to the output that holds the scores" : ""));
    }
    List<float[]> result = new ArrayList<>(rows.size());
    int w = out.width();
    for (int r = 0; r < rows.size(); r++) {
      float[] row = new float[w];
      System.arraycopy(out.data(), r * w, row, 0, w);
      result.add(row);
    }
    return result;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    if (m == null) {
      return t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new ClosedException(label + " is closed");
    }
  }

  /** Releases the model and its native memory; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    batcher.close();
    for (Predictor<List<TensorData>, RawOutput> p : all) {
      p.close();
    }
    closeModel(model);
  }

  /**
   * The chosen output tensor of a forward pass as {@code rows × width} floats, with the names of
   * all outputs (an unnamed one is null).
   */
  record RawOutput(float[] data, int rows, int width, List<String> names) {}

  /**
   * Engine-neutral tensors in, the manifest's output tensor out; arrays live in the call's own
   * manager. Reads values in Java whatever their type, so no NDArray operation is needed (ONNX
   * Runtime has none without another engine).
   */
  static final class TensorTranslator implements NoBatchifyTranslator<List<TensorData>, RawOutput> {
    private final OutputTensor tensor;

    TensorTranslator(OutputTensor tensor) {
      this.tensor = tensor;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<TensorData> input) {
      NDManager m = ctx.getNDManager();
      NDList list = new NDList(input.size());
      for (TensorData t : input) {
        Shape shape = new Shape(t.shape());
        NDArray a = t.isLong() ? m.create(t.longs(), shape) : m.create(t.floats(), shape);
        list.add(a);
      }
      return list;
    }

    @Override
    public RawOutput processOutput(TranslatorContext ctx, NDList output) {
      List<String> names = new ArrayList<>(output.size());
      for (NDArray a : output) {
        names.add(a.getName());
      }
      int i = tensor.resolve(names);
      if (i < 0) {
        throw new IllegalStateException(
            "output.tensor " + tensor + " " + Artifacts.missing(tensor, names.size(), names));
      }
      NDArray y = output.get(i);
      if (y.getDataType() == DataType.STRING) {
        throw new IllegalStateException(
            "output "
                + tensor
                + " of "
                + Artifacts.outputs(names)
                + " holds text (class labels), not scores: set output.tensor to the output that"
                + " holds the probabilities");
      }
      Shape s = y.getShape();
      int rows = s.dimension() == 0 ? 1 : (int) s.get(0);
      int width = rows == 0 ? 0 : (int) (s.size() / rows);
      return new RawOutput(floats(y), rows, width, names);
    }

    private static float[] floats(NDArray y) {
      DataType t = y.getDataType();
      float[] f;
      switch (t) {
        case FLOAT32 -> f = y.toFloatArray();
        case FLOAT64 -> {
          double[] d = y.toDoubleArray();
          f = new float[d.length];
          for (int k = 0; k < d.length; k++) {
            f[k] = (float) d[k];
          }
        }
        case INT64 -> {
          long[] l = y.toLongArray();
          f = new float[l.length];
          for (int k = 0; k < l.length; k++) {
            f[k] = l[k];
          }
        }
        case INT32 -> {
          int[] n = y.toIntArray();
          f = new float[n.length];
          for (int k = 0; k < n.length; k++) {
            f[k] = n[k];
          }
        }
        case BOOLEAN -> {
          boolean[] b = y.toBooleanArray();
          f = new float[b.length];
          for (int k = 0; k < b.length; k++) {
            f[k] = b[k] ? 1 : 0;
          }
        }
        default -> f = y.toType(DataType.FLOAT32, false).toFloatArray();
      }
      return f;
    }
  }
}
