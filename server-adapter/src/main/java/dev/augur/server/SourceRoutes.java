package dev.augur.server;

import dev.augur.core.Augur;
import dev.augur.core.DataSourceException;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The data source routes: the sources, their keys, and the points of one key. */
final class SourceRoutes implements Service {
  private static final Logger log = LoggerFactory.getLogger(SourceRoutes.class);

  private final Augur augur;

  SourceRoutes(Augur augur) {
    this.augur = augur;
  }

  @Override
  public void register(Router r) {
    r.get("/sources", this::sources)
        .get("/sources/{s}/keys", this::keys)
        .get("/sources/{s}/keys/{k}", this::points);
  }

  private void sources(HttpServerExchange ex) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String name : augur.sources().names()) {
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("name", name);
      try {
        source.put("keys", augur.sources().get(name).keys());
      } catch (DataSourceException e) {
        // one source that cannot list its keys now does not hide the others
        log.warn("source {} cannot list its keys: {}", name, e.getMessage());
        source.put("keys", null);
      }
      out.add(source);
    }
    Http.send(ex, 200, Map.of("sources", out));
  }

  private void keys(HttpServerExchange ex) {
    String s = Http.pathParam(ex, "s");
    Http.send(ex, 200, Map.of("source", s, "keys", augur.sources().get(s).keys()));
  }

  private void points(HttpServerExchange ex) {
    String s = Http.pathParam(ex, "s");
    String k = Http.pathParam(ex, "k");
    int n = Http.intParam(ex, "n", 1, 100_000, 30);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", s);
    out.put("key", k);
    out.put("points", Views.points(augur.sources().get(s).fetch(k, n)));
    Http.send(ex, 200, out);
  }
}
