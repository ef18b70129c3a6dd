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
import dev.augur.core.InvalidInputException;
import dev.augur.core.ModelLoadException;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.PredictionException;
import dev.augur.core.Violation;
import dev.augur.core.batch.MicroBatcher;
import dev.augur.core.model.Batching;
import dev.augur.core.model.ModelManifest;
import dev.augur.core.model.OutputDecoder;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.schema.EncodedRow;
import dev.augur.core.schema.InputSchema;
import dev.augur.core.schema.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DJL/PyTorch-backed {@link dev.augur.core.Predictor}: one {@link ZooModel}, a pool of DJL
 * predictors (which are not thread-safe), and a {@link MicroBatcher}. Every NDArray is created in
 * the DJL predictor's per-call manager and freed when the call returns, so native memory stays
 * flat. Internal: obtain instances with {@link dev.augur.core.Predictor#load}.
 */
public final class DjlPredictor implements dev.augur.core.Predictor {
  private static final Logger log = LoggerFactory.getLogger(DjlPredictor.class);

  static {
    // Never download anything: the native library comes from pytorch-native-cpu on the classpath.
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
  private final InputSchema schema;
  private final OutputDecoder decoder;
  private final ZooModel<List<TensorData>, RawOutput> model;
  private final BlockingQueue<Predictor<List<TensorData>, RawOutput>> pool;
  private final List<Predictor<List<TensorData>, RawOutput>> all = new ArrayList<>();
  private final MicroBatcher<EncodedRow, float[]> batcher;
  private final PredictorOptions.BatchObserver observer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DjlPredictor(
      ModelManifest manifest,
      ZooModel<List<TensorData>, RawOutput> model,
      PredictorOptions options) {
    this.manifest = manifest;
    this.schema = manifest.inputs();
    this.decoder = new OutputDecoder(manifest);
    this.model = model;
    this.observer = options.batchObserver();
    this.pool = new ArrayBlockingQueue<>(options.poolSize());
    for (int i = 0; i < options.poolSize(); i++) {
      Predictor<List<TensorData>, RawOutput> p = model.newPredictor();
      all.add(p);
      pool.add(p);
    }
    Batching b = options.batching().orElse(manifest.batching());
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
  }

  /** Loads a model package; see {@link dev.augur.core.Predictor#load(Path, PredictorOptions)}. */
  public static DjlPredictor load(Path versionDir, PredictorOptions options) {
    Objects.requireNonNull(versionDir, "versionDir");
    Objects.requireNonNull(options, "options");
    ModelManifest manifest = ModelManifest.read(versionDir);
    long t0 = System.nanoTime();
    Criteria<List<TensorData>, RawOutput> criteria =
        Criteria.builder()
            .setTypes(tensorListType(), RawOutput.class)
            .optModelPath(manifest.artifactPath())
            .optEngine("PyTorch")
            .optTranslator(new TensorTranslator())
            .build();
    ZooModel<List<TensorData>, RawOutput> model;
    try {
      model = criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
      throw new ModelLoadException(
          "cannot load "
              + manifest.artifactPath()
              + " for model "
              + manifest.name()
              + " version "
              + manifest.version()
              + ": "
              + e.getMessage(),
          e);
    }
    DjlPredictor p = new DjlPredictor(manifest, model, options);
    if (options.warmUp()) {
      try {
        p.predict(manifest.exampleOrDefault());
      } catch (RuntimeException e) {
        p.close();
        throw new ModelLoadException(
            "model "
                + manifest.name()
                + " version "
                + manifest.version()
                + " failed its warm-up prediction: "
                + e.getMessage(),
            e);
      }
    }
    log.info(
        "loaded model {} version {} ({}) in {} ms",
        manifest.name(),
        manifest.version(),
        manifest.task().id(),
        (System.nanoTime() - t0) / 1_000_000);
    return p;
  }

  @SuppressWarnings("unchecked")
  private static Class<List<TensorData>> tensorListType() {
    return (Class<List<TensorData>>) (Class<?>) List.class;
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  @Override
  public Prediction predict(Observation observation) {
    Objects.requireNonNull(observation, "observation");
    checkOpen();
    EncodedRow row = schema.encode(observation);
    return decoder.decode(batcher.call(row), row.series());
  }

  @Override
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
    int chunk = Math.max(1, manifest.batching().maxBatchSize() * 4);
    for (int from = 0; from < rows.size(); from += chunk) {
      List<EncodedRow> part = rows.subList(from, Math.min(rows.size(), from + chunk));
      List<float[]> raw = forward(part);
      for (int i = 0; i < part.size(); i++) {
        out.add(decoder.decode(raw.get(i), part.get(i).series()));
      }
    }
    return out;
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
      throw new PredictionException(
          "model "
              + manifest.name()
              + " version "
              + manifest.version()
              + " failed: "
              + rootMessage(e),
          e);
    } finally {
      pool.add(p);
    }
    if (out.rows() != rows.size()) {
      throw new PredictionException(
          "model "
              + manifest.name()
              + " returned "
              + out.rows()
              + " rows for a batch of "
              + rows.size());
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
      throw new IllegalStateException(
          "model " + manifest.name() + " version " + manifest.version() + " is closed");
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    batcher.close();
    for (Predictor<List<TensorData>, RawOutput> p : all) {
      p.close();
    }
    model.close();
  }

  /** The first output tensor of a forward pass as {@code rows × width} floats. */
  record RawOutput(float[] data, int rows, int width) {}

  /** Engine-neutral tensors in, the first output out; arrays live in the call's own manager. */
  static final class TensorTranslator implements NoBatchifyTranslator<List<TensorData>, RawOutput> {
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
      NDArray y = output.get(0);
      if (y.getDataType() != DataType.FLOAT32) {
        y = y.toType(DataType.FLOAT32, false);
      }
      Shape s = y.getShape();
      int rows = s.dimension() == 0 ? 1 : (int) s.get(0);
      int width = rows == 0 ? 0 : (int) (s.size() / rows);
      return new RawOutput(y.toFloatArray(), rows, width);
    }
  }
}
