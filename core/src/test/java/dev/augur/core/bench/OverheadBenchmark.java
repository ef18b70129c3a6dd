package dev.augur.core.bench;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.internal.Json;
import dev.augur.core.model.Batching;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.schema.TensorData;
import dev.augur.core.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One prediction on one thread: Augur's whole path (validate, encode, forward, decode) against
 * DJL's predictor called directly with a prepared NDList (the same forward pass, nothing else).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class OverheadBenchmark {
  @Param({"tab_binary_softmax", "image_digits"})
  public String model;

  private dev.augur.core.Predictor augur;
  private RawDjl raw;
  private Predictor<NDList, NDList> djl;
  private NDManager manager;
  private NDList prepared;
  private Observation observation;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Fixtures.model(model);
    augur =
        dev.augur.core.Predictor.load(
            dir, PredictorOptions.builder().batching(Batching.OFF).build());
    observation = augur.manifest().exampleOrDefault();
    raw = new RawDjl(augur.manifest().artifactPath());
    djl = raw.newPredictor();
    manager = NDManager.newBaseManager();
    List<TensorData> ts =
        augur.manifest().inputs().stack(List.of(augur.manifest().inputs().encode(observation)));
    prepared = new NDList();
    for (TensorData t : ts) {
      prepared.add(
          t.isLong()
              ? manager.create(t.longs(), new Shape(t.shape()))
              : manager.create(t.floats(), new Shape(t.shape())));
    }
    Json.mapper();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    djl.close();
    manager.close();
    raw.close();
    augur.close();
  }

  @Benchmark
  public Prediction augurPredict() {
    return augur.predict(observation);
  }

  /**
   * What a hand-written caller pays at least: encode the observation (here with Augur's own
   * encoder), create the input tensors, run DJL's predictor, read the output — no validation
   * messages, no decoding into a typed prediction, no batching, no pooling.
   */
  @Benchmark
  public float handWrittenDjlPredict() throws Exception {
    var schema = augur.manifest().inputs();
    try (NDManager call = manager.newSubManager()) {
      NDList in = new NDList();
      for (TensorData t : schema.stack(List.of(schema.encode(observation)))) {
        in.add(
            t.isLong()
                ? call.create(t.longs(), new Shape(t.shape()))
                : call.create(t.floats(), new Shape(t.shape())));
      }
      NDList out = djl.predict(in);
      float v = out.get(0).toFloatArray()[0];
      out.close();
      return v;
    }
  }

  @Benchmark
  public float rawDjlPredict() throws Exception {
    NDList out = djl.predict(prepared);
    float v = out.get(0).toFloatArray()[0];
    out.close();
    return v;
  }
}
