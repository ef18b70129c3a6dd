package dev.augur.persistence;

import dev.augur.core.PredictionRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes records as RFC 4180 CSV: id, created_at, version, the observation fields, the prediction
 * fields (label, proba, value, values), outcome, outcome_at, latency_ms. One row at a time.
 */
final class CsvExport {
  private final List<String> fields;
  private final Writer out;

  CsvExport(List<String> observationFields, Writer out) {
    this.fields = List.copyOf(observationFields);
    this.out = out;
  }

  void header() {
    List<String> h = new ArrayList<>(List.of("id", "created_at", "version"));
    h.addAll(fields);
    h.addAll(List.of("label", "proba", "value", "values", "outcome", "outcome_at", "latency_ms"));
    line(h);
  }

  void row(PredictionRecord r) {
    List<String> cells = new ArrayList<>();
    cells.add(r.id());
    cells.add(r.createdAt().toString());
    cells.add(r.version());
    for (String f : fields) {
      cells.add(text(r.observation().get(f)));
    }
    Map<String, Object> p = r.prediction().fields();
    cells.add(text(p.get("label")));
    cells.add(text(p.get("proba")));
    cells.add(text(p.get("value")));
    cells.add(text(p.get("values")));
    cells.add(r.outcome().map(o -> text(o.toJson())).orElse(""));
    cells.add(r.outcomeAt().map(Object::toString).orElse(""));
    cells.add(text(r.latencyMs()));
    line(cells);
  }

  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return RecordCodec.json(v);
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

  /**
   * A cell a spreadsheet would run as a formula ({@code = + - @}, tab or carriage return first)
   * gets a leading {@code '}; plain numbers such as {@code -1.5} stay numbers.
   */
  static String neutralised(String c) {
    if (c.isEmpty()) {
      return c;
    }
    char first = c.charAt(0);
    boolean risky =
        first == '='
            || first == '+'
            || first == '-'
            || first == '@'
            || first == '\t'
            || first == '\r';
    return risky && !NUMBER.matcher(c).matches() ? "'" + c : c;
  }

  private void line(List<String> cells) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String c = neutralised(cells.get(i));
      if (c.indexOf(',') >= 0
          || c.indexOf('"') >= 0
          || c.indexOf('\n') >= 0
          || c.indexOf('\r') >= 0) {
        sb.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(c);
      }
    }
    sb.append("\r\n");
    try {
      out.write(sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
