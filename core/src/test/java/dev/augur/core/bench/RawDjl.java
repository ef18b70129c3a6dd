package dev.augur.core.bench;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Path;

/** The baseline: DJL's own predictor over a TorchScript file, NDList in and out. */
final class RawDjl implements AutoCloseable {
  final ZooModel<NDList, NDList> model;

  RawDjl(Path artifact) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    model =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(artifact)
            .optEngine("PyTorch")
            .optTranslator(new NoopTranslator())
            .build()
            .loadModel();
  }

  Predictor<NDList, NDList> newPredictor() {
    return model.newPredictor();
  }

  @Override
  public void close() {
    model.close();
  }
}
