package dev.augur.samples;

import dev.augur.core.Observation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out rows a training script saved beside its model ({@code test.csv}: the raw fields and
 * a {@code target} column), as the samples and their tests read them.
 */
public final class TestSplit {
  private TestSplit() {}

  /** One held-out row: its fields as text and its true target. */
  public record Row(Map<String, String> fields, String target) {
    /** The fields as a query-form observation: the schema coerces text, an empty value is null. */
    public Observation observation() {
      return Observation.ofStrings(fields);
    }

    /** A digits row's {@code px0…px63} as the nested [8][8] array the image feature takes. */
    public Observation digitImage(String feature) {
      List<List<Integer>> image = new ArrayList<>();
      for (int r = 0; r < 8; r++) {
        List<Integer> line = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
          line.add(Integer.parseInt(fields.get("px" + (8 * r + c))));
        }
        image.add(line);
      }
      return Observation.of(Map.of(feature, image));
    }
  }

  /** Reads {@code versionDir/test.csv}. */
  public static List<Row> read(Path versionDir) {
    Path file = versionDir.resolve("test.csv");
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> header = split(lines.get(0));
      List<Row> rows = new ArrayList<>();
      for (int n = 1; n < lines.size(); n++) {
        if (lines.get(n).isEmpty()) {
          continue;
        }
        List<String> values = split(lines.get(n));
        if (values.size() != header.size()) {
          throw new IllegalArgumentException(
              file
                  + " line "
                  + (n + 1)
                  + " has "
                  + values.size()
                  + " fields; the header has "
                  + header.size());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          fields.put(header.get(i), values.get(i));
        }
        String target = fields.remove("target");
        rows.add(new Row(fields, target));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** RFC 4180 fields of one line (quoted fields, doubled quotes; no line breaks inside fields). */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
