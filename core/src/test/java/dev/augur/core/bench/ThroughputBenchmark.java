package dev.augur.core.bench;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.augur.core.Observation;
import dev.augur.core.Prediction;
import dev.augur.core.model.PredictorOptions;
import dev.augur.core.schema.TensorData;
import dev.augur.core.testing.Fixtures;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 64 concurrent callers: Augur with micro-batching (the manifest's settings) against DJL called per
 * request, each thread with its own DJL predictor and a prepared NDList. Throughput in predictions
 * per second; run with {@code -prof} or {@code -bm sample} for latency percentiles.
 */
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(64)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputBenchmark {

  /** The models, shared by all threads. */
  @State(Scope.Benchmark)
  public static class Shared {
    @Param({"tab_binary_softmax", "image_digits"})
    public String model;

    dev.augur.core.Predictor augur;
    RawDjl raw;
    Observation observation;
    List<TensorData> tensors;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      augur =
          dev.augur.core.Predictor.load(
              Fixtures.model(model), PredictorOptions.builder().maxQueue(4096).build());
      observation = augur.manifest().exampleOrDefault();
      tensors =
          augur.manifest().inputs().stack(List.of(augur.manifest().inputs().encode(observation)));
      raw = new RawDjl(augur.manifest().artifactPath());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      raw.close();
      augur.close();
    }
  }

  /** One DJL predictor and prepared input per thread (DJL's predictor is not thread-safe). */
  @State(Scope.Thread)
  public static class PerThread {
    Predictor<NDList, NDList> djl;
    NDManager manager;
    NDList prepared;

    @Setup(Level.Trial)
    public void setUp(Shared s) {
      djl = s.raw.newPredictor();
      manager = NDManager.newBaseManager();
      prepared = new NDList();
      for (TensorData t : s.tensors) {
        prepared.add(
            t.isLong()
                ? manager.create(t.longs(), new Shape(t.shape()))
                : manager.create(t.floats(), new Shape(t.shape())));
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      djl.close();
      manager.close();
    }
  }

  @Benchmark
  @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
  public Prediction augurMicroBatched(Shared s) {
    return s.augur.predict(s.observation);
  }

  @Benchmark
  @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
  public float djlPerCall(PerThread t) throws Exception {
    NDList out = t.djl.predict(t.prepared);
    float v = out.get(0).toFloatArray()[0];
    out.close();
    return v;
  }
}
