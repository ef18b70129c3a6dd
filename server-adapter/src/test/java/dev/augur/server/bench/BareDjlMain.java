package dev.augur.server.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.augur.core.Observation;
import dev.augur.core.Predictor;
import dev.augur.core.model.Batching;
import dev.augur.core.model.PredictorOptions;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The naive server Augur is compared with: a bare Undertow handler that parses the JSON body and
 * runs one DJL forward pass per request on a pool of DJL predictors (one per core), with no
 * database, no access log and no metrics. {@code POST /predict} with {@code {"observation": …}}.
 *
 * <p>Usage: {@code java -cp … dev.augur.server.bench.BareDjlMain PORT MODEL_VERSION_DIR}.
 */
public final class BareDjlMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private BareDjlMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Predictor model =
        Predictor.load(Path.of(args[1]), PredictorOptions.builder().batching(Batching.OFF).build());
    Undertow server =
        Undertow.builder()
            .addHttpListener(port, "127.0.0.1")
            .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setWorkerThreads(320)
            .setHandler(
                new BlockingHandler(
                    ex -> {
                      if (ex.getRequestPath().equals("/health/ready")) {
                        ex.getResponseSender().send("ready");
                        return;
                      }
                      Observation o =
                          Observation.of(
                              JSON.convertValue(
                                  JSON.readTree(ex.getInputStream()).get("observation"), MAP));
                      byte[] out = JSON.writeValueAsBytes(model.predict(o).fields());
                      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                      ex.getResponseSender().send(ByteBuffer.wrap(out));
                    }))
            .build();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop();
                  model.close();
                }));
    server.start();
  }
}
