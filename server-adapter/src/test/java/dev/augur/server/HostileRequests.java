package dev.augur.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A seeded generator of hostile HTTP requests against every route of a running Augur server: JSON
 * structure mutations of each model's own example, V2 tensors with broken shapes and types, query
 * parameters, headers, sizes and encodings. The same seed always makes the same request, so a
 * failure reproduces from its seed. What the server offers (models, their inputs, V2 metadata,
 * sources and their keys) is read from the server once, so the generator fits the fixture server of
 * the tests and the sample server of {@code bench/fuzz.sh} alike. Thread-safe after construction.
 */
final class HostileRequests {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** One request as bytes on the wire would carry it (the runner frames it). */
  record Request(String method, String target, List<String[]> headers, byte[] body) {
    /** The request's head and body, with a correct Content-Length. */
    byte[] bytes() {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1\r\n");
      for (String[] h : headers) {
        head.append(h[0]).append(": ").append(h[1]).append("\r\n");
      }
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
      byte[] out = new byte[h.length + body.length];
      System.arraycopy(h, 0, out, 0, h.length);
      System.arraycopy(body, 0, out, h.length, body.length);
      return out;
    }

    @Override
    public String toString() {
      String b = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
      return method + " " + abbreviate(target) + " (" + body.length + " bytes: " + b + ")";
    }
  }

  /** A model as the server describes it. */
  record Model(String name, List<String> versions, JsonNode example, JsonNode v2Inputs) {}

  private final List<Model> models;
  private final Map<String, List<String>> sources;

  /** The kind of the last request made on this thread (for timing by kind). */
  static final ThreadLocal<Integer> lastKind = ThreadLocal.withInitial(() -> -1);

  private HostileRequests(List<Model> models, Map<String, List<String>> sources) {
    this.models = models;
    this.sources = sources;
  }

  /** Reads the models, their examples and V2 metadata, and the sources from a running server. */
  static HostileRequests discover(java.util.function.Function<String, JsonNode> get) {
    List<Model> models = new ArrayList<>();
    for (JsonNode m : get.apply("/models").path("models")) {
      String name = m.isTextual() ? m.asText() : m.path("name").asText();
      JsonNode view = get.apply("/models/" + name);
      List<String> versions = new ArrayList<>();
      view.path("versions").forEach(v -> versions.add(v.asText()));
      JsonNode v2 = get.apply("/v2/models/" + name).path("inputs");
      models.add(new Model(name, versions, view.path("example"), v2));
    }
    if (models.isEmpty()) {
      throw new IllegalStateException("the server lists no model");
    }
    Map<String, List<String>> sources = new LinkedHashMap<>();
    for (JsonNode s : get.apply("/sources").path("sources")) {
      List<String> keys = new ArrayList<>();
      s.path("keys").forEach(k -> keys.add(k.asText()));
      sources.put(s.path("name").asText(), keys.subList(0, Math.min(keys.size(), 20)));
    }
    return new HostileRequests(List.copyOf(models), sources);
  }

  /** The request for one seed. */
  Request next(long seed) {
    Random r = new Random(seed);
    Model m = models.get(r.nextInt(models.size()));
    // weights out of 40: the cheap routes often, the costly renders (charts, /plot) rarely
    int kind = r.nextInt(40);
    lastKind.set(kind);
    Request req;
    if (kind < 9) {
      req = predict(r, m);
    } else if (kind < 14) {
      req = v2(r, m);
    } else if (kind < 16) {
      req = mlflow(r, m);
    } else if (kind < 18) {
      req = outcome(r, m);
    } else if (kind < 23) {
      req = reads(r, m);
    } else if (kind < 24) {
      req = charts(r, m);
    } else if (kind < 26) {
      req = source(r, m);
    } else if (kind < 27) {
      req = plot(r);
    } else if (kind < 30) {
      req = probes(r, m);
    } else if (kind < 32) {
      req = wrongMethod(r, m);
    } else if (kind < 35) {
      req = encodings(r, m);
    } else if (kind < 36) {
      req = sizes(r, m);
    } else {
      req = paths(r, m);
    }
    return withHeaders(r, req);
  }

  // ---- routes

  private Request predict(Random r, Model m) {
    String target =
        switch (r.nextInt(5)) {
          case 0 -> "/predict";
          case 1 -> "/models/" + m.name + "/predict?version=" + version(r, m);
          default -> "/models/" + m.name + "/predict";
        };
    JsonNode body =
        switch (r.nextInt(5)) {
          case 0 -> m.example.deepCopy();
          case 1 -> F.objectNode().put("id", id(r)).set("observation", m.example.deepCopy());
          case 2 -> {
            ArrayNode instances = F.arrayNode();
            int n = r.nextInt(8) == 0 ? r.nextInt(200) : r.nextInt(4);
            for (int i = 0; i < n; i++) {
              instances.add(m.example.deepCopy());
            }
            yield F.objectNode().set("instances", instances);
          }
          case 3 -> F.objectNode().set("observation", m.example.deepCopy());
          default -> F.arrayNode().add(m.example.deepCopy());
        };
    if (r.nextInt(4) == 0 && r.nextBoolean()) {
      return new Request("GET", target + "&" + queryOf(r, m.example), List.of(), new byte[0]);
    }
    return json("POST", target, mutate(r, body, 1 + r.nextInt(3)));
  }

  private Request v2(Random r, Model m) {
    String target =
        r.nextInt(5) == 0
            ? "/v2/models/" + m.name + "/versions/" + version(r, m) + "/infer"
            : "/v2/models/" + m.name + "/infer";
    ArrayNode inputs = F.arrayNode();
    for (JsonNode meta : m.v2Inputs) {
      inputs.add(tensor(r, meta));
    }
    if (r.nextInt(6) == 0) {
      inputs.add(tensor(r, F.objectNode().put("name", token(r)).put("datatype", "FP32")));
    }
    ObjectNode body = F.objectNode();
    if (r.nextBoolean()) {
      body.put("id", id(r));
    }
    body.set("inputs", inputs);
    if (r.nextInt(5) == 0) {
      body.set("outputs", F.arrayNode().add(F.objectNode().put("name", token(r))));
    }
    if (r.nextInt(5) == 0) {
      body.set("parameters", hostileValue(r, 0));
    }
    return json("POST", target, r.nextInt(3) == 0 ? mutate(r, body, 1) : body);
  }

  private ObjectNode tensor(Random r, JsonNode meta) {
    ObjectNode t = F.objectNode();
    t.put("name", r.nextInt(15) == 0 ? token(r) : meta.path("name").asText());
    String[] types = {"FP32", "FP64", "INT64", "INT32", "BYTES", "BOOL", "UINT8", "FP16", "x"};
    t.put(
        "datatype",
        r.nextInt(4) == 0 ? types[r.nextInt(types.length)] : meta.path("datatype").asText("FP32"));
    List<Long> declared = new ArrayList<>();
    meta.path("shape").forEach(d -> declared.add(d.asLong()));
    if (declared.isEmpty()) {
      declared.add(-1L);
    }
    List<Long> shape = new ArrayList<>();
    long batch = 1 + r.nextInt(3);
    for (int i = 0; i < declared.size(); i++) {
      long d = declared.get(i);
      shape.add(i == 0 || d < 0 ? (i == 0 ? batch : 1 + r.nextInt(4)) : d);
    }
    switch (r.nextInt(8)) {
      case 0 -> shape.set(r.nextInt(shape.size()), hostileDim(r));
      case 1 -> shape.add(hostileDim(r));
      case 2 -> shape.remove(shape.size() - 1);
      case 3 -> {
        shape.clear();
        shape.addAll(List.of(1L, 2147483647L, 0L));
      }
      default -> {}
    }
    ArrayNode s = F.arrayNode();
    shape.forEach(s::add);
    t.set("shape", r.nextInt(20) == 0 ? hostileValue(r, 0) : s);
    long product = 1;
    for (long d : shape) {
      product = d <= 0 ? 0 : Math.min(product * d, 10_000);
    }
    int n = (int) Math.min(product + (r.nextInt(5) == 0 ? r.nextInt(5) - 2 : 0), 10_000);
    ArrayNode data = F.arrayNode();
    for (int i = 0; i < Math.max(0, n); i++) {
      data.add(r.nextInt(30) == 0 ? hostileValue(r, 2) : F.numberNode(r.nextGaussian() * 10));
    }
    t.set("data", r.nextInt(10) == 0 ? F.arrayNode().add(data) : data);
    return t;
  }

  private static long hostileDim(Random r) {
    long[] dims = {0, -1, -2, 2147483647L, 2147483648L, Long.MAX_VALUE, 1_000_000, 3};
    return dims[r.nextInt(dims.length)];
  }

  private Request mlflow(Random r, Model m) {
    String target = r.nextBoolean() ? "/invocations" : "/models/" + m.name + "/invocations";
    ObjectNode body = F.objectNode();
    List<String> columns = new ArrayList<>();
    m.example.fieldNames().forEachRemaining(columns::add);
    switch (r.nextInt(4)) {
      case 0 -> {
        ObjectNode split = F.objectNode();
        ArrayNode cols = F.arrayNode();
        columns.forEach(cols::add);
        ArrayNode row = F.arrayNode();
        columns.forEach(c -> row.add(m.example.get(c)));
        split.set("columns", cols);
        split.set("data", F.arrayNode().add(row));
        body.set("dataframe_split", split);
      }
      case 1 -> body.set("dataframe_records", F.arrayNode().add(m.example.deepCopy()));
      case 2 -> body.set("instances", F.arrayNode().add(m.example.deepCopy()));
      default -> body.set("inputs", m.example.deepCopy());
    }
    return json("POST", target, mutate(r, body, r.nextInt(3)));
  }

  private Request outcome(Random r, Model m) {
    ObjectNode body = F.objectNode();
    body.set("outcome", r.nextBoolean() ? hostileValue(r, 0) : m.example.elements().next());
    if (r.nextBoolean()) {
      body.put("id", id(r));
      body.put("true_class", r.nextInt(3));
      return json("POST", "/update", mutate(r, body, r.nextInt(2)));
    }
    return json(
        "PUT",
        "/models/" + m.name + "/predictions/" + pathToken(r) + "/outcome",
        mutate(r, body, r.nextInt(2)));
  }

  private Request reads(Random r, Model m) {
    String base = "/models/" + m.name;
    String[] targets = {
      base + "/predictions",
      base + "/predictions.csv",
      base + "/predictions/" + pathToken(r),
      base + "/quality",
      "/history",
      base,
      "/models",
      "/sources",
      base + "/forecasts/" + pathToken(r) + ".png",
    };
    return get(targets[r.nextInt(targets.length)] + "?" + query(r));
  }

  private Request charts(Random r, Model m) {
    String[] kinds = {"volume", "scores", "quality", "calibration", "confusion", "nope", ""};
    String[] formats = {".png", ".svg", ".jpeg", ".gif", "", ".png.png"};
    return get(
        "/models/"
            + m.name
            + "/charts/"
            + kinds[r.nextInt(kinds.length)]
            + formats[r.nextInt(formats.length)]
            + "?"
            + query(r));
  }

  private Request source(Random r, Model m) {
    List<String> names = new ArrayList<>(sources.keySet());
    names.add(token(r));
    String s = names.get(r.nextInt(names.size()));
    List<String> keys = sources.getOrDefault(s, List.of());
    String key =
        keys.isEmpty() || r.nextInt(3) == 0 ? pathToken(r) : keys.get(r.nextInt(keys.size()));
    return switch (r.nextInt(4)) {
      case 0 -> get("/sources/" + enc(s) + "/keys?" + query(r));
      case 1 ->
          new Request(
              "POST",
              "/models/" + m.name + "/forecast?source=" + enc(s) + "&key=" + enc(key),
              List.of(),
              new byte[0]);
      default -> get("/sources/" + enc(s) + "/keys/" + enc(key) + "?" + query(r));
    };
  }

  private Request plot(Random r) {
    ObjectNode spec = F.objectNode();
    String[] kinds = {"forecast", "probabilities", "line", "histogram", "volume", "x", ""};
    spec.put("kind", kinds[r.nextInt(kinds.length)]);
    ArrayNode values = F.arrayNode();
    int n = r.nextInt(10) == 0 ? r.nextInt(2_000) : r.nextInt(50);
    for (int i = 0; i < n; i++) {
      values.add(r.nextGaussian());
    }
    spec.set("values", values);
    spec.set("probabilities", F.objectNode().put("a", r.nextDouble()).put("b", r.nextDouble()));
    spec.set("history", F.arrayNode().add(F.objectNode().put("t", "2024-01-01").put("y", 1)));
    spec.set("forecast", F.arrayNode().add(F.objectNode().put("t", 3).put("y", "x")));
    spec.put("title", token(r));
    String q = r.nextBoolean() ? "?format=" + pick(r, "png", "svg", "jpeg", "bmp", "") : "";
    return json("POST", "/plot" + q, mutate(r, spec, r.nextInt(3)));
  }

  private Request probes(Random r, Model m) {
    String[] targets = {
      "/",
      "/health/live",
      "/health/ready",
      "/ping",
      "/metrics",
      "/openapi.json",
      "/docs",
      "/docs/",
      "/v2",
      "/v2/health/live",
      "/v2/health/ready",
      "/v2/models/" + m.name,
      "/v2/models/" + m.name + "/ready",
      "/v2/models/" + m.name + "/versions/" + version(r, m),
      "/app.js",
      "/docs/swagger-ui.css"
    };
    return get(targets[r.nextInt(targets.length)] + (r.nextBoolean() ? "" : "?" + query(r)));
  }

  private Request wrongMethod(Random r, Model m) {
    Request base = r.nextBoolean() ? predict(r, m) : reads(r, m);
    String[] methods = {
      "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO", "M" + r.nextInt(), "GET"
    };
    return new Request(methods[r.nextInt(methods.length)], base.target, base.headers, base.body);
  }

  private Request encodings(Random r, Model m) {
    Request base = predict(r, m);
    String text = new String(base.body, StandardCharsets.UTF_8);
    byte[] body =
        switch (r.nextInt(7)) {
          case 0 -> text.getBytes(StandardCharsets.UTF_16LE);
          case 1 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, base.body);
          case 2 -> text.replace("\"", "\"\u00e9\u0000").getBytes(StandardCharsets.ISO_8859_1);
          case 3 ->
              concat(base.body, new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xFF, (byte) 0xFE});
          case 4 -> text.replaceFirst("\"", "\"\uD800").getBytes(StandardCharsets.UTF_8);
          case 5 -> {
            byte[] b = base.body.clone();
            for (int i = 0; i < Math.min(4, b.length); i++) {
              b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            yield b;
          }
          default -> gzip(base.body);
        };
    List<String[]> headers = new ArrayList<>(base.headers);
    if (r.nextBoolean()) {
      headers.add(new String[] {"Content-Encoding", pick(r, "gzip", "deflate", "br", "identity")});
    }
    headers.add(
        new String[] {
          "Content-Type",
          pick(
              r,
              "application/json; charset=utf-16",
              "application/json; charset=latin1",
              "application/json; charset=nope",
              "application/json")
        });
    return new Request(base.method, base.target, headers, body);
  }

  private Request sizes(Random r, Model m) {
    int size =
        switch (r.nextInt(10)) {
          case 0 -> r.nextInt(5) == 0 ? 2 << 20 : 300 * 1024; // 2 MiB: over the tests' limit
          case 1, 2 -> 300 * 1024;
          default -> 70 * 1024; // just over the 64 KiB cap on extra fields
        };
    ObjectNode obs = (ObjectNode) (m.example.isObject() ? m.example.deepCopy() : F.objectNode());
    switch (r.nextInt(4)) {
      case 0 -> obs.put("pad", "A".repeat(size));
      case 1 -> {
        ArrayNode a = F.arrayNode();
        for (int i = 0; i < size / 8; i++) {
          a.add(i);
        }
        obs.set("pad", a);
      }
      case 2 -> {
        for (int i = 0; i < size / 64; i++) {
          obs.put("f" + i, "x".repeat(50));
        }
      }
      default ->
          obs.put(
              m.example.fieldNames().hasNext() ? m.example.fieldNames().next() : "x",
              "B".repeat(size));
    }
    return json("POST", "/models/" + m.name + "/predict", obs);
  }

  private Request paths(Random r, Model m) {
    String[] targets = {
      "/models/" + m.name + "/%2e%2e/%2e%2e/etc/passwd",
      "/models/..%2F..%2F/predict",
      "/models/%00/predict",
      "/models/" + m.name + "%ff/predict",
      "/models/" + "a".repeat(r.nextInt(5000)),
      "/models/" + m.name + "/predictions/" + "%".repeat(1 + r.nextInt(3)),
      "//models//" + m.name + "//predict",
      "/models/" + m.name + "/predict;jsessionid=1",
      "/models/" + m.name + "/reload",
      "/sources/../models",
      "/v2/models/" + m.name + "/versions/%2F/infer",
      "/" + pathToken(r),
      "/models/" + m.name + "/predictions/" + pathToken(r) + "/outcome",
      "*",
      "http://127.0.0.1/models",
    };
    String t = targets[r.nextInt(targets.length)];
    if (t.endsWith("/reload") && r.nextInt(20) != 0) {
      t = "/models/" + m.name; // reloading is costly: rarely
    }
    return new Request(
        pick(r, "GET", "POST", "PUT"),
        t,
        List.of(),
        m.example.toString().getBytes(StandardCharsets.UTF_8));
  }

  // ---- headers

  private Request withHeaders(Random r, Request req) {
    List<String[]> h = new ArrayList<>(req.headers);
    boolean typed = h.stream().anyMatch(x -> x[0].equalsIgnoreCase("Content-Type"));
    if (!typed && req.body.length > 0) {
      h.add(
          new String[] {
            "Content-Type",
            r.nextInt(6) != 0
                ? "application/json"
                : pick(
                    r,
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x",
                    "application/problem+json",
                    "",
                    "*/*",
                    "application/json;;;",
                    "application/json; charset=\"utf-8\"")
          });
    }
    int extra = r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 0;
    for (int i = 0; i < extra; i++) {
      h.add(
          switch (r.nextInt(12)) {
            case 0 ->
                new String[] {
                  "Accept",
                  pick(
                      r,
                      "*/*",
                      "text/html",
                      "image/svg+xml",
                      "garbage/",
                      "application/json;q=x",
                      "text/csv",
                      "image/*;q=0.1")
                };
            case 1 ->
                new String[] {
                  "X-Request-Id",
                  pick(
                      r,
                      "",
                      "x".repeat(r.nextInt(10_000)),
                      "\u00e9\u00e8",
                      "abc def",
                      "id-" + r.nextLong())
                };
            case 2 ->
                new String[] {
                  "traceparent",
                  pick(
                      r,
                      "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01",
                      "zz",
                      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                      "ff-" + "a".repeat(100))
                };
            case 3 ->
                new String[] {
                  "Authorization", pick(r, "Bearer ", "Bearer " + token(r), "Basic Og==", "x")
                };
            case 4 -> new String[] {"X-API-Key", token(r).replace("\n", "")};
            case 5 -> new String[] {"Origin", pick(r, "http://evil.example", "null", "file://")};
            case 6 -> new String[] {"Expect", "100-continue"};
            case 7 -> new String[] {"Accept-Encoding", pick(r, "gzip", "br;q=1, *;q=0", "x")};
            case 8 -> new String[] {"Cookie", "a=" + "b".repeat(r.nextInt(4000))};
            case 9 -> new String[] {"X-Forwarded-For", "1.2.3.4, " + token(r).replace("\n", "")};
            case 10 -> new String[] {"Range", "bytes=0-1"};
            default -> new String[] {"X-" + r.nextInt(1000), "v"};
          });
    }
    // header values may not carry CR or LF without changing the framing: keep the request one
    h.replaceAll(x -> new String[] {x[0], x[1].replace("\r", "").replace("\n", "")});
    return new Request(req.method, req.target, h, req.body);
  }

  // ---- JSON mutations

  private JsonNode mutate(Random r, JsonNode node, int times) {
    JsonNode out = node.deepCopy();
    for (int i = 0; i < times; i++) {
      out = mutateOnce(r, out);
    }
    return out;
  }

  private JsonNode mutateOnce(Random r, JsonNode node) {
    List<JsonNode> containers = new ArrayList<>();
    collect(node, containers);
    if (containers.isEmpty() || r.nextInt(25) == 0) {
      return hostileValue(r, 0);
    }
    JsonNode c = containers.get(r.nextInt(containers.size()));
    if (c instanceof ObjectNode o) {
      List<String> fields = new ArrayList<>();
      o.fieldNames().forEachRemaining(fields::add);
      String f = fields.isEmpty() ? token(r) : fields.get(r.nextInt(fields.size()));
      switch (r.nextInt(6)) {
        case 0 -> o.remove(f);
        case 1 -> o.set(token(r), hostileValue(r, 0));
        case 2 -> {
          JsonNode v = o.remove(f);
          o.set(f.toUpperCase(java.util.Locale.ROOT) + (r.nextBoolean() ? " " : ""), v);
        }
        default -> o.set(f, hostileValue(r, 0));
      }
    } else if (c instanceof ArrayNode a) {
      switch (r.nextInt(4)) {
        case 0 -> {
          if (!a.isEmpty()) {
            a.remove(r.nextInt(a.size()));
          }
        }
        case 1 -> a.add(hostileValue(r, 0));
        default -> {
          if (!a.isEmpty()) {
            a.set(r.nextInt(a.size()), hostileValue(r, 0));
          }
        }
      }
    }
    return node;
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        collect(it.next(), out);
      }
    }
  }

  private JsonNode hostileValue(Random r, int depth) {
    int pick = depth > 3 ? r.nextInt(12) : r.nextInt(16);
    return switch (pick) {
      case 0 -> F.nullNode();
      case 1 -> F.numberNode(r.nextGaussian() * Math.pow(10, r.nextInt(600) - 300));
      case 2 -> F.textNode(token(r));
      case 3 -> F.booleanNode(r.nextBoolean());
      case 4 -> F.numberNode(pick(r, Long.MAX_VALUE, Long.MIN_VALUE, 0L, -1L, 2147483648L));
      case 5 -> F.numberNode(new java.math.BigDecimal("1e" + (r.nextInt(2000) - 1000)));
      case 6 ->
          F.textNode(pick(r, "NaN", "Infinity", "-0", "1e999", "0x10", " 1 ", "true", "null"));
      case 7 -> F.textNode("\u0000\u202e\uFEFF" + token(r));
      case 8 -> F.numberNode(new java.math.BigInteger("9".repeat(1 + r.nextInt(400))));
      case 9 -> F.textNode(pick(r, "2024-13-45", "2024-01-01T25:00:00Z", "1970-01-01", "P1D"));
      case 10 -> F.numberNode(r.nextInt(3) - 1);
      case 11 -> F.textNode("data:image/png;base64," + "iVBORw0KGgo" + "A".repeat(r.nextInt(100)));
      case 12, 13 -> {
        ObjectNode o = F.objectNode();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          o.set(token(r), hostileValue(r, depth + 1));
        }
        yield o;
      }
      case 14 -> {
        ArrayNode a = F.arrayNode();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          a.add(hostileValue(r, depth + 1));
        }
        yield a;
      }
      default -> {
        // deep nesting
        JsonNode deep = F.arrayNode();
        int levels = r.nextInt(3) == 0 ? 300 : 20;
        for (int i = 0; i < levels; i++) {
          deep = r.nextBoolean() ? F.arrayNode().add(deep) : F.objectNode().set("a", deep);
        }
        yield deep;
      }
    };
  }

  // ---- pieces

  private String id(Random r) {
    return r.nextInt(4) == 0 ? token(r) : "fuzz-" + Long.toString(r.nextLong() & 0xffffff, 36);
  }

  private static String version(Random r, Model m) {
    return r.nextInt(3) == 0 ? pathToken(r) : m.versions.get(r.nextInt(m.versions.size()));
  }

  private static String token(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> "";
      case 1 -> "-1";
      case 2 -> "99999999999999999999";
      case 3 -> "volume.png";
      case 4 -> "../../etc/passwd";
      case 5 -> "ünïcødé\u2028\u0085";
      case 6 -> "a\nb\r\nX-Injected: 1";
      case 7 -> "NaN";
      case 8 -> "x".repeat(r.nextInt(300));
      case 9 -> "=HYPERLINK(\"http://x\")";
      case 10 -> "%s%n%x{}${jndi:ldap://x}";
      default -> Long.toString(r.nextLong(), 36);
    };
  }

  /** A token for a path segment, percent-encoded (sometimes doubly) as a client would send it. */
  private static String pathToken(Random r) {
    String t = token(r);
    return switch (r.nextInt(4)) {
      case 0 -> enc(enc(t));
      case 1 -> t.replaceAll("[^A-Za-z0-9._~-]", "_");
      default -> enc(t);
    };
  }

  private String query(Random r) {
    String[] keys = {
      "n",
      "before",
      "after",
      "window",
      "source",
      "key",
      "format",
      "width",
      "height",
      "bucket",
      "metric",
      "id",
      "version",
      "shadow",
      "fields",
      "since",
      "until",
      "limit",
      "threshold"
    };
    String[] values = {
      "-1",
      "0",
      "1",
      "30",
      "10000",
      "10001",
      "99999999999999999999",
      "P1D",
      "PT1S",
      "P99999999999D",
      "1s",
      "1h",
      "1d",
      "x",
      "png",
      "svg",
      "4000",
      "100",
      "99",
      "2024-01-01",
      "2024-01-01T00:00:00Z",
      "true",
      "NaN",
      "1e3",
      "%00",
      "%ZZ",
      ""
    };
    StringBuilder q = new StringBuilder();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      q.append(i == 0 ? "" : "&").append(keys[r.nextInt(keys.length)]);
      if (r.nextInt(10) != 0) {
        String v = r.nextInt(5) == 0 ? enc(token(r)) : values[r.nextInt(values.length)];
        q.append('=').append(v);
      }
    }
    return q.toString();
  }

  private String queryOf(Random r, JsonNode example) {
    StringBuilder q = new StringBuilder();
    example
        .fields()
        .forEachRemaining(
            e -> {
              if (r.nextInt(5) != 0) {
                String v = r.nextInt(4) == 0 ? token(r) : e.getValue().asText();
                q.append(q.length() == 0 ? "" : "&")
                    .append(enc(e.getKey()))
                    .append('=')
                    .append(enc(v));
              }
            });
    return q.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }

  private static Request get(String target) {
    return new Request("GET", target, List.of(), new byte[0]);
  }

  private static Request json(String method, String target, JsonNode body) {
    try {
      return new Request(method, target, List.of(), Json.mapper().writeValueAsBytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + ")" : s;
  }
}
