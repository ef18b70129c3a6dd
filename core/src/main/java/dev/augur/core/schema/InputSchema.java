package dev.augur.core.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.augur.core.InvalidInputException;
import dev.augur.core.Observation;
import dev.augur.core.Violation;
import dev.augur.core.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's input schema: validates observations and encodes them into tensors exactly as the model
 * package contract says. Immutable and thread-safe.
 *
 * <p>The model receives, in this order: one float32 {@code [batch, n]} tensor of every tabular
 * feature (number, integer, boolean, category, datetime) in schema order if there is any, then one
 * tensor per text, image and series feature in schema order.
 */
public final class InputSchema {
  private final List<Feature> features;
  private final int tabularWidth;

  /** A schema of the given features, in order. */
  public InputSchema(List<Feature> features) {
    this.features = List.copyOf(features);
    int w = 0;
    for (Feature f : features) {
      if (f instanceof TabularFeature t) {
        w += t.width();
      }
    }
    this.tabularWidth = w;
  }

  /**
   * Reads the manifest's {@code inputs} array from its JSON text, resolving vocabulary files
   * against {@code modelDir}; problems are added to {@code problems}, each naming its field (text
   * that is not JSON is a problem of {@code inputs}).
   */
  public static InputSchema parse(
      String inputsJson, java.nio.file.Path modelDir, List<Violation> problems) {
    JsonNode inputs;
    try {
      inputs = Json.mapper().readTree(Objects.requireNonNull(inputsJson, "inputsJson"));
    } catch (JsonProcessingException e) {
      problems.add(new Violation("inputs", "is not valid JSON: " + e.getOriginalMessage()));
      return new InputSchema(List.of());
    }
    return new InputSchema(FeatureReader.readAll(inputs, modelDir, problems));
  }

  /** The features in schema order. */
  public List<Feature> features() {
    return features;
  }

  /** The feature with that name, if any. */
  public Optional<Feature> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** How many floats each row of the tabular tensor holds (0 when there is no tabular feature). */
  public int tabularWidth() {
    return tabularWidth;
  }

  /**
   * Validates an observation and encodes it.
   *
   * @throws InvalidInputException with every violation, each naming its field
   */
  public EncodedRow encode(Observation observation) {
    return encode(observation, "");
  }

  /** As {@link #encode(Observation)}, with field names prefixed (e.g. {@code instances[3].}). */
  public EncodedRow encode(Observation observation, String fieldPrefix) {
    Violations v = new Violations(fieldPrefix);
    Object[] canonical = new Object[features.size()];
    for (int i = 0; i < features.size(); i++) {
      Feature f = features.get(i);
      Object raw = observation.get(f.name());
      if (raw == null) {
        if (!f.nullable()) {
          v.add(f.name(), observation.has(f.name()) ? "must not be null" : "is required");
        }
        continue;
      }
      canonical[i] = f.coerce(raw, observation.isFromText(), v);
    }
    v.throwIfAny();
    float[] tab = tabularWidth > 0 ? new float[tabularWidth] : null;
    List<Object> tensors = new ArrayList<>();
    Optional<SeriesWindow> firstSeries = Optional.empty();
    int offset = 0;
    for (int i = 0; i < features.size(); i++) {
      Feature f = features.get(i);
      Object c = canonical[i];
      if (f instanceof TabularFeature t) {
        t.encode(c, tab, offset);
        offset += t.width();
      } else if (f instanceof TextFeature t) {
        tensors.add(t.encode(c));
      } else if (f instanceof ImageFeature img) {
        tensors.add(c == null ? new float[img.size()] : (float[]) c);
      } else if (f instanceof SeriesFeature s) {
        SeriesWindow w =
            c == null ? new SeriesWindow(new float[s.window()], 0, 1) : (SeriesWindow) c;
        tensors.add(w.values());
        if (firstSeries.isEmpty()) {
          firstSeries = Optional.of(w);
        }
      }
    }
    return new EncodedRow(tab, Collections.unmodifiableList(tensors), firstSeries);
  }

  /** Stacks encoded rows into the model's input tensors, batch dimension first. */
  public List<TensorData> stack(List<EncodedRow> rows) {
    int b = rows.size();
    List<TensorData> out = new ArrayList<>();
    if (tabularWidth > 0) {
      float[] data = new float[b * tabularWidth];
      for (int r = 0; r < b; r++) {
        System.arraycopy(rows.get(r).tabular(), 0, data, r * tabularWidth, tabularWidth);
      }
      out.add(TensorData.ofFloats(data, b, tabularWidth));
    }
    int k = 0;
    for (Feature f : features) {
      if (f instanceof TabularFeature) {
        continue;
      }
      final int idx = k++;
      if (f instanceof TextFeature t) {
        int n = t.tokenizer().maxLength();
        long[] data = new long[b * n];
        for (int r = 0; r < b; r++) {
          System.arraycopy((long[]) rows.get(r).tensors().get(idx), 0, data, r * n, n);
        }
        out.add(TensorData.ofLongs(data, b, n));
      } else {
        long[] rowShape =
            f instanceof ImageFeature img
                ? new long[] {img.channels(), img.height(), img.width()}
                : new long[] {((SeriesFeature) f).window()};
        int n = f instanceof ImageFeature img ? img.size() : ((SeriesFeature) f).window();
        float[] data = new float[b * n];
        for (int r = 0; r < b; r++) {
          System.arraycopy((float[]) rows.get(r).tensors().get(idx), 0, data, r * n, n);
        }
        long[] shape = new long[rowShape.length + 1];
        shape[0] = b;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        out.add(TensorData.ofFloats(data, shape));
      }
    }
    return out;
  }

  /** A valid observation built from the schema (used for warm-up when the manifest has none). */
  public Observation exampleObservation() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Feature f : features) {
      m.put(f.name(), f.exampleValue());
    }
    return Observation.of(m);
  }

  /** A JSON Schema (draft 2020-12) of an observation, for OpenAPI and forms. */
  public Map<String, Object> jsonSchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (Feature f : features) {
      Map<String, Object> p = new LinkedHashMap<>(f.jsonSchema());
      p.put("x-augur-type", f.type().id());
      props.put(f.name(), p);
      if (!f.nullable()) {
        required.add(f.name());
      }
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "object");
    s.put("properties", props);
    s.put("required", required);
    s.put("additionalProperties", true);
    return s;
  }
}
